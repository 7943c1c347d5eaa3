"""Values the OpenAPI schema leaves open, checked the way the API server's validation does.

The schema says ``spec.type`` is a string and ``port`` an integer; the API server then
rejects ``type: Clusterip``, ``port: 70000`` or a port name of 16 characters. These rules
follow kubernetes/kubernetes ``pkg/apis/core/validation``, ``pkg/apis/networking/validation``
and ``pkg/apis/discovery/validation``, and each message says what is allowed.

A few values are valid only from some minor on (``trafficDistribution: PreferSameNode``
from 1.34, Service names that start with a digit from 1.36); those narrow the document's
compatible minors instead of failing it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from netdocs.check import kubecel, names, schemas
from netdocs.check.apis import minor_key
from netdocs.check.findings import Finding, Severity
from netdocs.check.objects import as_dict, as_list, get, mappings, pod_template, selector_matches
from netdocs.check.rules import Rule
from netdocs.check.yamldocs import Document, JsonPath, dotted

PROTOCOLS = ("TCP", "UDP", "SCTP")
SERVICE_TYPES = ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")
TRAFFIC_POLICIES = ("Cluster", "Local")
SESSION_AFFINITIES = ("ClientIP", "None")
IP_FAMILIES = ("IPv4", "IPv6")
IP_FAMILY_POLICIES = ("SingleStack", "PreferDualStack", "RequireDualStack")
# KEP-4444: the field is beta (on by default) from 1.31, GA in 1.33; in 1.30 it is alpha and
# dropped unless a feature gate is on. KEP-3015: PreferSameZone and PreferSameNode are beta
# from 1.34, GA in 1.35; PreferClose stays as the older name of PreferSameZone.
TRAFFIC_DISTRIBUTION_SINCE = {"PreferClose": "1.31", "PreferSameZone": "1.34", "PreferSameNode": "1.34"}
PATH_TYPES = ("Exact", "Prefix", "ImplementationSpecific")
POLICY_TYPES = ("Ingress", "Egress")
ADDRESS_TYPES = ("IPv4", "IPv6", "FQDN")
SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
RESTART_POLICIES = ("Always", "OnFailure", "Never")
DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
PULL_POLICIES = ("Always", "Never", "IfNotPresent")
NODE_PORT_RANGE = (30000, 32767)  # kube-apiserver --service-node-port-range default
# KEP-5311: Service names may be DNS-1123 labels (may start with a digit) from 1.36 (beta).
RELAXED_SERVICE_NAMES_SINCE = "1.36"
GATEWAY_GROUPS = ("gateway.networking.k8s.io", "gateway.networking.x-k8s.io")

# Kinds whose names the API server checks with a rule other than a DNS subdomain, by group:
# RBAC names are path segments (pkg/apis/rbac/validation/validation.go, ValidateRBACName);
# certificate requests may have any name (pkg/apis/certificates/validation/validation.go,
# ValidateCertificateRequestName: "We don't care what you call your certificate requests").
NAME_RULES: dict[str, Callable[[str], list[str]]] = {
    "rbac.authorization.k8s.io": names.path_segment_name,
    "certificates.k8s.io": lambda _: [],
}
RESOURCE_FIELDS = ("cpu", "memory", "ephemeral-storage")

DEPRECATED_ANNOTATIONS = {
    ("Service", "service.kubernetes.io/topology-aware-hints"): (
        "deprecated since Kubernetes 1.27; use the annotation service.kubernetes.io/topology-mode, "
        "or better spec.trafficDistribution"
    ),
    ("Ingress", "kubernetes.io/ingress.class"): "deprecated since Kubernetes 1.18; use spec.ingressClassName",
}


class Checker:
    """Collects the findings of one document; ``since`` narrows its compatible minors."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.findings: list[Finding] = []
        self.minors: set[str] = set(schemas.MINORS)

    def report(self, path: JsonPath, rule: Rule, message: str, severity: Severity = Severity.ERROR) -> None:
        self.findings.append(self.doc.finding(path, rule, f"{dotted(path)}: {message}", severity=severity))

    def since(self, minor: str) -> None:
        self.minors &= {m for m in schemas.MINORS if minor_key(m) >= minor_key(minor)}

    def enum(self, path: JsonPath, allowed: Iterable[str], what: str = "") -> None:
        value = get(self.doc.data, path)
        allowed = tuple(allowed)
        if value is not None and value not in allowed:
            self.report(path, Rule.ENUM, f"{value!r} is not {what or 'supported'}; allowed: {', '.join(allowed)}")

    def report_problems(self, path: JsonPath, problems: list[str], rule: Rule = Rule.NAME) -> None:
        if problems:
            self.report(path, rule, f"{get(self.doc.data, path)!r} " + "; ".join(problems))

    def port(self, path: JsonPath, what: str = "port") -> None:
        value = get(self.doc.data, path)
        if isinstance(value, int) and not 1 <= value <= 65535:
            self.report(path, Rule.PORT_RANGE, f"{what} {value} is out of range; must be between 1 and 65535")

    def port_or_name(self, path: JsonPath) -> None:
        """A port given by number (1-65535) or by name (IANA_SVC_NAME, at most 15 characters)."""
        value = get(self.doc.data, path)
        if isinstance(value, int):
            self.port(path)
        elif isinstance(value, str):
            if value.isdigit():
                self.report(path, Rule.PORT_NAME, f"{value!r} is a number in quotes; write it without quotes")
            else:
                self.report_problems(path, names.port_name(value), Rule.PORT_NAME)

    def labels(self, path: JsonPath, rule: Rule = Rule.LABELS) -> None:
        for key, value in as_dict(get(self.doc.data, path)).items():
            if problems := names.qualified_name(str(key)):
                self.report((*path, key), rule, f"key {key!r}: " + "; ".join(problems))
            if isinstance(value, str):  # other types are schema errors already
                self.report_problems((*path, key), [f"value {m}" for m in names.label_value(value)], rule)

    def label_selector(self, path: JsonPath) -> None:
        selector = get(self.doc.data, path)
        if not isinstance(selector, dict):
            return
        self.labels((*path, "matchLabels"), Rule.SELECTOR)
        for i, expr in mappings(selector.get("matchExpressions")):
            where = (*path, "matchExpressions", i)
            if problems := names.qualified_name(str(expr.get("key", ""))):
                self.report((*where, "key"), Rule.SELECTOR, f"key {expr.get('key')!r}: " + "; ".join(problems))
            op, values = expr.get("operator"), as_list(expr.get("values"))
            if op not in SELECTOR_OPERATORS:
                self.report(
                    (*where, "operator"),
                    Rule.SELECTOR,
                    f"{op!r} is not a selector operator; allowed: {', '.join(SELECTOR_OPERATORS)}",
                )
            elif op in ("In", "NotIn") and not values:
                self.report(where, Rule.SELECTOR, f"operator {op} needs at least one value")
            elif op in ("Exists", "DoesNotExist") and values:
                self.report((*where, "values"), Rule.SELECTOR, f"operator {op} takes no values; remove them")
            for j, value in enumerate(values):
                self.report_problems((*where, "values", j), names.label_value(str(value)), Rule.SELECTOR)

    def forbid(self, path: JsonPath, why: str) -> None:
        if get(self.doc.data, path) is not None:
            self.report(path, Rule.FIELD_COMBINATION, why)


def check(doc: Document, *, crd_given: bool = False) -> tuple[list[Finding], set[str]]:
    """Value findings of one document, and the minors its values allow (wrong types are left to the schema).

    ``crd_given``: the document's own CRD judges it (with its CEL rules), so no rule here stands in for them.
    """
    c = Checker(doc)
    _metadata(c)
    if (template := pod_template(doc)) is not None:
        _pod_spec(c, template.spec_path)
        if template.path:
            c.labels((*template.path, "metadata", "labels"))
    group = doc.api_version.rpartition("/")[0]
    if group in GATEWAY_GROUPS:
        if not crd_given:
            _gateway_api(c)
    elif (rule := KIND_RULES.get(doc.kind)) is not None:
        rule(c)
    return c.findings, c.minors


def _metadata(c: Checker) -> None:
    meta = as_dict(get(c.doc.data, ("metadata",)))
    name = meta.get("name")
    if name is None:
        if not meta.get("generateName"):
            c.report(("metadata",), Rule.NAME, "metadata.name is required (kubectl apply needs a name)")
    elif not isinstance(name, str):
        c.report(("metadata", "name"), Rule.NAME, f"{name!r} must be a string")
    elif c.doc.kind == "Service":
        if problems := names.dns1123_label(name):
            c.report_problems(("metadata", "name"), ["a Service name " + p for p in problems])
        elif names.dns1035_label(name):
            c.since(RELAXED_SERVICE_NAMES_SINCE)  # starts with a digit: only from 1.36
    elif c.doc.kind == "Namespace":
        c.report_problems(("metadata", "name"), names.dns1123_label(name))
    elif (group := c.doc.api_version.rpartition("/")[0]) in NAME_RULES:
        c.report_problems(("metadata", "name"), NAME_RULES[group](name))
    else:
        c.report_problems(("metadata", "name"), names.dns1123_subdomain(name))
    c.labels(("metadata", "labels"))
    for key in as_dict(meta.get("annotations")):
        if problems := names.qualified_name(str(key)):
            c.report(("metadata", "annotations", key), Rule.LABELS, f"key {key!r}: " + "; ".join(problems))
        if why := DEPRECATED_ANNOTATIONS.get((c.doc.kind, key)):
            c.report(("metadata", "annotations", key), Rule.ANNOTATION_DEPRECATED, why, Severity.WARNING)


def _pod_spec(c: Checker, spec: JsonPath) -> None:
    c.enum((*spec, "restartPolicy"), RESTART_POLICIES)
    c.enum((*spec, "dnsPolicy"), DNS_POLICIES)
    data = as_dict(get(c.doc.data, spec))
    if data.get("dnsPolicy") == "None" and not as_list(get(data, ("dnsConfig", "nameservers"))):
        c.report(
            (*spec, "dnsPolicy"),
            Rule.FIELD_COMBINATION,
            "dnsPolicy None needs dnsConfig.nameservers (at least one), or the Pod has no resolver",
        )
    if len(as_list(get(data, ("dnsConfig", "nameservers")))) > 3:
        c.report((*spec, "dnsConfig", "nameservers"), Rule.FIELD_COMBINATION, "must not have more than 3 nameservers")
    host_network = data.get("hostNetwork") is True
    seen_containers: set[str] = set()
    for field in ("initContainers", "containers"):
        for i, container in mappings(data.get(field)):
            path = (*spec, field, i)
            cname = str(container.get("name", ""))
            c.report_problems((*path, "name"), names.dns1123_label(cname))
            if cname in seen_containers:
                c.report((*path, "name"), Rule.NAME, f"duplicate container name {cname!r}")
            seen_containers.add(cname)
            c.enum((*path, "imagePullPolicy"), PULL_POLICIES)
            _resources(c, (*path, "resources"))
            port_names = _container_ports(c, path, container, host_network)
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                for handler in ("httpGet", "tcpSocket", "grpc"):
                    where = (*path, probe, handler, "port")
                    value = get(c.doc.data, where)
                    c.port_or_name(where)
                    if isinstance(value, str) and not value.isdigit() and value not in port_names:
                        c.report(
                            where,
                            Rule.PROBE_PORT,
                            f"named port {value!r} is not a port of container {cname!r} "
                            f"(its ports: {', '.join(sorted(port_names)) or 'none'}); name the containerPort or "
                            "use a number",
                        )


def _resources(c: Checker, path: JsonPath) -> None:
    """Requests may not exceed limits (pkg/apis/core/validation/validation.go, ValidateResourceRequirements)."""
    requests, limits = as_dict(get(c.doc.data, (*path, "requests"))), as_dict(get(c.doc.data, (*path, "limits")))
    for name, value in requests.items():
        request, limit = names.quantity(value), names.quantity(limits.get(name))
        if request is not None and limit is not None and request > limit:
            c.report(
                (*path, "requests", name),
                Rule.RESOURCE_LIMITS,
                f"{name} request {value} must be less than or equal to its limit {limits[name]}; raise the limit "
                "or lower the request",
            )


def _container_ports(c: Checker, path: JsonPath, container: dict[str, Any], host_network: bool) -> set[str]:
    seen: set[str] = set()
    for j, port in mappings(container.get("ports")):
        where = (*path, "ports", j)
        c.port((*where, "containerPort"), "containerPort")
        c.port((*where, "hostPort"), "hostPort")
        c.enum((*where, "protocol"), PROTOCOLS, "a supported protocol")
        if (pname := port.get("name")) is not None:
            c.report_problems((*where, "name"), names.port_name(str(pname)), Rule.PORT_NAME)
            if str(pname) in seen:
                c.report((*where, "name"), Rule.DUPLICATE_PORT, f"duplicate port name {pname!r} in this container")
            seen.add(str(pname))
        host_port = port.get("hostPort")
        if host_network and host_port is not None and host_port != port.get("containerPort"):
            c.report(
                (*where, "hostPort"),
                Rule.FIELD_COMBINATION,
                "with hostNetwork: true, hostPort must equal containerPort (or be left out)",
            )
    return seen


def _non_negative(c: Checker, *fields: str) -> None:
    for name in fields:
        value = get(c.doc.data, ("spec", name))
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            c.report(("spec", name), Rule.VALUE_RANGE, f"{value} must be greater than or equal to 0")


def _rollout(c: Checker) -> None:
    """The rollout settings the API server checks in code, not in the schema.

    kubernetes/kubernetes pkg/apis/apps/validation/validation.go: ValidateDeploymentSpec,
    ValidateDeploymentStrategy, ValidateRollingUpdateDeployment, ValidateStatefulSetUpdateStrategy
    and ValidateDaemonSetUpdateStrategy.
    """
    _non_negative(c, "replicas", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds")
    deadline, ready = get(c.doc.data, ("spec", "progressDeadlineSeconds")), get(c.doc.data, ("spec", "minReadySeconds"))
    if isinstance(deadline, int) and isinstance(ready, int) and deadline <= ready:
        c.report(("spec", "progressDeadlineSeconds"), Rule.VALUE_RANGE, "must be greater than minReadySeconds")
    strategy = ("spec", "strategy") if c.doc.kind == "Deployment" else ("spec", "updateStrategy")
    kind, rolling = get(c.doc.data, (*strategy, "type")), get(c.doc.data, (*strategy, "rollingUpdate"))
    if kind is not None and kind != "RollingUpdate" and rolling is not None:
        c.report(
            (*strategy, "rollingUpdate"),
            Rule.FIELD_COMBINATION,
            f"may not be specified when the {strategy[-1]} type is {kind!r}; remove rollingUpdate or use RollingUpdate",
        )
    surge, unavailable = as_dict(rolling).get("maxSurge"), as_dict(rolling).get("maxUnavailable")
    if c.doc.kind == "Deployment" and _is_zero(surge) and _is_zero(unavailable):
        c.report(
            (*strategy, "rollingUpdate", "maxUnavailable"),
            Rule.FIELD_COMBINATION,
            "may not be 0 when maxSurge is 0: the rollout could never make progress",
        )


def _is_zero(value: Any) -> bool:
    return value in (0, "0", "0%")


def _workload(c: Checker) -> None:
    _rollout(c)
    selector, labels = ("spec", "selector"), ("spec", "template", "metadata", "labels")
    c.label_selector(selector)
    sel = get(c.doc.data, selector)
    if not isinstance(sel, dict) or not (sel.get("matchLabels") or sel.get("matchExpressions")):
        c.report(selector, Rule.SELECTOR_TEMPLATE, "a non-empty selector is required; repeat the template's labels")
        return
    if not selector_matches(sel, {str(k): str(v) for k, v in as_dict(get(c.doc.data, labels)).items()}):
        c.report(
            labels,
            Rule.SELECTOR_TEMPLATE,
            "spec.selector does not match the template labels; the API server rejects it",
        )


def _service(c: Checker) -> None:
    spec: JsonPath = ("spec",)
    data = as_dict(get(c.doc.data, spec))
    stype = data.get("type", "ClusterIP") if isinstance(data.get("type", "ClusterIP"), str) else ""
    c.enum(("spec", "type"), SERVICE_TYPES, "a Service type")
    c.enum(("spec", "sessionAffinity"), SESSION_AFFINITIES, "a session affinity")
    c.enum(("spec", "externalTrafficPolicy"), TRAFFIC_POLICIES, "a traffic policy")
    c.enum(("spec", "internalTrafficPolicy"), TRAFFIC_POLICIES, "a traffic policy")
    c.enum(("spec", "ipFamilyPolicy"), IP_FAMILY_POLICIES, "an IP family policy")
    families = as_list(data.get("ipFamilies"))
    for i, _ in enumerate(families):
        c.enum(("spec", "ipFamilies", i), IP_FAMILIES, "an IP family")
    if len(families) > 2 or len(set(map(str, families))) < len(families):
        c.report(("spec", "ipFamilies"), Rule.FIELD_COMBINATION, "at most two families, IPv4 and IPv6, each once")
    _traffic_distribution(c, data)
    affinity = data.get("sessionAffinity", "None")
    timeout = get(data, ("sessionAffinityConfig", "clientIP", "timeoutSeconds"))
    if affinity != "ClientIP":
        c.forbid(("spec", "sessionAffinityConfig"), "only allowed with sessionAffinity: ClientIP")
    elif timeout is not None and not (isinstance(timeout, int) and 0 < timeout <= 86400):
        where = ("spec", "sessionAffinityConfig", "clientIP", "timeoutSeconds")
        c.report(where, Rule.FIELD_COMBINATION, f"{timeout} must be between 1 and 86400 seconds")
    external = stype in ("NodePort", "LoadBalancer") or (stype == "ClusterIP" and data.get("externalIPs"))
    if not external:
        c.forbid(("spec", "externalTrafficPolicy"), f"only for externally reachable Services, not type {stype}")
    if not (stype == "LoadBalancer" and data.get("externalTrafficPolicy") == "Local"):
        c.forbid(("spec", "healthCheckNodePort"), "only with type LoadBalancer and externalTrafficPolicy: Local")
    c.port(("spec", "healthCheckNodePort"), "healthCheckNodePort")
    if stype != "LoadBalancer":
        for field in ("loadBalancerSourceRanges", "allocateLoadBalancerNodePorts", "loadBalancerClass"):
            c.forbid(("spec", field), f"only with type LoadBalancer, not {stype}")
    if (lb_class := data.get("loadBalancerClass")) is not None:
        c.report_problems(("spec", "loadBalancerClass"), names.qualified_name(str(lb_class)))
    for i, cidr in enumerate(as_list(data.get("loadBalancerSourceRanges"))):
        c.report_problems(("spec", "loadBalancerSourceRanges", i), names.cidr(str(cidr).strip()), Rule.ADDRESS)
    for i, ip in enumerate(as_list(data.get("externalIPs"))):
        c.report_problems(
            ("spec", "externalIPs", i), names.ip_address(str(ip)) or names.special_ip(str(ip)), Rule.ADDRESS
        )
    _cluster_ip(c, data, stype)
    if data.get("selector") is not None:
        c.labels(("spec", "selector"), Rule.SELECTOR)
    _service_ports(c, data, stype)


def _traffic_distribution(c: Checker, data: dict[str, Any]) -> None:
    value = data.get("trafficDistribution")
    if value is None:
        return
    if not isinstance(value, str) or value not in TRAFFIC_DISTRIBUTION_SINCE:
        c.enum(("spec", "trafficDistribution"), TRAFFIC_DISTRIBUTION_SINCE, "a traffic distribution")
        return
    c.since(TRAFFIC_DISTRIBUTION_SINCE[value])
    if value == "PreferClose":
        c.report(
            ("spec", "trafficDistribution"),
            Rule.ENUM,
            "PreferClose is the older name of PreferSameZone (KEP-3015, Kubernetes 1.34+); prefer PreferSameZone",
            Severity.WARNING,
        )


def _cluster_ip(c: Checker, data: dict[str, Any], stype: str) -> None:
    ips = [data["clusterIP"]] if data.get("clusterIP") not in (None, "") else []
    ips += [ip for ip in as_list(data.get("clusterIPs")) if ip not in ips]
    if stype == "ExternalName":
        c.forbid(("spec", "clusterIP"), "not allowed for ExternalName Services")
        c.forbid(("spec", "ipFamilies"), "not allowed for ExternalName Services")
        c.forbid(("spec", "ipFamilyPolicy"), "not allowed for ExternalName Services")
        target = str(data.get("externalName", "")).removesuffix(".")
        if not target:
            c.report(("spec",), Rule.FIELD_COMBINATION, "type ExternalName needs spec.externalName (a DNS name)")
        elif names.is_ip(target):
            c.report(
                ("spec", "externalName"),
                Rule.ADDRESS,
                f"{target!r} is an IP address; ExternalName answers with a CNAME, which must be a DNS name "
                "(for an IP, use a Service without selector and an EndpointSlice)",
            )
        else:
            c.report_problems(("spec", "externalName"), names.dns1123_subdomain(target), Rule.ADDRESS)
        return
    for i, ip in enumerate(ips):
        where = ("spec", "clusterIP") if i == 0 and data.get("clusterIP") else ("spec", "clusterIPs", i)
        if ip == "None":
            if stype in ("NodePort", "LoadBalancer"):
                c.report(where, Rule.FIELD_COMBINATION, f"may not be 'None' (headless) for type {stype}")
        else:
            c.report_problems(where, names.ip_address(str(ip)), Rule.ADDRESS)


def _service_ports(c: Checker, data: dict[str, Any], stype: str) -> None:
    ports = as_list(data.get("ports"))
    if not ports and data.get("clusterIP") != "None" and stype != "ExternalName":
        c.report(("spec",), Rule.FIELD_COMBINATION, "spec.ports is required (unless headless or ExternalName)")
    seen_names: set[str] = set()
    seen_ports: set[tuple[str, int]] = set()
    seen_node_ports: set[tuple[str, int]] = set()
    for i, port in mappings(ports):
        where = ("spec", "ports", i)
        protocol = str(port.get("protocol", "TCP"))
        c.port((*where, "port"))
        c.enum((*where, "protocol"), PROTOCOLS, "a supported protocol")
        c.port_or_name((*where, "targetPort"))
        if (app := port.get("appProtocol")) is not None:
            c.report_problems((*where, "appProtocol"), names.qualified_name(str(app)))
        name = port.get("name")
        if name is None and len(ports) > 1:
            c.report(where, Rule.PORT_NAME, "every port needs a name when a Service has more than one port")
        elif name is not None:
            c.report_problems((*where, "name"), names.dns1123_label(str(name)), Rule.PORT_NAME)
            if str(name) in seen_names:
                c.report((*where, "name"), Rule.DUPLICATE_PORT, f"duplicate port name {name!r} in this Service")
            seen_names.add(str(name))
        if isinstance(number := port.get("port"), int):
            if (protocol, number) in seen_ports:
                c.report((*where, "port"), Rule.DUPLICATE_PORT, f"duplicate port {number}/{protocol} in this Service")
            seen_ports.add((protocol, number))
        _node_port(c, where, port, stype, seen_node_ports)


def _node_port(c: Checker, where: JsonPath, port: dict[str, Any], stype: str, seen: set[tuple[str, int]]) -> None:
    node_port, protocol = port.get("nodePort"), str(port.get("protocol", "TCP"))
    if node_port is None:
        return
    if stype in {"ClusterIP", "ExternalName"}:
        c.report((*where, "nodePort"), Rule.FIELD_COMBINATION, f"nodePort may not be used when type is {stype}")
    elif isinstance(node_port, int) and not NODE_PORT_RANGE[0] <= node_port <= NODE_PORT_RANGE[1]:
        c.report(
            (*where, "nodePort"),
            Rule.NODE_PORT_RANGE,
            f"{node_port} is outside the default node port range {NODE_PORT_RANGE[0]}-{NODE_PORT_RANGE[1]} "
            "(kube-apiserver --service-node-port-range); leave it out to let Kubernetes pick one",
        )
    if isinstance(node_port, int):
        if (protocol, node_port) in seen:
            c.report((*where, "nodePort"), Rule.DUPLICATE_PORT, f"duplicate nodePort {node_port}/{protocol}")
        seen.add((protocol, node_port))


def _network_policy(c: Checker) -> None:
    data = as_dict(get(c.doc.data, ("spec",)))
    c.label_selector(("spec", "podSelector"))
    types = as_list(data.get("policyTypes"))
    for i, _ in enumerate(types):
        c.enum(("spec", "policyTypes", i), POLICY_TYPES, "a policy type")
    if len(types) > 2:
        c.report(("spec", "policyTypes"), Rule.FIELD_COMBINATION, "may not specify more than two policyTypes")
    for direction, peers, ptype in (("ingress", "from", "Ingress"), ("egress", "to", "Egress")):
        rules = as_list(data.get(direction))
        if rules and types and ptype not in types:
            c.report(
                ("spec", direction),
                Rule.FIELD_COMBINATION,
                f"these rules are ignored: policyTypes {types} does not include {ptype}",
            )
        for i, rule in mappings(rules):
            for j, _ in enumerate(as_list(rule.get("ports"))):
                _policy_port(c, ("spec", direction, i, "ports", j))
            for j, peer in enumerate(as_list(rule.get(peers))):
                _policy_peer(c, ("spec", direction, i, peers, j), as_dict(peer))


def _policy_port(c: Checker, where: JsonPath) -> None:
    port = as_dict(get(c.doc.data, where))
    c.enum((*where, "protocol"), PROTOCOLS, "a supported protocol")
    c.port_or_name((*where, "port"))
    if (end := port.get("endPort")) is not None:
        c.port((*where, "endPort"), "endPort")
        if not isinstance(port.get("port"), int):
            c.report((*where, "endPort"), Rule.FIELD_COMBINATION, "needs a numeric port to start the range")
        elif isinstance(end, int) and end < port["port"]:
            c.report((*where, "endPort"), Rule.FIELD_COMBINATION, f"{end} must be greater than or equal to port")


def _policy_peer(c: Checker, where: JsonPath, peer: dict[str, Any]) -> None:
    kinds = [k for k in ("podSelector", "namespaceSelector", "ipBlock") if peer.get(k) is not None]
    if not kinds:
        c.report(where, Rule.FIELD_COMBINATION, "must specify a peer: podSelector, namespaceSelector or ipBlock")
    elif "ipBlock" in kinds and len(kinds) > 1:
        c.report(where, Rule.FIELD_COMBINATION, "may not specify both ipBlock and another peer")
    c.label_selector((*where, "podSelector"))
    c.label_selector((*where, "namespaceSelector"))
    block = as_dict(peer.get("ipBlock"))
    if "cidr" in block:
        outer = names.cidr(str(block["cidr"]))
        c.report_problems((*where, "ipBlock", "cidr"), outer, Rule.ADDRESS)
        for k, except_ in enumerate(as_list(block.get("except"))):
            path = (*where, "ipBlock", "except", k)
            problems = names.cidr(str(except_))
            if not problems and not outer and not names.strict_subnet(str(except_), str(block["cidr"])):
                problems = ["must be a strict subset of cidr"]
            c.report_problems(path, problems, Rule.ADDRESS)


def _ingress(c: Checker) -> None:
    data = as_dict(get(c.doc.data, ("spec",)))
    if not data.get("rules") and not data.get("defaultBackend"):
        c.report(("spec",), Rule.FIELD_COMBINATION, "either defaultBackend or rules must be specified")
    if (cls := data.get("ingressClassName")) is not None:
        c.report_problems(("spec", "ingressClassName"), names.dns1123_subdomain(str(cls)))
        annotation = get(c.doc.data, ("metadata", "annotations", "kubernetes.io/ingress.class"))
        if annotation is not None and annotation != cls:
            c.report(
                ("metadata", "annotations", "kubernetes.io/ingress.class"),
                Rule.FIELD_COMBINATION,
                f"must match ingressClassName {cls!r} when both are set",
            )
    if data.get("defaultBackend") is not None:
        _ingress_backend(c, ("spec", "defaultBackend"))
    for i, rule in mappings(data.get("rules")):
        if (host := rule.get("host")) is not None:
            _ingress_host(c, ("spec", "rules", i, "host"), str(host))
        for j, path in enumerate(as_list(get(rule, ("http", "paths")))):
            _ingress_path(c, ("spec", "rules", i, "http", "paths", j), as_dict(path))
    for i, tls in enumerate(as_list(data.get("tls"))):
        for j, host in enumerate(as_list(as_dict(tls).get("hosts"))):
            _ingress_host(c, ("spec", "tls", i, "hosts", j), str(host))


def _ingress_host(c: Checker, where: JsonPath, host: str) -> None:
    if names.is_ip(host):
        c.report(where, Rule.ADDRESS, f"{host!r} must be a DNS name, not an IP address")
    elif "*" in host:
        if not names.WILDCARD_SUBDOMAIN.match(host):
            c.report(where, Rule.ADDRESS, f"{host!r}: a wildcard host is '*.' followed by a DNS subdomain")
    else:
        c.report_problems(where, names.dns1123_subdomain(host), Rule.ADDRESS)


def _ingress_path(c: Checker, where: JsonPath, path: dict[str, Any]) -> None:
    ptype, value = path.get("pathType"), path.get("path")
    if ptype is None:
        c.report(where, Rule.INGRESS_PATH, f"pathType must be specified; allowed: {', '.join(PATH_TYPES)}")
    elif ptype not in PATH_TYPES:
        c.enum((*where, "pathType"), PATH_TYPES, "a path type")
    elif value is not None:
        text = str(value)
        problems = [] if text.startswith("/") else ["must be an absolute path (start with '/')"]
        if ptype != "ImplementationSpecific":
            problems += [f"must not contain {seq!r}" for seq in ("//", "/./", "/../", "%2f", "%2F") if seq in text]
            problems += [f"cannot end with {end!r}" for end in ("/..", "/.") if text.endswith(end)]
        c.report_problems((*where, "path"), problems, Rule.INGRESS_PATH)
    elif ptype != "ImplementationSpecific":
        c.report(where, Rule.INGRESS_PATH, f"pathType {ptype} needs a path starting with '/'")
    _ingress_backend(c, (*where, "backend"))


def _ingress_backend(c: Checker, where: JsonPath) -> None:
    backend = as_dict(get(c.doc.data, where))
    service, resource = backend.get("service"), backend.get("resource")
    if service is not None and resource is not None:
        c.report(where, Rule.FIELD_COMBINATION, "cannot set both resource and service backends")
    if service is None:
        if resource is None:
            c.report(where, Rule.FIELD_COMBINATION, "a service or resource backend is required")
        return
    if (name := as_dict(service).get("name")) is not None:
        c.report_problems((*where, "service", "name"), names.dns1035_label(str(name)))
    port = as_dict(as_dict(service).get("port"))
    if "name" in port and "number" in port:
        c.report((*where, "service", "port"), Rule.FIELD_COMBINATION, "cannot set both port name and port number")
    elif "name" in port:
        c.report_problems((*where, "service", "port", "name"), names.port_name(str(port["name"])), Rule.PORT_NAME)
    elif "number" in port:
        c.port((*where, "service", "port", "number"))
    else:
        c.report((*where, "service"), Rule.FIELD_COMBINATION, "port name or number is required")


def _ingress_class(c: Checker) -> None:
    controller = get(c.doc.data, ("spec", "controller"))
    if controller is None:
        c.report(("spec",), Rule.FIELD_COMBINATION, "spec.controller is required (e.g. 'example.com/ingress')")
        return
    text = str(controller)
    domain, slash, rest = text.partition("/")
    problems = [] if len(text) <= 250 else ["must be no more than 250 characters"]
    if not slash or not rest or names.dns1123_subdomain(domain):
        problems.append("must be a domain-prefixed path such as 'example.com/ingress-controller'")
    c.report_problems(("spec", "controller"), problems)


def _endpoint_slice(c: Checker) -> None:
    data = c.doc.data
    c.enum(("addressType",), ADDRESS_TYPES, "an address type")
    family = data.get("addressType")
    endpoints = as_list(data.get("endpoints"))
    if len(endpoints) > 1000:
        c.report(("endpoints",), Rule.FIELD_COMBINATION, "must have at most 1000 endpoints")
    for i, endpoint in enumerate(endpoints):
        addresses = as_list(as_dict(endpoint).get("addresses"))
        if not 1 <= len(addresses) <= 100:
            c.report(("endpoints", i, "addresses"), Rule.FIELD_COMBINATION, "must have between 1 and 100 addresses")
        for j, address in enumerate(addresses):
            where = ("endpoints", i, "addresses", j)
            text = str(address)
            if family == "FQDN":
                c.report_problems(where, names.dns1123_subdomain(text), Rule.ADDRESS)
            elif family in ("IPv4", "IPv6"):
                problems = names.ip_address(text)
                if not problems and names.ip_version(text) != family:
                    problems = [f"must be an {family} address (addressType is {family})"]
                c.report_problems(where, problems or names.special_ip(text), Rule.ADDRESS)
    if len(as_list(data.get("ports"))) > 100:
        c.report(("ports",), Rule.FIELD_COMBINATION, "must have at most 100 ports")
    seen: set[str] = set()
    for i, port in mappings(data.get("ports")):
        c.port(("ports", i, "port"))
        c.enum(("ports", i, "protocol"), PROTOCOLS, "a supported protocol")
        if (name := port.get("name")) not in (None, ""):
            c.report_problems(("ports", i, "name"), names.dns1123_label(str(name)), Rule.PORT_NAME)
        if str(name or "") in seen:
            c.report(("ports", i), Rule.DUPLICATE_PORT, f"duplicate port name {name or ''!r} in this EndpointSlice")
        seen.add(str(name or ""))


def _gateway_api(c: Checker) -> None:
    """What the Gateway API CRDs check and the packaged validators (built from Go types) do not:
    PortNumber bounds (1-65535) and a few of the CRDs' CEL rules."""
    for path in _paths_ending(c.doc.data, "port", ()):
        if any(part in ("listeners", "backendRefs", "parentRefs") for part in path):
            c.port(path)
    for path in _paths_ending(c.doc.data, "backendRefs", ()) + _paths_ending(c.doc.data, "backendRef", ()):
        refs = get(c.doc.data, path)
        for j, ref in [(None, refs)] if isinstance(refs, dict) else mappings(refs):
            where = path if j is None else (*path, j)
            if ref.get("group", "") == "" and ref.get("kind", "Service") == "Service" and "port" not in ref:
                c.report(where, Rule.FIELD_COMBINATION, "port is required when the backend is a Service (CRD rule)")
    seen: set[str] = set()
    for i, listener in mappings(get(c.doc.data, ("spec", "listeners"))):
        if (name := str(listener.get("name", ""))) in seen:
            c.report(("spec", "listeners", i, "name"), Rule.NAME, f"duplicate listener name {name!r} (CRD rule)")
        seen.add(name)
    for path in _paths_ending(c.doc.data, "path", ()):
        match = as_dict(get(c.doc.data, path))
        if match.get("type", "PathPrefix") in ("Exact", "PathPrefix") and "matches" in path:
            value = match.get("value", "/")
            if not isinstance(value, str) or not value.startswith("/"):
                where = (*path, "value")
                c.report(where, Rule.FIELD_COMBINATION, "an Exact or PathPrefix path must start with '/' (CRD rule)")


def _paths_ending(data: Any, key: str, path: JsonPath) -> list[JsonPath]:
    out: list[JsonPath] = []
    if isinstance(data, dict):
        for k, v in data.items():
            out += [(*path, k)] if k == key else []
            out += _paths_ending(v, key, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths_ending(v, key, (*path, i))
    return out


def _disruption_budget(c: Checker) -> None:
    """pkg/apis/policy/validation/validation.go, ValidatePodDisruptionBudgetSpec."""
    spec = as_dict(get(c.doc.data, ("spec",)))
    if spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        c.report(
            ("spec", "maxUnavailable"),
            Rule.FIELD_COMBINATION,
            "minAvailable and maxUnavailable cannot be both set; keep one of them",
        )


def _autoscaler(c: Checker) -> None:
    """pkg/apis/autoscaling/validation/validation.go, validateHorizontalPodAutoscalerSpec."""
    low, high = get(c.doc.data, ("spec", "minReplicas")), get(c.doc.data, ("spec", "maxReplicas"))
    if isinstance(high, int) and high < 1:
        c.report(("spec", "maxReplicas"), Rule.VALUE_RANGE, f"{high} must be greater than 0")
    elif isinstance(low, int) and isinstance(high, int) and high < low:
        c.report(
            ("spec", "maxReplicas"), Rule.VALUE_RANGE, f"{high} must be greater than or equal to minReplicas ({low})"
        )


def _custom_resource_definition(c: Checker) -> None:
    """What the API server checks in a CRD beyond its schema (staging/src/k8s.io/apiextensions-apiserver/
    pkg/apis/apiextensions/validation/validation.go): its name, and that every CEL rule compiles."""
    spec = as_dict(get(c.doc.data, ("spec",)))
    plural, group = as_dict(spec.get("names")).get("plural"), spec.get("group")
    if plural and group and c.doc.name != f"{plural}.{group}":
        c.report(
            ("metadata", "name"),
            Rule.NAME,
            f"{c.doc.name!r} must be spec.names.plural + '.' + spec.group: {plural}.{group}",
        )
    for i, version in mappings(spec.get("versions")):
        root = ("spec", "versions", i, "schema", "openAPIV3Schema")
        for path in _paths_ending(get(c.doc.data, root), "x-kubernetes-validations", root):
            for j, rule in mappings(get(c.doc.data, path)):
                if (text := rule.get("rule")) and (problem := kubecel.compile_problem(str(text))):
                    c.report(
                        (*path, j, "rule"),
                        Rule.CRD_RULE,
                        f"CEL rule of version {version.get('name')} does not compile offline ({problem}); "
                        "check it with kubectl apply --dry-run=server",
                        Severity.WARNING,
                    )


KIND_RULES: dict[str, Callable[[Checker], None]] = {
    "PodDisruptionBudget": _disruption_budget,
    "HorizontalPodAutoscaler": _autoscaler,
    "CustomResourceDefinition": _custom_resource_definition,
    "Service": _service,
    "Deployment": _workload,
    "StatefulSet": _workload,
    "DaemonSet": _workload,
    "ReplicaSet": _workload,
    "NetworkPolicy": _network_policy,
    "Ingress": _ingress,
    "IngressClass": _ingress_class,
    "EndpointSlice": _endpoint_slice,
}
