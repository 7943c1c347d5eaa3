"""Typed views on parsed manifests: where Pod templates live, how selectors match.

Value rules and cross-object rules both need "the Pods this object creates" and "does
this selector match those labels"; this module answers both once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from netdocs.check.yamldocs import Document, JsonPath

# Where each workload kind keeps its Pod template.
TEMPLATE_PATHS: dict[str, JsonPath] = {
    "Deployment": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
}


@dataclass(frozen=True)
class PodTemplate:
    """The Pods one object creates: their labels and spec, and where they are in the file."""

    doc: Document
    path: JsonPath  # path of the template (or () for a bare Pod)
    labels: dict[str, str]
    spec: dict[str, Any]

    @property
    def spec_path(self) -> JsonPath:
        return (*self.path, "spec")

    @property
    def owner(self) -> str:
        return f"{self.doc.kind} {self.doc.name}"

    def containers(self) -> list[tuple[JsonPath, dict[str, Any]]]:
        out = []
        for field in ("initContainers", "containers"):
            for i, container in enumerate(as_list(self.spec.get(field))):
                if isinstance(container, dict):
                    out.append(((*self.spec_path, field, i), container))
        return out

    def port_names(self) -> set[str]:
        return {
            str(port["name"])
            for _, container in self.containers()
            for port in as_list(container.get("ports"))
            if isinstance(port, dict) and port.get("name")
        }

    def port_numbers(self) -> set[int]:
        return {
            port["containerPort"]
            for _, container in self.containers()
            for port in as_list(container.get("ports"))
            if isinstance(port, dict) and isinstance(port.get("containerPort"), int)
        }


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def get(data: Any, path: JsonPath) -> Any:
    """The value at ``path``, or None when any step is missing or of the wrong type."""
    for part in path:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return None
            data = data[part]
        else:
            if not isinstance(data, dict):
                return None
            data = data.get(part)
    return data


def pod_template(doc: Document) -> PodTemplate | None:
    if not isinstance(doc.data, dict):
        return None
    if doc.kind == "Pod":
        path: JsonPath = ()
    elif doc.kind in TEMPLATE_PATHS:
        path = TEMPLATE_PATHS[doc.kind]
    else:
        return None
    template = get(doc.data, path)
    if not isinstance(template, dict):
        return None
    labels = {str(k): str(v) for k, v in as_dict(get(template, ("metadata", "labels"))).items()}
    return PodTemplate(doc, path, labels, as_dict(template.get("spec")))


def selector_matches(selector: Any, labels: dict[str, str]) -> bool:
    """A LabelSelector (matchLabels / matchExpressions) against a label set; empty matches all."""
    selector = as_dict(selector)
    for key, value in as_dict(selector.get("matchLabels")).items():
        if labels.get(str(key)) != str(value):
            return False
    for _, expr in mappings(selector.get("matchExpressions")):
        key, op = str(expr.get("key", "")), expr.get("operator")
        values = {str(v) for v in as_list(expr.get("values"))}
        present = key in labels
        if (
            (op == "In" and (not present or labels[key] not in values))
            or (op == "NotIn" and present and labels[key] in values)
            or (op == "Exists" and not present)
            or (op == "DoesNotExist" and present)
        ):
            return False
    return True


def map_selector_matches(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """A Service-style selector (a plain map): every pair must be present."""
    return all(labels.get(str(k)) == str(v) for k, v in selector.items())


def is_headless(service: Document) -> bool:
    return get(service.data, ("spec", "clusterIP")) == "None"


def service_ports(service: Document) -> list[dict[str, Any]]:
    return [p for p in as_list(get(service.data, ("spec", "ports"))) if isinstance(p, dict)]


def mappings(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """(index, item) of a list of mappings; an item of the wrong type reads as empty."""
    return [(i, as_dict(item)) for i, item in enumerate(as_list(value))]
