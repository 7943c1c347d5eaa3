"""Serve a built site on loopback the way GitHub Pages serves it: under its sub-path.

The browser tests and the Lighthouse runs use this server so they see what readers get:
the project's sub-path from ``site_url`` (``/k8s-networking-kb/``), the root ``404.html``
with status 404 for any missing path, gzip for text, and correct types for ES modules.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from netdocs.paths import ROOT

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".gz": "application/gzip",
    ".zip": "application/zip",
    ".yaml": "text/plain; charset=utf-8",
    ".sh": "text/plain; charset=utf-8",
    ".py": "text/plain; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".map": "application/json",
}
COMPRESSIBLE = ("text/", "application/json", "application/xml", "image/svg+xml")
_SITE_URL = re.compile(r"""^site_url:.*?["']?(https?://[^"'\s\]]+)""", re.MULTILINE)


def site_prefix(mkdocs_yml: Path = ROOT / "mkdocs.yml") -> str:
    """The path part of ``site_url`` (``SITE_URL`` when set, as mkdocs.yml reads it), e.g. ``/k8s-networking-kb/``."""
    url = os.environ.get("SITE_URL")
    if not url:
        match = _SITE_URL.search(mkdocs_yml.read_text(encoding="utf-8"))
        if not match:
            raise ValueError(f"{mkdocs_yml}: no site_url with an http(s) address")
        url = match.group(1)
    path = urlsplit(url).path or "/"
    return path if path.endswith("/") else path + "/"


@lru_cache(maxsize=4096)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


def _handler(site: Path, prefix: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "netdocs-localsite"

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the tests record requests in the browser."""

        def _resolve(self) -> tuple[HTTPStatus, Path | None, str | None]:
            path = unquote(urlsplit(self.path).path)
            if path + "/" == prefix:
                return HTTPStatus.MOVED_PERMANENTLY, None, prefix
            if not path.startswith(prefix):
                return HTTPStatus.NOT_FOUND, site / "404.html", None
            target = (site / path[len(prefix) :]).resolve()
            if site not in (target, *target.parents):
                return HTTPStatus.NOT_FOUND, site / "404.html", None
            if target.is_dir():
                if not path.endswith("/"):
                    return HTTPStatus.MOVED_PERMANENTLY, None, path + "/"
                target = target / "index.html"
            if target.is_file():
                return HTTPStatus.OK, target, None
            return HTTPStatus.NOT_FOUND, site / "404.html", None

        def _send(self, body: bool) -> None:
            status, file, location = self._resolve()
            self.send_response(status)
            if location:
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if file is None or not file.is_file():
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            kind = TYPES.get(file.suffix, "application/octet-stream")
            data = file.read_bytes()
            if kind.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
                data = _gzipped(file, file.stat().st_mtime_ns)
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
            self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            if body:
                # The browser may navigate away mid-response: then there is nothing to serve.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

        def do_GET(self) -> None:
            self._send(body=True)

        def do_HEAD(self) -> None:
            self._send(body=False)

    return Handler


@contextmanager
def serve(site_dir: Path, prefix: str | None = None, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``site_dir`` at ``http://127.0.0.1:<free port><prefix>``; yields that URL."""
    prefix = prefix or site_prefix()
    server = ThreadingHTTPServer((host, 0), _handler(site_dir.resolve(), prefix))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="localsite", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    """``python -m netdocs.dev.localsite SITE_DIR``: serve a built site until interrupted."""
    import sys
    import time

    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    with serve(site) as url:
        print(f"serving {site} at {url} (Ctrl-C to stop)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
