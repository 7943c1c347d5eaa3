"""Cross-object rules inside one example: do the objects of an example fit together?

The API server accepts a Service whose selector matches nothing, an Ingress that points at
a Service that does not exist, or an EndpointSlice whose port names differ from the
Service's; the result is a feature that silently does nothing. These rules catch that.

An example folder with ``example.toml`` (or paths given with ``--self-contained``) is a
*closed world*: everything it refers to must be in it, and a dangling reference is an error.
A user's own files are an *open world*: the API server judges each object alone, so a
reference to an object that is not among the files checked is only a note (it may well
exist in the cluster), while a reference that does resolve is still checked (ports, headless).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from netdocs.check.findings import Finding, Severity
from netdocs.check.objects import (
    PodTemplate,
    as_dict,
    as_list,
    get,
    is_headless,
    map_selector_matches,
    mappings,
    pod_template,
    selector_matches,
    service_ports,
)
from netdocs.check.rules import Rule
from netdocs.check.yamldocs import Document, JsonPath, dotted
from netdocs.paths import display

ROUTE_KINDS = ("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute")
GATEWAY_GROUP = "gateway.networking.k8s.io"
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"


@dataclass
class ExampleObjects:
    """The objects checked together, indexed the way the rules look them up."""

    docs: list[Document]
    closed: bool

    def __post_init__(self) -> None:
        self.by_kind: dict[str, list[Document]] = defaultdict(list)
        for doc in self.docs:
            self.by_kind[doc.kind].append(doc)
        self.templates: list[PodTemplate] = [t for d in self.docs if (t := pod_template(d)) is not None]
        self.where = "this example" if self.closed else "the files checked"

    def named(self, kind: str, name: str) -> Document | None:
        return next((d for d in self.by_kind.get(kind, []) if d.name == name), None)

    def listing(self) -> str:
        return "; ".join(f"{t.owner} {_labels(t.labels)}" for t in self.templates) or "none"

    def unresolved(
        self, doc: Document, path: JsonPath, rule: Rule, message: str, elsewhere: str = "it exists in the cluster"
    ) -> Finding:
        """A reference nothing here satisfies: an error in a closed world, a note in an open one."""
        if self.closed:
            return _f(doc, path, rule, message)
        return _f(doc, path, rule, f"{message}; fine if {elsewhere}", Severity.NOTE)

    def missing(self, doc: Document, path: JsonPath, rule: Rule, *, kind: str, name: str, role: str = "") -> Finding:
        """``role`` ``kind`` ``name`` (e.g. backend Service 'web') is not among these objects."""
        known = ", ".join(sorted(d.name for d in self.by_kind.get(kind, []))) or "none"
        plural = kind + ("es" if kind.endswith("s") else "s")
        message = f"{role} {kind} {name!r} is not defined in {self.where} ({plural} here: {known})"
        return self.unresolved(doc, path, rule, message.lstrip())


def _labels(labels: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}={v}" for k, v in labels.items()) + "}"


def _f(doc: Document, path: JsonPath, rule: Rule, message: str, severity: Severity = Severity.ERROR) -> Finding:
    return doc.finding(path, rule, f"{dotted(path)}: {message}" if path else message, severity=severity)


def check(docs: list[Document], closed: bool) -> list[Finding]:
    """Every cross-object finding of one example's documents (those that are mappings with a kind)."""
    example = ExampleObjects([d for d in docs if isinstance(d.data, dict) and d.kind], closed)
    findings = _duplicates(example)
    for doc in example.by_kind.get("Service", []):
        findings += _service(example, doc)
    for doc in example.by_kind.get("Ingress", []):
        findings += _ingress(example, doc)
    for kind in ROUTE_KINDS:
        for doc in example.by_kind.get(kind, []):
            findings += _route(example, doc)
    for doc in example.by_kind.get("EndpointSlice", []):
        findings += _endpoint_slice(example, doc)
    for doc in example.by_kind.get("StatefulSet", []):
        findings += _stateful_set(example, doc)
    findings += _network_policies(example)
    return findings


def _duplicates(example: ExampleObjects) -> list[Finding]:
    """The same object twice: keyed by group, kind, namespace (the file's default when unset) and name.

    In an open world two files may be variants of one example, so only a repeat inside one
    file is an error there; across files it is a note.
    """
    seen: dict[tuple[str, str, str, str], Document] = {}
    out = []
    for doc in example.docs:
        namespace = str(as_dict(get(doc.data, ("metadata",))).get("namespace") or "")
        key = (doc.api_version.rpartition("/")[0], doc.kind, namespace, doc.name)
        if doc.name and key in seen:
            first = seen[key]
            where = f"{display(first.file)}" + (f" (namespace {namespace})" if namespace else "")
            message = f"{doc.kind} {doc.name!r} is already defined in {where}; the second apply overwrites the first"
            severity = Severity.ERROR if example.closed or first.file == doc.file else Severity.NOTE
            out.append(_f(doc, ("metadata", "name"), Rule.DUPLICATE_OBJECT, message, severity))
        seen.setdefault(key, doc)
    return out


def _service(example: ExampleObjects, svc: Document) -> list[Finding]:
    selector = as_dict(get(svc.data, ("spec", "selector")))
    if not selector or get(svc.data, ("spec", "type")) == "ExternalName":
        return []
    matched = [t for t in example.templates if map_selector_matches(selector, t.labels)]
    if not matched:
        message = (
            f"{_labels(selector)} selects no Pod of {example.where}, so the Service has no endpoints; "
            f"Pod templates here: {example.listing()}"
        )
        pods = "its Pods come from elsewhere"
        return [example.unresolved(svc, ("spec", "selector"), Rule.SERVICE_SELECTS_NOTHING, message, pods)]
    out = []
    names = set().union(*(t.port_names() for t in matched))
    for i, port in enumerate(service_ports(svc)):
        target = port.get("targetPort")
        if isinstance(target, str) and not target.isdigit() and target not in names:
            owners = ", ".join(t.owner for t in matched)
            out.append(
                _f(
                    svc,
                    ("spec", "ports", i, "targetPort"),
                    Rule.TARGET_PORT_MISSING,
                    f"named port {target!r} is not a containerPort name of the selected Pods ({owners}; their "
                    f"port names: {', '.join(sorted(names)) or 'none'}); name the containerPort or use its number",
                )
            )
    return out


def _service_port(
    example: ExampleObjects, doc: Document, path: JsonPath, name: str, *, port: Any, by: str
) -> list[Finding]:
    """A backend reference to Service ``name`` on ``port`` (a number, or a port name when ``by`` is 'name')."""
    svc = example.named("Service", name)
    if svc is None:
        return [example.missing(doc, path, Rule.BACKEND_SERVICE_MISSING, kind="Service", name=name, role="backend")]
    ports = service_ports(svc)
    if get(svc.data, ("spec", "type")) == "ExternalName" and not ports:
        return []
    if port is None:
        return [_f(doc, path, Rule.BACKEND_PORT_MISSING, f"a backend to Service {name!r} needs its port")]
    field = "name" if by == "name" else "port"
    offered = [p.get(field) for p in ports]
    if port in offered:
        return []
    shown = ", ".join(str(p) for p in offered if p is not None) or "none"
    if by == "name":
        message = f"Service {name!r} has no port named {port!r} (its port names: {shown})"
    else:
        message = f"Service {name!r} has no port {port} (its ports: {shown})"
    return [_f(doc, path, Rule.BACKEND_PORT_MISSING, message)]


def _ingress_backends(data: Any) -> list[tuple[JsonPath, dict[str, Any]]]:
    out = []
    if isinstance(get(data, ("spec", "defaultBackend", "service")), dict):
        out.append((("spec", "defaultBackend", "service"), data["spec"]["defaultBackend"]["service"]))
    for i, rule in enumerate(as_list(get(data, ("spec", "rules")))):
        for j, path in enumerate(as_list(get(rule, ("http", "paths")))):
            service = get(path, ("backend", "service"))
            if isinstance(service, dict):
                out.append((("spec", "rules", i, "http", "paths", j, "backend", "service"), service))
    return out


def _ingress(example: ExampleObjects, ing: Document) -> list[Finding]:
    out: list[Finding] = []
    for path, service in _ingress_backends(ing.data):
        port = as_dict(service.get("port"))
        by, value = ("name", port.get("name")) if "name" in port else ("number", port.get("number"))
        out += _service_port(example, ing, path, str(service.get("name", "")), port=value, by=by)
    classes = example.by_kind.get("IngressClass", [])
    name = get(ing.data, ("spec", "ingressClassName")) or get(
        ing.data, ("metadata", "annotations", "kubernetes.io/ingress.class")
    )
    if name is None:
        if (classes or example.closed) and not any(
            get(c.data, ("metadata", "annotations", DEFAULT_CLASS_ANNOTATION)) == "true" for c in classes
        ):
            out.append(
                _f(
                    ing,
                    ("spec",),
                    Rule.INGRESS_CLASS_MISSING,
                    "no ingressClassName and no default IngressClass in this example "
                    f'(annotation {DEFAULT_CLASS_ANNOTATION}: "true"); set spec.ingressClassName',
                )
            )
    elif classes and not any(c.name == name for c in classes):  # a class often comes with the controller
        out.append(
            example.missing(
                ing, ("spec", "ingressClassName"), Rule.INGRESS_CLASS_MISSING, kind="IngressClass", name=name
            )
        )
    return out


def _route_backends(data: Any) -> list[tuple[JsonPath, dict[str, Any]]]:
    out = []
    for i, rule in enumerate(as_list(get(data, ("spec", "rules")))):
        for j, ref in enumerate(as_list(get(rule, ("backendRefs",)))):
            if isinstance(ref, dict):
                out.append((("spec", "rules", i, "backendRefs", j), ref))
        for j, flt in enumerate(as_list(get(rule, ("filters",)))):
            ref = get(flt, ("requestMirror", "backendRef"))
            if isinstance(ref, dict):
                out.append((("spec", "rules", i, "filters", j, "requestMirror", "backendRef"), ref))
    return out


def _is_core_service(ref: dict[str, Any]) -> bool:
    return ref.get("group", "") in ("", None) and ref.get("kind", "Service") == "Service" and not ref.get("namespace")


def _route(example: ExampleObjects, route: Document) -> list[Finding]:
    out: list[Finding] = []
    for path, ref in _route_backends(route.data):
        if _is_core_service(ref):
            out += _service_port(example, route, path, str(ref.get("name", "")), port=ref.get("port"), by="port")
    for i, parent in mappings(get(route.data, ("spec", "parentRefs"))):
        path = ("spec", "parentRefs", i)
        if parent.get("namespace"):
            continue
        if _is_core_service(parent) and parent.get("kind") == "Service":  # mesh (GAMMA) attachment
            out += _service_port(example, route, path, str(parent.get("name", "")), port=parent.get("port"), by="port")
        elif parent.get("group", GATEWAY_GROUP) == GATEWAY_GROUP and parent.get("kind", "Gateway") == "Gateway":
            out += _gateway_parent(example, route, path, parent)
    return out


def _gateway_parent(example: ExampleObjects, route: Document, path: JsonPath, parent: dict[str, Any]) -> list[Finding]:
    name = str(parent.get("name", ""))
    gateway = example.named("Gateway", name)
    if gateway is None:
        return [example.missing(route, path, Rule.ROUTE_PARENT_MISSING, kind="Gateway", name=name, role="parent")]
    listeners = [as_dict(x) for x in as_list(get(gateway.data, ("spec", "listeners")))]
    out = []
    if (section := parent.get("sectionName")) is not None and section not in {x.get("name") for x in listeners}:
        out.append(
            _f(
                route,
                (*path, "sectionName"),
                Rule.ROUTE_PARENT_MISSING,
                f"Gateway {name!r} has no listener named {section!r} "
                f"(listeners: {', '.join(str(x.get('name')) for x in listeners) or 'none'})",
            )
        )
    if (port := parent.get("port")) is not None and port not in {x.get("port") for x in listeners}:
        out.append(
            _f(
                route,
                (*path, "port"),
                Rule.ROUTE_PARENT_MISSING,
                f"Gateway {name!r} has no listener on port {port}",
            )
        )
    return out


def _endpoint_slice(example: ExampleObjects, eps: Document) -> list[Finding]:
    label_path = ("metadata", "labels", SERVICE_NAME_LABEL)
    name = get(eps.data, label_path)
    if name is None:
        return [
            _f(
                eps,
                ("metadata",),
                Rule.ENDPOINTSLICE_SERVICE,
                f"EndpointSlice has no label {SERVICE_NAME_LABEL}, so no Service uses it; add the label "
                "with the Service's name",
            )
        ]
    svc = example.named("Service", str(name))
    if svc is None:
        return [
            example.missing(eps, label_path, Rule.ENDPOINTSLICE_SERVICE, kind="Service", name=str(name), role="the")
        ]
    svc_names = {str(p.get("name") or "") for p in service_ports(svc)}
    out = []
    for i, port in enumerate(as_list(get(eps.data, ("ports",)))):
        pname = str(as_dict(port).get("name") or "")
        if pname not in svc_names:
            out.append(
                _f(
                    eps,
                    ("ports", i),
                    Rule.ENDPOINTSLICE_PORTS,
                    f"port name {pname!r} matches no port of Service {name!r} (its port names: "
                    f"{', '.join(repr(n) for n in sorted(svc_names)) or 'none'}); kube-proxy pairs them by name",
                )
            )
    slice_names = {str(as_dict(p).get("name") or "") for p in as_list(get(eps.data, ("ports",)))}
    for i, port in enumerate(service_ports(svc)):
        pname = str(port.get("name") or "")
        if slice_names and pname not in slice_names:
            out.append(
                _f(
                    svc,
                    ("spec", "ports", i),
                    Rule.ENDPOINTSLICE_PORTS,
                    f"Service port {pname!r} has no port of the same name in EndpointSlice {eps.name!r}, "
                    "so it has no endpoints",
                )
            )
    return out


def _stateful_set(example: ExampleObjects, sts: Document) -> list[Finding]:
    name = get(sts.data, ("spec", "serviceName"))
    if not name:
        return []
    svc = example.named("Service", str(name))
    path = ("spec", "serviceName")
    if svc is None:
        return [example.missing(sts, path, Rule.STATEFULSET_SERVICE, kind="Service", name=str(name), role="governing")]
    if not is_headless(svc):
        return [
            _f(
                sts,
                path,
                Rule.STATEFULSET_SERVICE,
                f"governing Service {name!r} is not headless; set its spec.clusterIP: None so each Pod gets "
                "a DNS name <pod>.<service>",
            )
        ]
    return []


def _network_policies(example: ExampleObjects) -> list[Finding]:
    out: list[Finding] = []
    policies = example.by_kind.get("NetworkPolicy", [])
    for policy in policies:
        selector = get(policy.data, ("spec", "podSelector"))
        empty = not as_dict(selector).get("matchLabels") and not as_dict(selector).get("matchExpressions")
        if not empty and not _selected(policy, example.templates):
            message = (
                f"selects no Pod of {example.where}, so the policy has no effect; Pod templates here: "
                f"{example.listing()}"
            )
            pods = "its Pods come from elsewhere"
            out.append(example.unresolved(policy, ("spec", "podSelector"), Rule.POLICY_SELECTS_NOTHING, message, pods))
    # Egress: each selected Pod must still reach DNS through some policy that selects it.
    targets: list[PodTemplate | None] = list(example.templates) or [None]
    for template in targets:
        egress = [p for p in policies if _restricts_egress(p) and (template is None or _selected(p, [template]))]
        if egress and not any(_allows_dns(p) for p in egress):
            who = f" for {template.owner}" if template else ""
            message = (
                f"egress is restricted{who} but no policy allows DNS (UDP and TCP port 53 to kube-system); "
                "name lookups will time out. Add an egress rule for port 53, or declare the break in "
                "example.toml with the reason"
                + ("" if example.closed else " (fine if a policy in the cluster allows it)")
            )
            severity = Severity.ERROR if example.closed else Severity.NOTE  # a policy elsewhere may allow it
            out.append(_f(egress[0], ("spec", "policyTypes"), Rule.EGRESS_BLOCKS_DNS, message, severity))
    return out


def _selected(policy: Document, templates: list[PodTemplate]) -> bool:
    selector = get(policy.data, ("spec", "podSelector"))
    return any(selector_matches(selector, t.labels) for t in templates)


def _restricts_egress(policy: Document) -> bool:
    types = as_list(get(policy.data, ("spec", "policyTypes")))
    return "Egress" in types or (not types and get(policy.data, ("spec", "egress")) is not None)


def _allows_dns(policy: Document) -> bool:
    """Some egress rule lets UDP/53 out to a peer that can be the cluster DNS (kube-system)."""
    for _, rule in mappings(get(policy.data, ("spec", "egress"))):
        peers = as_list(rule.get("to"))
        reaches_dns = not peers or any(
            isinstance(p, dict) and (p.get("namespaceSelector") is not None or p.get("ipBlock") is not None)
            for p in peers
        )
        ports = as_list(rule.get("ports"))
        udp_53 = not ports or any(_covers_udp_53(as_dict(p)) for p in ports)
        if reaches_dns and udp_53:
            return True
    return False


def _covers_udp_53(port: dict[str, Any]) -> bool:
    if port.get("protocol", "TCP") != "UDP":
        return False
    number, end = port.get("port"), port.get("endPort")
    if number is None:
        return True
    if isinstance(number, str):
        return number in ("dns", "domain")
    return number == 53 or (isinstance(end, int) and number <= 53 <= end)
