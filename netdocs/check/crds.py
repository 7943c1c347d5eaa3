"""Custom resources checked against their CustomResourceDefinition, offline, as the API server does.

A CRD among the files checked (or given with ``--crd``) serves its kinds. Each custom
resource of a served version is read with structural-schema semantics: defaults applied
first, a field the schema does not declare is an error (as kubectl's default strict field
validation reports it), ``x-kubernetes-int-or-string``, ``x-kubernetes-preserve-unknown-fields``,
list-type ``map`` keys and ``set`` items unique; then every ``x-kubernetes-validations`` rule
is evaluated with CEL (:mod:`netdocs.check.kubecel`). Transition rules (those that read
``oldSelf``) judge updates, so a file, which is a create, skips them. Source: "Extend the
Kubernetes API with CustomResourceDefinitions" (kubernetes.io, tasks/extend-kubernetes/custom-resources).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from netdocs.check import kubecel
from netdocs.check.findings import Finding, Severity
from netdocs.check.objects import as_dict, as_list, get, mappings
from netdocs.check.rules import Rule
from netdocs.check.yamldocs import Document, JsonPath, dotted

CRD = ("apiextensions.k8s.io/v1", "CustomResourceDefinition")
IMPLICIT_ROOT_FIELDS = ("apiVersion", "kind", "metadata")
_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}
_FIELD_PATH = re.compile(r"\.(\w+)|\[(\d+)\]|\['([^']*)'\]")


@dataclass(frozen=True)
class Served:
    """One served version of a CRD: the CRD's name, and the schema of that version."""

    crd: str
    schema: dict[str, Any] = field(hash=False)


def is_crd(doc: Document) -> bool:
    return (doc.api_version, doc.kind) == CRD


def served(documents: list[Document]) -> dict[tuple[str, str, str], Served]:
    """(group, version, kind) -> its schema, for every served version of the CRDs among ``documents``."""
    out: dict[tuple[str, str, str], Served] = {}
    for doc in filter(is_crd, documents):
        spec = as_dict(get(doc.data, ("spec",)))
        group, kind = str(spec.get("group", "")), str(as_dict(spec.get("names")).get("kind", ""))
        for _, version in mappings(spec.get("versions")):
            schema = get(version, ("schema", "openAPIV3Schema"))
            if version.get("served", True) and isinstance(schema, dict):
                out[(group, str(version.get("name", "")), kind)] = Served(doc.name, schema)
    return out


def _types_match(schema: dict[str, Any], value: Any) -> bool:
    if schema.get("x-kubernetes-int-or-string"):
        return isinstance(value, (int, str)) and not isinstance(value, bool)
    wanted = _TYPES.get(str(schema.get("type", "")))
    if wanted is None:
        return True
    return isinstance(value, wanted) and (bool in wanted or not isinstance(value, bool))


def defaulted(schema: dict[str, Any], value: Any) -> Any:
    """``value`` with the schema's defaults filled in where a field is missing, as the API server does."""
    if isinstance(value, dict):
        out = dict(value)
        props = as_dict(schema.get("properties"))
        for name, sub in props.items():
            if name not in out and isinstance(sub, dict) and "default" in sub:
                out[name] = copy.deepcopy(sub["default"])
        for name, item in out.items():
            sub = props.get(name, schema.get("additionalProperties"))
            if isinstance(sub, dict):
                out[name] = defaulted(sub, item)
        return out
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [defaulted(schema["items"], item) for item in value]
    return value


class _Check:
    """One custom resource against one schema; findings collected on the way."""

    def __init__(self, doc: Document, version: Served) -> None:
        self.doc = doc
        self.crd = version.crd
        self.findings: list[Finding] = []
        self.blocking = 0  # values of the wrong type, required fields missing: the rules cannot read the object
        self.with_rules = False  # first the schema, then (if every value has its type) the CEL rules

    def report(self, path: JsonPath, message: str, rule: Rule = Rule.CRD_SCHEMA, **kw: Any) -> None:
        if self.with_rules and rule is Rule.CRD_SCHEMA:
            return  # reported by the first pass
        what = "schema" if rule is Rule.CRD_SCHEMA else "rule"
        text = f"{dotted(path) or '(document)'}: {message} (CRD {self.crd} {what})"
        self.findings.append(self.doc.finding(path, rule, text, **kw))

    def node(self, schema: dict[str, Any], value: Any, path: JsonPath, root: bool = False) -> None:
        if value is None:
            return  # null in a field that is not nullable is pruned before validation
        if not _types_match(schema, value):
            wanted = "an integer or a string" if schema.get("x-kubernetes-int-or-string") else schema.get("type")
            self.report(path, f"must be {wanted}, not {type(value).__name__}")
            self.blocking += 1
            return
        self.scalar(schema, value, path)
        self.combined(schema, value, path)
        if isinstance(value, dict):
            self.object(schema, value, path, root)
        elif isinstance(value, list):
            self.array(schema, value, path)
        if self.with_rules:
            self.rules(schema, value, path)

    def combined(self, schema: dict[str, Any], value: Any, path: JsonPath) -> None:
        """allOf, anyOf, oneOf and not: in a structural schema they hold value validations only."""
        if self.with_rules:
            return
        for sub in as_list(schema.get("allOf")):
            self.scalar(as_dict(sub), value, path)
            self.required(as_dict(sub), value, path)
        for word, fits in (("anyOf", lambda n: n >= 1), ("oneOf", lambda n: n == 1)):
            if options := as_list(schema.get(word)):
                matching = sum(self.fits(as_dict(sub), value) for sub in options)
                if not fits(matching):
                    wanted = "at least one" if word == "anyOf" else "exactly one"
                    self.report(path, f"must match {wanted} of its {len(options)} {word} schemas; matches {matching}")
        if isinstance(schema.get("not"), dict) and self.fits(schema["not"], value):
            self.report(path, "must not match the schema under 'not'")

    def fits(self, schema: dict[str, Any], value: Any) -> bool:
        """Whether ``value`` passes the value validations of ``schema`` (nothing reported)."""
        probe = _Check(self.doc, Served(self.crd, schema))
        probe.scalar(schema, value, ())
        probe.required(schema, value, ())
        return not probe.findings

    def required(self, schema: dict[str, Any], value: Any, path: JsonPath) -> None:
        for name in schema.get("required", []) if isinstance(value, dict) else []:
            if name not in value:
                self.report(path, f"missing required field '{name}'")
                self.blocking += 1

    def scalar(self, schema: dict[str, Any], value: Any, path: JsonPath) -> None:
        if "enum" in schema and value not in schema["enum"]:
            self.report(path, f"{value!r} is not one of: {', '.join(map(str, schema['enum']))}")
        if isinstance(value, str):
            if (pattern := schema.get("pattern")) and not _search(pattern, value):
                self.report(path, f"{value!r} must match the pattern {pattern}")
            if len(value) > schema.get("maxLength", len(value)):
                self.report(path, f"may be at most {schema['maxLength']} characters long")
            if len(value) < schema.get("minLength", 0):
                self.report(path, f"must be at least {schema['minLength']} characters long")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if "maximum" in schema and (
                value > schema["maximum"] or (schema.get("exclusiveMaximum") and value == schema["maximum"])
            ):
                self.report(path, f"{value} must be at most {schema['maximum']}")
            if "minimum" in schema and (
                value < schema["minimum"] or (schema.get("exclusiveMinimum") and value == schema["minimum"])
            ):
                self.report(path, f"{value} must be at least {schema['minimum']}")

    def object(self, schema: dict[str, Any], value: dict[str, Any], path: JsonPath, root: bool) -> None:
        props = as_dict(schema.get("properties"))
        extra = schema.get("additionalProperties")
        open_object = schema.get("x-kubernetes-preserve-unknown-fields") or extra is True
        embedded = root or schema.get("x-kubernetes-embedded-resource")
        self.required(schema, value, path)
        for name, item in value.items():
            if name in props:
                self.node(props[name], item, (*path, name))
            elif isinstance(extra, dict):
                self.node(extra, item, (*path, name))
            elif not open_object and not (embedded and name in IMPLICIT_ROOT_FIELDS):
                allowed = ", ".join(sorted(props)) or "none"
                self.report((*path, name), f"unknown field '{name}'; allowed here: {allowed}")
        if len(value) > schema.get("maxProperties", len(value)):
            self.report(path, f"may have at most {schema['maxProperties']} entries")

    def array(self, schema: dict[str, Any], value: list[Any], path: JsonPath) -> None:
        if len(value) > schema.get("maxItems", len(value)):
            self.report(path, f"may have at most {schema['maxItems']} items")
        if len(value) < schema.get("minItems", 0):
            self.report(path, f"must have at least {schema['minItems']} items")
        if isinstance(schema.get("items"), dict):
            for i, item in enumerate(value):
                self.node(schema["items"], item, (*path, i))
        kind = schema.get("x-kubernetes-list-type")
        keys = schema.get("x-kubernetes-list-map-keys", [])
        seen: dict[Any, int] = {}
        for i, item in enumerate(value):
            key = repr([as_dict(item).get(k) for k in keys]) if kind == "map" else repr(item)
            if kind in ("map", "set") or schema.get("uniqueItems"):
                if key in seen:
                    what = f"keys {', '.join(keys)}" if kind == "map" else "value"
                    self.report((*path, i), f"duplicate entry: same {what} as item {seen[key]}")
                seen.setdefault(key, i)

    def rules(self, schema: dict[str, Any], value: Any, path: JsonPath) -> None:
        for _, spec in mappings(schema.get("x-kubernetes-validations")):
            rule = str(spec.get("rule", ""))
            if not rule or "oldSelf" in rule:
                continue  # a transition rule: it judges updates, and a file is a create
            where = (*path, *_field_path(str(spec.get("fieldPath", ""))))
            try:
                if kubecel.evaluate(rule, {"self": kubecel.cel_value(value)}) is True:
                    continue
                message = spec.get("message") or f"failed rule: {rule}"
                if expression := spec.get("messageExpression"):
                    message = str(kubecel.evaluate(str(expression), {"self": kubecel.cel_value(value)}))
            except kubecel.RuleError as exc:
                message = f"rule {rule!r} could not be evaluated offline ({exc}); check it on a cluster"
                self.report(where, message, Rule.CRD_RULE, severity=Severity.WARNING)
                continue
            self.report(where, str(message), Rule.CRD_RULE)


def _search(pattern: str, value: str) -> bool:
    try:
        return re.search(pattern, value) is not None
    except re.error:
        return True  # a Go (RE2) pattern Python cannot read: left to the API server


def _field_path(text: str) -> JsonPath:
    """``.spec.rules[0]['x']`` as a path; where a rule points its message."""
    return tuple(m[0] or (int(m[1]) if m[1] else m[2]) for m in _FIELD_PATH.findall(text))


def check(doc: Document, version: Served) -> list[Finding]:
    """Every finding of a custom resource against the served version of its CRD."""
    run = _Check(doc, version)
    data = defaulted(version.schema, doc.data)
    run.node(version.schema, data, (), root=True)
    if not run.blocking:  # as on the API server, a wrong type or a missing required field blocks the rules
        run.with_rules = True
        run.node(version.schema, data, (), root=True)
    return run.findings
