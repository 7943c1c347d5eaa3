"""A small on-disk cache for facts derived from pinned inputs (schemas, kubectl help).

Entries live under ``$XDG_CACHE_HOME/netdocs`` (``~/.cache/netdocs``) in folders named after
the pinned input's version, so a new pin never reads stale data. Writes are atomic; a cache
that cannot be written only costs the time to derive the data again.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "netdocs"


def read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        scratch.write_text(text, encoding="utf-8")
        scratch.replace(path)
    except OSError:
        pass  # a read-only home still validates, it just derives the data again next time
