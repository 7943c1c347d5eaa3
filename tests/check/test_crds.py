"""Custom resources against their CRD: structural schema semantics and CEL rules, with Kubernetes' functions."""

from __future__ import annotations

from pathlib import Path

import pytest

from netdocs.check import kubecel
from netdocs.check.crds import defaulted
from netdocs.check.findings import Severity
from netdocs.check.validate import run

CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [ports]
              x-kubernetes-validations:
                - rule: "!has(self.url) || isURL(self.url)"
                  message: url must be an absolute URL
                  fieldPath: .url
                - rule: "self.ports.all(p, p.name.lowerAscii() == p.name)"
                  messageExpression: "'port names are lower case, not ' + self.ports.map(p, p.name).join(', ')"
                - rule: "self.mode != oldSelf.mode"
                  message: a transition rule, never evaluated for a file
              properties:
                mode: {type: string, default: Fast, enum: [Fast, Safe]}
                url: {type: string}
                target: {x-kubernetes-int-or-string: true}
                extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                source:
                  type: object
                  properties: {git: {type: string}, image: {type: string}}
                  oneOf: [{required: [git]}, {required: [image]}]
                ports:
                  type: array
                  x-kubernetes-list-type: map
                  x-kubernetes-list-map-keys: [name]
                  items:
                    type: object
                    required: [name]
                    properties:
                      name: {type: string}
                      port: {type: integer, minimum: 1, maximum: 65535}
"""
WIDGET = """apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
{spec}"""


def _findings(tmp_path: Path, spec: str) -> list[tuple[int, str, str]]:
    (tmp_path / "crd.yaml").write_text(CRD)
    (tmp_path / "widget.yaml").write_text(WIDGET.format(spec=spec))
    found = run([tmp_path / "widget.yaml"], crds=[tmp_path / "crd.yaml"]).findings
    return [(f.line, f.rule, f.message) for f in found if f.file.endswith("widget.yaml")]


def test_valid_custom_resource_passes(tmp_path: Path) -> None:
    spec = (
        "  target: 80\n  url: https://example.com/x\n  extra: {anything: [1]}\n  ports: [{name: http, port: 80}]\n"
        "  source: {git: https://example.com/repo}\n"
    )
    assert _findings(tmp_path, spec) == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("  ports: [{name: a}, {name: a}]\n", (6, "crd-schema", "spec.ports[1]: duplicate entry: same keys name")),
        ("  ports: [{name: a, port: 0}]\n", (6, "crd-schema", "spec.ports[0].port: 0 must be at least 1")),
        ("  ports: []\n  target: [1]\n", (7, "crd-schema", "spec.target: must be an integer or a string, not list")),
        ("  mode: Slow\n  ports: []\n", (6, "crd-schema", "spec.mode: 'Slow' is not one of: Fast, Safe")),
        ("  url: x\n", (5, "crd-schema", "spec: missing required field 'ports'")),
        ("  url: 'not a url'\n  ports: []\n", (6, "crd-rule", "spec.url: url must be an absolute URL")),
        ("  ports: [{name: Web}]\n", (5, "crd-rule", "spec: port names are lower case, not Web")),
        (
            "  ports: []\n  source: {git: x, image: y}\n",
            (7, "crd-schema", "spec.source: must match exactly one of its 2 oneOf schemas; matches 2"),
        ),
    ],
)
def test_schema_and_rules_fail_at_the_line(tmp_path: Path, spec: str, expected: tuple[int, str, str]) -> None:
    (line, rule, message) = expected
    found = _findings(tmp_path, spec)
    assert any(f[0] == line and f[1] == rule and f[2].startswith(message) for f in found), found
    assert all("(CRD widgets.example.com " in f[2] for f in found)


def test_a_wrong_type_blocks_the_rules_as_on_the_api_server(tmp_path: Path) -> None:
    assert [f[1] for f in _findings(tmp_path, "  url: 'not a url'\n  ports: {name: x}\n")] == ["crd-schema"]


def test_defaults_are_applied_before_the_rules() -> None:
    schema = {"type": "object", "properties": {"mode": {"type": "string", "default": "Fast"}}}
    assert defaulted(schema, {}) == {"mode": "Fast"}
    assert defaulted(schema, {"mode": "Safe"}) == {"mode": "Safe"}


def test_rule_the_interpreter_cannot_read_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "crd.yaml").write_text(CRD.replace("isURL(self.url)", "self.?url.orValue('') != ''"))
    (tmp_path / "widget.yaml").write_text(WIDGET.format(spec="  ports: []\n"))
    found = [f for f in run([tmp_path]).findings if f.rule == "crd-rule" and f.file.endswith("widget.yaml")]
    assert [f.severity for f in found] == [Severity.WARNING]
    assert "could not be evaluated offline" in found[0].message


@pytest.mark.parametrize(
    ("rule", "value"),
    [
        ("'a,b'.split(',') == ['a', 'b']", True),
        ("isIP('10.0.0.1') && !isIP('10.0.0.300')", True),
        ("ip('fd00::1').family() == 6", True),
        ("isCIDR('10.0.0.0/8') && cidr('10.0.0.0/8').containsIP('10.1.2.3')", True),
        ("quantity('1Gi').isGreaterThan(quantity('1G'))", True),
        ("isURL('https://example.com') && !isURL('example.com')", True),
        ("'Hello'.lowerAscii() + 'x'.upperAscii()", "helloX"),
        ("['b', 'a'].isSorted()", False),
        ("'abc'.indexOf('c') == 2 && [1, 2].indexOf(2) == 1", True),
    ],
)
def test_kubernetes_cel_functions(rule: str, value: object) -> None:
    assert kubecel.evaluate(rule, {}) == value


def test_crd_rule_the_interpreter_cannot_compile_is_a_warning_on_the_crd(tmp_path: Path) -> None:
    (tmp_path / "crd.yaml").write_text(CRD.replace("isURL(self.url)", "self.?url.orValue('') != ''"))
    (finding,) = [f for f in run([tmp_path / "crd.yaml"]).findings if f.rule == "crd-rule"]
    assert finding.severity is Severity.WARNING
    assert finding.line == CRD.splitlines().index('                - rule: "!has(self.url) || isURL(self.url)"') + 1
    assert "does not compile offline (at 1:23: unsupported syntax '.?')" in finding.message


def test_version_the_crd_does_not_serve_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "crd.yaml").write_text(CRD)
    (tmp_path / "widget.yaml").write_text(
        WIDGET.format(spec="  ports: []\n").replace("example.com/v1", "example.com/v2")
    )
    (finding,) = [f for f in run([tmp_path]).findings if f.file.endswith("widget.yaml")]
    assert (finding.rule, finding.severity, finding.line) == ("schema-unknown-kind", Severity.ERROR, 2)
    assert finding.message.endswith("the CRD given serves Widget in version v1 only")
