"""The server-side judge of the offline validator: which must-fail cases go, and what a disagreement is."""

from __future__ import annotations

from pathlib import Path

from netdocs.check.rules import Rule
from netdocs.kind import serverside
from netdocs.paths import TESTS

CASES = {c.path.relative_to(TESTS).as_posix(): c for c in serverside.cases()}


def test_a_rule_is_either_rejected_or_accepted_by_the_server_never_both() -> None:
    assert not serverside.SERVER_REJECTS & serverside.SERVER_ACCEPTS
    assert Rule.TARGET_PORT_MISSING in serverside.SERVER_ACCEPTS
    assert Rule.PORT_RANGE in serverside.SERVER_REJECTS


def test_value_cases_must_be_rejected_and_cross_object_cases_accepted() -> None:
    assert {c.expected for name, c in CASES.items() if name.startswith("invalid/port-range/")} == {"rejected"}
    assert CASES["invalid/target-port-missing/missing-named-port"].expected == "accepted"
    assert not [name for name in CASES if name.startswith(("invalid/shellcheck/", "invalid/api-deprecated/"))]


def test_gateway_apis_own_must_fail_set_is_sent_and_needs_its_crds() -> None:
    upstream = [c for name, c in CASES.items() if name.startswith("check/corpora/gateway-api/invalid/standard/")]
    assert len(upstream) > 20
    assert all(c.expected == "rejected" and c.needs_gateway_api for c in upstream)


def test_each_disagreement_is_a_finding_and_agreement_is_none() -> None:
    value = next(c for name, c in CASES.items() if name.startswith("invalid/port-range/"))
    assert serverside.disagreement(value, 1, 'The Service "x" is invalid: spec.ports[0].port: Invalid value') is None
    found = serverside.disagreement(value, 0, "")
    assert found is not None
    assert (found.expected, found.got) == ("rejected", "accepted")
    cross = CASES["invalid/target-port-missing/missing-named-port"]
    refused = serverside.disagreement(cross, 1, "Error from server (NotFound): namespaces not found\nmore")
    assert refused is not None
    assert refused.got == "rejected: Error from server (NotFound): namespaces not found"


def test_without_gateway_api_its_cases_are_not_sent() -> None:
    sent: list[Path] = []

    def dry_run(path: Path) -> tuple[int, str]:
        sent.append(path)
        accepted = next(c for c in CASES.values() if c.path == path).expected == "accepted"
        return (0, "") if accepted else (1, "invalid")

    findings, unsent = serverside.judge(list(CASES.values()), dry_run, gateway_api=False)
    assert findings == []
    assert unsent
    assert all(not c.needs_gateway_api for c in CASES.values() if c.path in sent)
