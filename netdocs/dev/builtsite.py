"""The built site as data: its pages (from sitemap.xml), their language and language twins.

The site tests (offline in tests/site/, in Chromium in tests/browser/) walk this
list, so every page a content change adds is covered without touching a test. A strict build
records a digest of what it was built from (``INPUTS``), so the tests of one ``nox`` run test
the build the ``build`` session made instead of building again, and never a stale one.
"""

from __future__ import annotations

import atexit
import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from tempfile import mkdtemp
from urllib.parse import urlsplit

from netdocs.paths import ROOT, project_files

_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)"')
_HTML_LANG = re.compile(r'<html lang="([^"]+)"')
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.DOTALL)
_ARTICLE = re.compile(r"<article[^>]*>(.*?)</article>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
_STYLE = re.compile(r"<style[^>]*>.*?</style>", re.DOTALL)  # a drawn diagram's stylesheet is no text
# A drawn diagram (netdocs/site/diagrams.py): its labels are not searchable (the build keeps
# diagrams out of the search index; the page's prose says what they show).
_DRAWING = re.compile(r'<template shadowrootmode="open">.*?</template>', re.DOTALL)
# Where the build publishes the drawings of diagrams (netdocs/site/diagrams.py), and how a page names them.
DRAWINGS_AT = "assets/diagrams"
_DRAWN = re.compile(r'<div class="mermaid" data-diagram="([0-9a-f]+)">')
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
_CSS_IMPORT = re.compile(r"""@import\s+['"]([^'"]+)['"]""")


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def drawn_keys(page_html: str) -> list[str]:
    """The keys of the drawings a built page shows: ``DRAWINGS_AT/<key>.svg`` in the site."""
    return _DRAWN.findall(page_html)


class BuildFailed(Exception):
    """The strict build failed; the message carries MkDocs' own last lines."""


@dataclass(frozen=True)
class Page:
    """One built page: its URL relative to the site root ("" for the home page)."""

    url: str
    lang: str
    file: Path
    alternates: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def html(self) -> str:
        return self.file.read_text(encoding="utf-8")

    @property
    def title(self) -> str:
        """The page's h1, as text."""
        match = _H1.search(self.html)
        return _text(_PERMALINK.sub("", match.group(1))) if match else ""

    @property
    def text(self) -> str:
        """The article's text, without markup: what a reader can search for (no diagram labels)."""
        match = _ARTICLE.search(self.html)
        return _text(_DRAWING.sub(" ", _STYLE.sub(" ", match.group(1)))) if match else ""


@dataclass(frozen=True)
class Site:
    root: Path
    url: str  # site_url the site was built for, ending in "/"
    pages: tuple[Page, ...]

    def page(self, url: str) -> Page:
        return next(p for p in self.pages if p.url == url)

    def file_for(self, url: str) -> Path | None:
        """The file a site-relative URL serves, or None (a 404)."""
        path = (self.root / urlsplit(url).path).resolve()
        if path.is_dir():
            path = path / "index.html"
        return path if path.is_file() and self.root.resolve() in path.parents else None


# Tags and attributes through which a page makes the browser fetch something.
_FETCHED = {
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
}
_FETCHED_LINKS = {
    "stylesheet",
    "icon",
    "preload",
    "modulepreload",
    "manifest",
    "preconnect",
    "dns-prefetch",
    "prefetch",
}


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if (tag, name) in _FETCHED or (tag == "link" and name == "href" and _link_fetches(values)):
                self.found.append((tag, value))
            if name == "style":
                self.found += [(tag, url) for url in _CSS_URL.findall(value)]


def _link_fetches(attrs: dict[str, str]) -> bool:
    return bool(set(attrs.get("rel", "").lower().split()) & _FETCHED_LINKS)


def resources(html_text: str) -> list[tuple[str, str]]:
    """(tag, URL) of everything an HTML page makes the browser fetch, not the links a reader may follow."""
    parser = _Resources()
    parser.feed(html_text)
    return parser.found


def css_resources(css: str) -> list[str]:
    """URLs a stylesheet fetches: url(...) and @import."""
    return _CSS_URL.findall(css) + _CSS_IMPORT.findall(css)


def is_external(url: str) -> bool:
    """An absolute http(s) or protocol-relative URL: it leaves the site."""
    return url.strip().lower().startswith(("http://", "https://", "//"))


def load(root: Path) -> Site:
    """Read a built site: site_url from the home page's canonical link, pages from the sitemap."""
    home = (root / "index.html").read_text(encoding="utf-8")
    match = _CANONICAL.search(home)
    if not match:
        raise ValueError(f"{root}/index.html has no canonical link; was site_url set?")
    site_url = match.group(1)
    tree = ET.parse(root / "sitemap.xml")
    pages = []
    for entry in tree.getroot().findall("sm:url", _NS):
        loc = entry.findtext("sm:loc", default="", namespaces=_NS)
        url = loc.removeprefix(site_url)
        alternates = {
            link.get("hreflang", ""): link.get("href", "").removeprefix(site_url)
            for link in entry.findall("xhtml:link", _NS)
        }
        file = root / url / "index.html"
        lang_match = _HTML_LANG.search(file.read_text(encoding="utf-8")) if file.is_file() else None
        pages.append(Page(url, lang_match.group(1) if lang_match else "", file, alternates))
    return Site(root, site_url, tuple(pages))


# Where ``nox -s build`` builds the site.
SITE = ROOT / "site"
# In a strict build, the digest of its inputs. A dotfile: GitHub Pages leaves it out of the published
# site, and since every build empties its folder first, no other build can inherit it.
INPUTS = ".netdocs-inputs"
# What a build reads besides the project's files: the addresses mkdocs.yml reads and the kind report
# the checks tables show (netdocs.kind.report). Python packages come from constraints.txt, a project file.
BUILD_ENV = ("SITE_URL", "REPO_URL", "NETDOCS_KIND_REPORT")
NPM_INSTALLED = ROOT / "node_modules" / ".package-lock.json"  # the assets the build copies (npm ci)


def inputs() -> str:
    """A digest of all a build reads: every project file outside tests/ (tracked or new), the
    installed npm packages' lock, the environment variables of BUILD_ENV and the report one names."""
    digest = hashlib.sha256()
    for path in [*project_files(), NPM_INSTALLED]:
        name = path.relative_to(ROOT).as_posix()
        if not name.startswith("tests/"):
            digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"(none)") + b"\0")
    for name in BUILD_ENV:
        value = os.environ.get(name, "").strip()
        digest.update(f"{name}={value}\0".encode())
        if name == "NETDOCS_KIND_REPORT" and value and Path(value).is_file():
            digest.update(Path(value).read_bytes())
    return digest.hexdigest()


def current(site: Path) -> bool:
    """``site`` holds a strict build of the sources as they are now."""
    recorded = site / INPUTS
    return recorded.is_file() and recorded.read_text(encoding="utf-8") == inputs()


def build(out: Path, strict: bool = True, quiet: bool = True) -> Path:
    """Bilingual build into ``out``; strict (any warning fails) exactly as ``nox -s build`` runs it.

    A strict build records its inputs, as they were when it started (an edit during the build
    makes it stale). ``quiet`` keeps MkDocs' log, except the last lines of a failure.
    """
    digest = inputs() if strict else None
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict" if strict else "--no-strict", "--clean", "-d", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=quiet,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        tail = "\n".join((result.stderr or "").strip().splitlines()[-15:])
        raise BuildFailed(f"mkdocs build{' --strict' if strict else ''} failed" + (f":\n{tail}" if tail else ""))
    if digest:
        (out / INPUTS).write_text(digest, encoding="utf-8")
    return out


@lru_cache(maxsize=1)
def built() -> Site:
    """The site under test: ``$NETDOCS_SITE_DIR`` when given, else site/ when it is current (``nox``
    builds it first), else a fresh strict build of its own."""
    if given := os.environ.get("NETDOCS_SITE_DIR"):
        return load(Path(given))
    if current(SITE):
        return load(SITE)
    scratch = Path(mkdtemp(prefix="netdocs-site-"))
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    return load(build(scratch / "site"))


def main() -> int:
    """``python -m netdocs.dev.builtsite [DIR]``: the strict build into DIR (site/), inputs recorded."""
    try:
        build(Path(sys.argv[1]) if len(sys.argv) > 1 else SITE, quiet=False)
    except BuildFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
