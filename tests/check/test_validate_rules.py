"""How the rules behave beyond "this case fails": deliberate breaks, version ranges, open and
closed examples, shell parsing, and robustness against any YAML a user may feed in."""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest

from netdocs.check import kubectl, semantics, values
from netdocs.check.findings import Severity, errors
from netdocs.check.manifests import check_file, version_range
from netdocs.check.shell import kubectl_commands
from netdocs.check.validate import run
from netdocs.check.yamldocs import load
from netdocs.paths import SNIPPETS

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: echo
spec:
  selector:
    matchLabels: {app: echo}
  template:
    metadata:
      labels: {app: echo}
    spec:
      containers:
        - name: echo
          image: registry.k8s.io/e2e-test-images/agnhost:2.53
          ports: [{name: http, containerPort: 8080}]
"""
SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector: {{app: {app}}}
  ports: [{{name: http, port: 80, targetPort: http}}]
"""
META = """[title]
en = "t"
zh = "t"

[summary]
en = "s"
zh = "s"

[kind]
cleanup = ""
"""


def _example(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "example"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def test_deliberate_break_is_a_warning_with_its_reason(tmp_path: Path) -> None:
    folder = _example(
        tmp_path,
        {
            "deployment.yaml": DEPLOYMENT,
            "service.yaml": SERVICE.format(name="orphan", app="nobody"),
            "example.toml": META + '\n[[breaks]]\nrule = "service-selects-nothing"\n'
            'why = { en = "Shows what no endpoints look like.", zh = "展示没有端点时的样子。" }\n',
        },
    )
    findings = run([folder]).findings
    assert not errors(findings)
    (warning,) = [f for f in findings if f.rule == "service-selects-nothing"]
    assert warning.severity is Severity.WARNING
    assert warning.message.endswith("[broken on purpose: Shows what no endpoints look like.]")


def test_break_naming_an_unknown_rule_fails(tmp_path: Path) -> None:
    folder = _example(
        tmp_path,
        {
            "deployment.yaml": DEPLOYMENT,
            "example.toml": META + '\n[[breaks]]\nrule = "no-such-rule"\nwhy = { en = "x", zh = "x" }\n',
        },
    )
    assert any("breaks names unknown rule 'no-such-rule'" in str(f) for f in errors(run([folder]).findings))


def test_open_folder_checks_references_only_to_kinds_it_holds(tmp_path: Path) -> None:
    """A lone Service file is fine; the same file in a site example (closed world) is not."""
    folder = _example(tmp_path, {"service.yaml": SERVICE.format(name="echo", app="echo")})
    assert not errors(run([folder]).findings)
    (folder / "example.toml").write_text(META)
    assert [f.rule for f in errors(run([folder]).findings)] == ["service-selects-nothing"]


def test_egress_policy_that_allows_dns_passes(tmp_path: Path) -> None:
    policy = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: egress-dns-only
spec:
  podSelector: {matchLabels: {app: echo}}
  policyTypes: [Egress]
  egress:
    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]
      ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]
"""
    folder = _example(tmp_path, {"deployment.yaml": DEPLOYMENT, "policy.yaml": policy})
    assert not errors(run([folder], self_contained=True).findings)
    (folder / "policy.yaml").write_text(policy.replace("protocol: UDP, ", ""))
    assert [f.rule for f in errors(run([folder], self_contained=True).findings)] == ["egress-blocks-dns"]
    # Checked as a user's own files, another policy in the cluster may allow DNS: a note, not an error.
    (note,) = run([folder]).findings
    assert (note.rule, note.severity) == ("egress-blocks-dns", Severity.NOTE)


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("  trafficDistribution: PreferSameNode\n", "1.34-1.37"),  # KEP-3015 beta in 1.34
        ("  trafficDistribution: PreferClose\n", "1.31-1.37"),  # KEP-4444 beta in 1.31
        ("  internalTrafficPolicy: Local\n", "1.30-1.37"),
    ],
)
def test_values_narrow_the_version_range(tmp_path: Path, snippet: str, expected: str) -> None:
    path = tmp_path / "service.yaml"
    path.write_text(SERVICE.format(name="echo", app="echo") + snippet)
    report = check_file(path)
    assert not errors(report.findings)
    assert version_range(report.minors) == expected


def test_service_name_starting_with_a_digit_needs_1_36(tmp_path: Path) -> None:
    path = tmp_path / "service.yaml"
    path.write_text(SERVICE.format(name="1st-echo", app="echo"))
    assert version_range(check_file(path).minors) == "1.36-1.37"  # KEP-5311 beta in 1.36


def test_gateway_api_metadata_and_nested_unknown_fields(tmp_path: Path) -> None:
    path = tmp_path / "route.yaml"
    path.write_text(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\n  labelz: {a: b}\n"
        "spec:\n  parentRefs: [{name: web, sektion: http}]\n  rules:\n    - backendRefs: [{name: echo, port: 80}]\n"
    )
    messages = [f.message for f in errors(check_file(path).findings)]
    assert any(m.startswith("metadata.labelz: unknown field 'labelz'") for m in messages), messages
    assert any(m.startswith("spec.parentRefs[0].sektion: unknown field 'sektion'") for m in messages), messages


def test_tls_route_v1_needs_1_31(tmp_path: Path) -> None:
    path = tmp_path / "tlsroute.yaml"
    path.write_text(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: TLSRoute\nmetadata:\n  name: r\nspec:\n"
        "  parentRefs: [{name: web}]\n  hostnames: [db.example.com]\n"
        "  rules:\n    - backendRefs: [{name: db, port: 5432}]\n"
    )
    report = check_file(path)
    assert not errors(report.findings), report.findings
    assert version_range(report.minors) == "1.31-1.37"


def _mutations(data: object, rng: random.Random) -> object:
    """The document with values swapped for other types: what a careless edit produces."""
    if isinstance(data, dict):
        return {k: _mutations(v, rng) for k, v in data.items()}
    if isinstance(data, list):
        return [_mutations(v, rng) for v in data]
    return rng.choice([data, data, None, 7, -1, "x", [], {}, [{"a": 1}], {"k": [1]}, True, 1.5])


@pytest.mark.parametrize("seed", range(5))
def test_rules_never_crash_on_wrongly_typed_documents(seed: int) -> None:
    rng = random.Random(seed)
    documents = [doc for path in sorted(SNIPPETS.rglob("*.yaml")) for doc in load(path)[0]]
    assert documents
    mutated = []
    for doc in documents:
        clone = copy.copy(doc)
        clone.data = _mutations(doc.data, rng)
        values.check(clone)  # must not raise
        mutated.append(clone)
    semantics.check(mutated, closed=True)  # nor this


def test_kubectl_commands_are_found_the_way_bash_splits_them(tmp_path: Path) -> None:
    script = tmp_path / "steps.sh"
    script.write_text(
        "kubectl apply -f a.yaml \\\n  -f b.yaml\n"
        "IP=$(kubectl get svc echo -o jsonpath='{.spec.clusterIP}')\n"
        "kubectl get pods 2>/dev/null | kubectl -n kube-system logs x && echo done\n"
        "kubectl apply -f - <<EOF\nkind: kubectl get nothing\nEOF\n"
        "# kubectl in a comment\necho 'kubectl in a string'\n"
        "if kubectl get ns x >/dev/null 2>&1; then kubectl scale deploy/echo --replicas 3; fi\n"
    )
    found = [(c.line, c.words) for c in kubectl_commands(script.read_text())]
    assert found == [
        (1, ["apply", "-f", "a.yaml", "-f", "b.yaml"]),
        (3, ["get", "svc", "echo", "-o", "jsonpath={.spec.clusterIP}"]),
        (4, ["get", "pods"]),
        (4, ["-n", "kube-system", "logs", "x"]),
        (5, ["apply", "-f", "-"]),
        (10, ["get", "ns", "x"]),
        (10, ["scale", "deploy/echo", "--replicas", "3"]),
    ]


@pytest.mark.parametrize(
    ("words", "command", "flags", "problem"),
    [
        (["-n", "demo", "get", "pods", "-A"], "get", [("namespace", "demo"), ("all-namespaces", None)], None),
        (["create", "svc", "nodeport", "x", "--tcp=80:8080"], "create service nodeport", [("tcp", "80:8080")], None),
        (["exec", "-it", "deploy/c", "--", "sh", "-c", "ls -la"], "exec", [("stdin", None), ("tty", None)], None),
        (["exec", "--tty=false", "deploy/c", "--", "true"], "exec", [], None),
        (["logs", "-lapp=echo", "--tail", "5"], "logs", [("selector", "app=echo"), ("tail", "5")], None),
        (["rollout", "status", "deploy/x", "--timout=5s"], "rollout status", [], "did you mean --timeout?"),
        (["create", "deployment", "x", "-f", "d.yaml"], "create deployment", [], "has no flag -f"),
        (["proxi"], "", [], "did you mean 'proxy'?"),
    ],
)
def test_kubectl_words_are_parsed_like_cobra(
    words: list[str], command: str, flags: list[tuple[str, str | None]], problem: str | None
) -> None:
    invocation = kubectl.parse(words)
    assert invocation.command == command
    assert invocation.flags == flags
    messages = [p.message for p in invocation.problems]
    assert (problem is None and not messages) or any(problem in m for m in messages if problem), messages


def test_one_file_of_a_site_example_is_checked_in_its_examples_context() -> None:
    """`validate snippets/x/service.yaml` sees the example's other manifests, as `validate snippets/x` does."""
    for example in (SNIPPETS / "clusterip", SNIPPETS / "gateway-httproute"):
        for path in sorted(example.glob("*.yaml")):
            assert not errors(run([path]).findings), path


def test_kubectl_in_loops_and_process_substitution_is_found() -> None:
    text = (
        'for pod in $(kubectl get pods -o name); do kubectl delete "$pod" --wait=false; done\n'
        'while read -r line; do echo "$line"; done < <(kubectl get svc -o name)\n'
        "kubectl logs deploy/echo >/tmp/log 2>&1 &\n"
    )
    assert [c.words for c in kubectl_commands(text)] == [
        ["get", "pods", "-o", "name"],
        ["delete", "$pod", "--wait=false"],
        ["get", "svc", "-o", "name"],
        ["logs", "deploy/echo"],
    ]


def test_gateway_api_crd_rules_the_packaged_validators_lack(tmp_path: Path) -> None:
    path = tmp_path / "gateway.yaml"
    path.write_text(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: web\nspec:\n"
        "  gatewayClassName: c\n  listeners:\n    - {name: http, protocol: HTTP, port: 80}\n"
        "    - {name: http, protocol: HTTP, port: 8080}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\nspec:\n"
        "  rules:\n    - matches: [{path: {type: PathPrefix, value: api}}]\n"
        "      backendRefs: [{name: echo, port: 80}]\n"
    )
    messages = sorted(f.message for f in errors(check_file(path).findings))
    assert messages == [
        "spec.listeners[1].name: duplicate listener name 'http' (CRD rule)",
        "spec.rules[0].matches[0].path.value: an Exact or PathPrefix path must start with '/' (CRD rule)",
    ]


def test_experimental_channel_kinds_and_inherited_fields_warn(tmp_path: Path) -> None:
    path = tmp_path / "routes.yaml"
    path.write_text(
        "apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\nmetadata:\n  name: db\nspec:\n"
        "  parentRefs: [{name: web}]\n  rules:\n    - backendRefs: [{name: db, port: 5432}]\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\nspec:\n"
        "  useDefaultGateways: All\n  rules:\n    - backendRefs: [{name: echo, port: 80}]\n"
    )
    findings = check_file(path).findings
    assert not errors(findings)
    assert sorted((f.line, f.rule) for f in findings) == [
        (1, "gateway-api-experimental"),
        (15, "gateway-api-experimental"),
    ]
