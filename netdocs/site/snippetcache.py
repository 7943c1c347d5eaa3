"""The offline verdicts on every snippet manifest, as the build shows them: derived once per
content, kept on disk.

Each page pair includes its manifests twice, and checking them loads the Kubernetes schemas
and starts node for the Gateway API validators: about a second of every build, for verdicts
that change only when a snippet manifest or the checking code does. So all snippet manifests
are checked together (cross-object rules see them all) and the verdicts are kept on disk
(netdocs.check.diskcache) under a hash of every snippet manifest, the checking code and the
pinned validators. A build that finds them there imports no checking code at all. Under
``mkdocs serve`` an edited manifest changes the hash: the next page that includes it has all
manifests checked again, in one batch.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from netdocs.check import diskcache
from netdocs.paths import ROOT, SNIPPETS
from netdocs.site.sitecache import VALIDATORS

# What a verdict depends on besides the manifests: the checking code (and the core it reads),
# this module (the verdict's form), and the pinned validators it runs.
_CODE = (ROOT / "netdocs" / "check", ROOT / "netdocs")
_LOCK = ROOT / "package-lock.json"  # @kubernetes-models/gateway-api, run by node


@dataclass(frozen=True)
class Verdict:
    """What a page shows of a manifest's offline checks."""

    errors: tuple[str, ...]  # the error findings, "file:line:col: error[rule]: message"
    valid: str | None  # the Kubernetes minors its built-in kinds are valid for ("1.30-1.37"); None for Gateway API only
    gateway_api: str | None  # the Gateway API channel its Gateway API objects need, None without any


_verdicts: dict[Path, Verdict] = {}
_stamps: dict[Path, tuple[int, int]] = {}  # each manifest's (mtime, size) when its verdict was made


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def _key(paths: list[Path]) -> str:
    """A hash of what the verdicts depend on, and of where the checkout is (verdicts name files by path)."""
    digest = hashlib.sha256(str(ROOT).encode())
    code = sorted(p for folder in _CODE for p in folder.glob("*") if p.suffix in (".py", ".mjs") and p.is_file())
    for path in [*paths, *code, Path(__file__), _LOCK]:
        digest.update(f"{path}\0".encode())
        digest.update(path.read_bytes() + b"\0")
    digest.update(" ".join(version(name) for name in VALIDATORS).encode())
    return digest.hexdigest()[:32]


def _checked(paths: list[Path]) -> dict[Path, Verdict]:
    """Run the offline checks (only when the disk has no verdicts for this content)."""
    from netdocs import pins
    from netdocs.check import gateway_api, manifests  # schemas, validators, node: loaded only on a miss
    from netdocs.check.findings import errors
    from netdocs.check.rules import Rule

    verdicts = {}
    for path, report in manifests.check_files(paths).items():
        gateway = [doc for doc in report.documents if gateway_api.is_gateway_api(doc.api_version)]
        experimental = any(f.rule == Rule.GATEWAY_API_EXPERIMENTAL for f in report.findings)
        builtin = len(gateway) < len(report.documents) or not report.documents
        verdicts[path] = Verdict(
            errors=tuple(map(str, errors(report.findings))),
            valid=manifests.version_range(report.minors) if builtin else None,
            gateway_api=("experimental" if experimental else pins.GATEWAY_API_CHANNEL) if gateway else None,
        )
    return verdicts


def _refresh(wanted: Path) -> None:
    paths = sorted({p.resolve() for p in SNIPPETS.glob("*/*.yaml")} | {wanted})
    stamps = {path: _stamp(path) for path in paths}
    cache = diskcache.cache_dir() / f"snippet-verdicts-{_key(paths)}.json"
    if (text := diskcache.read(cache)) is not None:
        verdicts = {Path(name): Verdict(tuple(e), valid, gw) for name, (e, valid, gw) in json.loads(text).items()}
    else:
        verdicts = _checked(paths)
        saved = {str(path): [list(v.errors), v.valid, v.gateway_api] for path, v in verdicts.items()}
        diskcache.write(cache, json.dumps(saved))
    _verdicts.update(verdicts)
    _stamps.update(stamps)


def report(path: Path) -> Verdict:
    """The verdict on ``path``; when it changed, all snippet manifests are looked up (or checked) again."""
    path = path.resolve()
    if path not in _verdicts or _stamps.get(path) != _stamp(path):
        _refresh(path)
    return _verdicts[path]
