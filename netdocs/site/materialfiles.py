"""Files Material publishes that the build fixes in place, each found by its hashed name.

A fixed file keeps its name, so every page Material rendered still finds it; a fix leaves a
fixed file as it is, so a rebuild that did not copy the file again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def fix_published(folder: Path, pattern: str, fix: Callable[[str], str], changed: type[Exception]) -> Path:
    """Apply ``fix`` to the one file in ``folder`` matching ``pattern``; returns its path.

    Raises ``changed`` when there is not exactly one such file (Material renamed or split it).
    """
    found = sorted(folder.glob(pattern))
    if len(found) != 1:
        raise changed(f"expected one {pattern} in {folder}, found {[path.name for path in found]}")
    path = found[0]
    source = path.read_text(encoding="utf-8")
    fixed = fix(source)
    if fixed != source:
        path.write_text(fixed, encoding="utf-8")
    return path
