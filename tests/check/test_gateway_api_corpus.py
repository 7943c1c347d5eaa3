"""Gateway API's own corpus (tests/check/corpora/gateway-api/): its examples pass, its must-fail files fail.

The offline check judges Gateway API objects with the pinned release's validators from npm
(@kubernetes-models/gateway-api): types, required fields, enums, patterns, unknown fields.
The CEL rules (x-kubernetes-validations) live only in the release's CRD files, which no
package registry ships, so the must-fail files that only a CEL rule rejects are listed in
CEL_ONLY; given the CRD with ``--crd``, the same files fail for their real reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netdocs.check.findings import errors
from netdocs.check.validate import run
from netdocs.paths import TESTS, display

CORPUS = TESTS / "check" / "corpora" / "gateway-api"
INVALID = sorted((CORPUS / "invalid").rglob("*.yaml"))
EXAMPLES = sorted((CORPUS / "examples").rglob("*.yaml"))
# Rejected upstream only by a CEL rule or a list-map key of the CRD (path relative to invalid/).
CEL_ONLY = {
    "experimental/grpcroute/invalid-service.yaml",
    "standard/gateway/hostname-tcp.yaml",
    "standard/gateway/hostname-udp.yaml",
    "standard/gateway/invalid-addresses.yaml",
    "standard/gateway/invalid-tls-mode.yaml",
    "standard/gateway/tlsconfig-tcp.yaml",
    "standard/httproute/duplicate-header-match.yaml",
    "standard/httproute/duplicate-query-match.yaml",
    "standard/httproute/invalid-filter-duplicate-header.yaml",
    "standard/httproute/invalid-filter-duplicate.yaml",
    "standard/httproute/invalid-filter-empty.yaml",
    "standard/httproute/invalid-filter-wrong-field.yaml",
    "standard/httproute/invalid-path-alphanum-specialchars-mix.yaml",
    "standard/httproute/invalid-path-specialchars.yaml",
    "standard/httproute/invalid-request-redirect-with-backendref.yaml",
}
# The five listener rules of apis/v1/gateway_types.go, as a CRD: the files they reject, and why.
LISTENER_RULES = {
    "duplicate-listeners.yaml": "Listener name must be unique within the Gateway",
    "hostname-tcp.yaml": "hostname must not be specified for protocols ['TCP', 'UDP']",
    "hostname-udp.yaml": "hostname must not be specified for protocols ['TCP', 'UDP']",
    "invalid-tls-mode.yaml": "tls mode must be Terminate for protocol HTTPS",
    "tlsconfig-tcp.yaml": "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
}


def _name(path: Path) -> str:
    return path.relative_to(CORPUS / "invalid").as_posix()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.relative_to(CORPUS).as_posix())
def test_upstream_example_passes(path: Path) -> None:
    bad = errors(run([path]).findings)
    assert not bad, "\n".join(map(str, bad))


@pytest.mark.parametrize("path", INVALID, ids=_name)
def test_upstream_must_fail_file(path: Path) -> None:
    bad = errors(run([path]).findings)
    if _name(path) in CEL_ONLY:
        assert not bad, f"{display(path)} is rejected now: remove it from CEL_ONLY\n" + "\n".join(map(str, bad))
    else:
        assert bad, f"{display(path)}: upstream's must-fail file passed"


def test_the_must_fail_set_is_mostly_rejected_offline() -> None:
    """A measure, kept from sliding back: 25 of the 40 files fail without the CRDs."""
    assert (len(INVALID), len(INVALID) - len(CEL_ONLY)) == (40, 25)
    assert {_name(p) for p in INVALID} >= CEL_ONLY


@pytest.mark.parametrize(("name", "message"), sorted(LISTENER_RULES.items()))
def test_gateway_api_cel_rules_given_as_a_crd_reject_for_the_real_reason(name: str, message: str) -> None:
    path = CORPUS / "invalid" / "standard" / "gateway" / name
    found = run([path], crds=[CORPUS / "listener-rules-crd.yaml"]).findings
    rules = [f for f in found if f.rule == "crd-rule" and f.file == display(path)]
    assert [f.message for f in rules] == [f"spec.listeners: {message} (CRD gateways.gateway.networking.k8s.io rule)"], (
        "\n".join(map(str, found))
    )
    assert rules[0].line == 7  # the listeners key
