"""The real API server judges the offline validator: every must-fail case through a server-side dry run.

A case whose rule is about one object's schema or values (:data:`SERVER_REJECTS`) must be
rejected by ``kubectl apply --dry-run=server``; a case whose rule is about several objects
together (:data:`SERVER_ACCEPTS`) must be accepted, since the server does not check references
between objects. Gateway API's own must-fail set (``tests/check/corpora/gateway-api/invalid/
standard``, for the Standard channel the cluster has) must be rejected. Every disagreement is a
:class:`~netdocs.kind.report.Finding` against the offline validator, in the report. Rules the
server neither rejects nor judges (lifecycle warnings, lints, shell, YAML) are not sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from netdocs.check.rules import Rule
from netdocs.kind.report import Finding
from netdocs.paths import ROOT, TESTS, display

INVALID = TESTS / "invalid"
GATEWAY_API_INVALID = TESTS / "check" / "corpora" / "gateway-api" / "invalid" / "standard"

SERVER_REJECTS = {
    Rule.SCHEMA,
    Rule.SCHEMA_UNKNOWN_KIND,
    Rule.GATEWAY_API_SCHEMA,
    Rule.API_REMOVED,
    Rule.ENUM,
    Rule.PORT_RANGE,
    Rule.NODE_PORT_RANGE,
    Rule.NAME,
    Rule.PORT_NAME,
    Rule.DUPLICATE_PORT,
    Rule.LABELS,
    Rule.SELECTOR,
    Rule.FIELD_COMBINATION,
    Rule.ADDRESS,
    Rule.INGRESS_PATH,
    Rule.SELECTOR_TEMPLATE,
    Rule.VALUE_RANGE,
    Rule.RESOURCE_LIMITS,
}
SERVER_ACCEPTS = {
    Rule.SERVICE_SELECTS_NOTHING,
    Rule.TARGET_PORT_MISSING,
    Rule.BACKEND_SERVICE_MISSING,
    Rule.BACKEND_PORT_MISSING,
    Rule.ROUTE_PARENT_MISSING,
    Rule.ENDPOINTSLICE_SERVICE,
    Rule.ENDPOINTSLICE_PORTS,
    Rule.STATEFULSET_SERVICE,
    Rule.POLICY_SELECTS_NOTHING,
    Rule.EGRESS_BLOCKS_DNS,
    Rule.INGRESS_CLASS_MISSING,
}
Verdict = Literal["rejected", "accepted"]
_RULE = re.compile(r"(?:error|warning)\[([\w-]+)\]")


@dataclass(frozen=True)
class Case:
    path: Path
    expected: Verdict
    needs_gateway_api: bool


def _expected(case: Path) -> Verdict | None:
    """What the server must say, from the rule in the case's expectation (tests/invalid/<rule>/...)."""
    rule = case.parent.name
    if rule in SERVER_REJECTS:
        return "rejected"
    if rule in SERVER_ACCEPTS:
        return "accepted"
    return None


def _uses_gateway_api(path: Path) -> bool:
    files = [path] if path.is_file() else sorted(path.glob("*.y*ml"))
    return any("gateway.networking.k8s.io/" in f.read_text(encoding="utf-8") for f in files)


def cases(invalid: Path = INVALID, gateway_api: Path = GATEWAY_API_INVALID) -> list[Case]:
    """Every case the server can judge, with the verdict it must give."""
    found = []
    for path in sorted(p for rule in invalid.iterdir() if rule.is_dir() for p in rule.iterdir()):
        if (verdict := _expected(path)) is not None:
            found.append(Case(path, verdict, _uses_gateway_api(path)))
    found += [Case(path, "rejected", True) for path in sorted(gateway_api.rglob("*.yaml"))]
    return found


def disagreement(case: Case, returncode: int, stderr: str) -> Finding | None:
    """A finding when the server's answer differs from the case's verdict, else ``None``."""
    got: Verdict = "accepted" if returncode == 0 else "rejected"
    if got == case.expected:
        return None
    said = next((line.strip() for line in stderr.splitlines() if line.strip()), "no error")
    where = display(case.path) if case.path.is_relative_to(ROOT) else str(case.path)
    return Finding(case=where, expected=case.expected, got=f"{got}: {said}" if got == "rejected" else got)


def judge(
    all_cases: list[Case], dry_run: Callable[[Path], tuple[int, str]], gateway_api: bool
) -> tuple[list[Finding], list[str]]:
    """Findings for the cases the server disagrees on, and the cases not sent (with why)."""
    findings, unsent = [], []
    for case in all_cases:
        if case.needs_gateway_api and not gateway_api:
            unsent.append(f"{display(case.path)}: the cluster has no verified Gateway API")
            continue
        code, stderr = dry_run(case.path)
        if found := disagreement(case, code, stderr):
            findings.append(found)
    return findings, unsent
