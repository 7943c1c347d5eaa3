"""What the build derives from the repository's own files, kept on disk between builds.

A warm build (nothing changed) should cost little more than Material's own build of the same
pages. The page calls (snippet blocks with their verdicts, example boxes with their checks
tables), the published snippets with one archive per example, and highlighted code are all
derived from files in the repository, yet making them imports the example models, the checks
and Pygments' lexers: most of what the project added to a build's time. So each is kept on disk
(netdocs.check.diskcache) under a hash of what it is made from, and made again only when that
changes; a build that finds them imports none of that code. A failed check is never kept: a
broken snippet changes the hash, is checked again and fails the build as before.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib.metadata import version
from pathlib import Path
from typing import Any

from netdocs.check import diskcache
from netdocs.paths import ROOT, SNIPPETS

# The kind report a build shows in the checks tables (netdocs.kind.report.REPORT_ENV).
REPORT_ENV = "NETDOCS_KIND_REPORT"
# Installed packages whose verdicts pages show (netdocs.site.snippetcache).
VALIDATORS = ("kubernetes-validate", "jsonschema-rs")
# Files outside snippets/ and netdocs/ that derived parts read: the pinned kind dependencies
# (bundle READMEs) and the npm lock (the Gateway API validators).
_FILES = ("pyproject.toml", "package-lock.json")
# Stores of what a checkout derived are named after it: two checkouts never evict each other's entries.
CHECKOUT = hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]


def _tree(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def inputs_key() -> str:
    """A hash of everything the page calls and the published snippets are made from: every file
    under snippets/ and netdocs/ (the code that makes them), the pinned dependencies, the
    validators' versions, the kind report given to the build, and where the checkout is (messages
    name files by path). A hash of content, not of times: a touched file changes nothing."""
    digest = hashlib.sha256(f"{ROOT}\0{' '.join(version(name) for name in VALIDATORS)}\0".encode())
    report = os.environ.get(REPORT_ENV, "").strip()
    named = [Path(report).resolve()] if report and Path(report).is_file() else []
    digest.update(f"{REPORT_ENV}={report}\0".encode())
    for path in [*_tree(SNIPPETS), *_tree(ROOT / "netdocs"), *(ROOT / name for name in _FILES), *named]:
        digest.update(f"{path}\0".encode())
        digest.update(path.read_bytes() if path.is_file() else b"(none)")
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def key(*parts: str) -> str:
    """A key made of several strings (an inputs key, a page's path and its text)."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def last_pass(config: Any) -> bool:
    """False in on_post_build of the i18n plugin's inner build of another language; True in the
    build's last on_post_build (a hook after the i18n plugin's, priority below -100)."""
    return not getattr(config["plugins"].get("i18n"), "building", False)


class Store:
    """Entries in one file on disk: read once, written back with exactly the entries this
    process used (all builds of a ``mkdocs serve`` session), so it never keeps stale ones."""

    def __init__(self, name: str, folder: Path | None = None) -> None:
        self.path = (folder or diskcache.cache_dir()) / f"{name}.json"
        self._read: dict[str, Any] | None = None  # what the disk held when first asked
        self._written: dict[str, Any] | None = None  # what the disk holds now
        self._used: dict[str, Any] = {}

    def _disk(self) -> dict[str, Any]:
        if self._read is None:
            text = diskcache.read(self.path)
            try:
                self._read = json.loads(text) if text is not None else {}
            except json.JSONDecodeError:  # a damaged file is only a miss
                self._read = {}
            self._written = self._read
        return self._read

    def get(self, key: str) -> Any | None:
        value = self._used.get(key)
        if value is None and (value := self._disk().get(key)) is not None:
            self._used[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self._used[key] = value

    def save(self) -> None:
        """Write the entries used since the process started when they are not what the disk holds."""
        self._disk()
        if self._used and self._used != self._written:
            diskcache.write(self.path, json.dumps(self._used, ensure_ascii=False))
            self._written = dict(self._used)
