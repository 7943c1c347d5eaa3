"""The offline checks of every snippet manifest, run once per build and reused by every page.

Each page pair includes its manifests twice (English and Chinese), and checking a Gateway
API manifest starts node for its validators. Checking all snippet manifests in one batch
(one node run) and reusing the reports until a file changes keeps the build fast; under
``mkdocs serve`` only the edited files are checked again.
"""

from __future__ import annotations

from pathlib import Path

from netdocs.check import manifests
from netdocs.paths import SNIPPETS

_reports: dict[Path, tuple[tuple[int, int], manifests.ManifestReport]] = {}


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def _fresh(path: Path) -> bool:
    cached = _reports.get(path)
    return cached is not None and cached[0] == _stamp(path)


def report(path: Path) -> manifests.ManifestReport:
    """The manifest checks of ``path``; all stale snippet manifests are checked together first."""
    path = path.resolve()
    if not _fresh(path):
        stale = {p.resolve() for p in SNIPPETS.glob("*/*.yaml") if not _fresh(p.resolve())} | {path}
        for checked, result in manifests.check_files(sorted(stale)).items():
            _reports[checked] = (_stamp(checked), result)
    return _reports[path][1]
