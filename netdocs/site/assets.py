"""Third-party front-end files the site serves itself, copied from ``node_modules`` at build time.

Material for MkDocs loads Mermaid from unpkg.com unless a global ``mermaid`` exists. Many
readers sit behind networks where public CDNs are blocked, so the site serves Mermaid's ESM
build (a small entry module plus chunks that load per diagram type) from
``assets/vendor/mermaid/``; ``docs/assets/javascripts/netdocs.js`` defines the global
and imports that module on the first diagram. The files come from the npm registry through
``package-lock.json`` and are never committed.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from netdocs.paths import ROOT

NODE_MODULES = ROOT / "node_modules"
LOCKFILE = ROOT / "package-lock.json"


class AssetsMissing(Exception):
    """node_modules lacks a package the site serves; the message says how to install it."""


@dataclass(frozen=True)
class Vendored:
    """A package's files the site publishes: ``files`` (globs) under ``source`` go to ``target``."""

    package: str
    source: str
    files: tuple[str, ...]
    target: str


MERMAID = Vendored(
    package="mermaid",
    source="dist",
    # The source maps are 20 MB and only help debugging Mermaid itself.
    files=("mermaid.esm.min.mjs", "chunks/mermaid.esm.min/*.mjs"),
    target="assets/vendor/mermaid",
)
VENDORED = (MERMAID,)


def locked_version(package: str, lockfile: Path = LOCKFILE) -> str:
    """The version package-lock.json pins for a top-level package."""
    lock = json.loads(lockfile.read_text(encoding="utf-8"))
    return lock["packages"][f"node_modules/{package}"]["version"]


def installed_version(package: str, node_modules: Path = NODE_MODULES) -> str | None:
    manifest = node_modules / package / "package.json"
    if not manifest.is_file():
        return None
    return json.loads(manifest.read_text(encoding="utf-8"))["version"]


def check_installed(node_modules: Path = NODE_MODULES, lockfile: Path = LOCKFILE) -> None:
    """Fail with one line when a vendored package is missing or not the locked version."""
    for item in VENDORED:
        wanted, found = locked_version(item.package, lockfile), installed_version(item.package, node_modules)
        if found != wanted:
            state = "is not installed" if found is None else f"is {found}, package-lock.json pins {wanted}"
            raise AssetsMissing(
                f"node_modules/{item.package} {state}: run `npm ci` in the repository root "
                "(`nox -s build` and `nox -s serve` do it for you)"
            )


def _same(source: Path, target: Path) -> bool:
    if not target.is_file():
        return False
    a, b = source.stat(), target.stat()
    return a.st_size == b.st_size and int(a.st_mtime) == int(b.st_mtime)


def publish(site_dir: Path, node_modules: Path = NODE_MODULES, lockfile: Path = LOCKFILE) -> list[Path]:
    """Copy every vendored file into the built site; unchanged files are skipped. Returns the targets."""
    check_installed(node_modules, lockfile)
    published: list[Path] = []
    for item in VENDORED:
        base = node_modules / item.package / item.source
        for pattern in item.files:
            for source in sorted(base.glob(pattern)):
                target = site_dir / item.target / source.relative_to(base)
                if not _same(source, target):
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, target)
                published.append(target)
    return published
