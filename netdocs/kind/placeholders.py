"""Resolve a check's placeholders (``{cluster_ip:echo}``) against the live cluster.

The lookups read ``kubectl get -o json`` objects; the extraction from those objects is pure
and tested offline. A value the cluster has not published yet (a LoadBalancer address, a
Gateway address) raises :class:`NotReady`, and the caller retries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from netdocs.behaviour import PLACEHOLDER

Obj = dict[str, Any]


class NotReady(Exception):
    """The value exists only once a controller has acted; try again."""


class Lookup(Protocol):
    def service(self, name: str) -> Obj: ...
    def ingress(self, name: str) -> Obj: ...
    def gateway(self, name: str) -> Obj: ...
    def nodes(self) -> list[Obj]: ...
    def pods_of(self, deployment: str) -> list[Obj]: ...


def cluster_ip(service: Obj) -> str:
    ip = service.get("spec", {}).get("clusterIP")
    if ip in (None, "", "None"):
        raise ValueError(f"Service {service['metadata']['name']} has no cluster IP (headless?)")
    return str(ip)


def node_port(service: Obj, port: str) -> str:
    name = service["metadata"]["name"]
    for entry in service.get("spec", {}).get("ports", []):
        if port in (entry.get("name"), str(entry.get("port"))):
            if "nodePort" not in entry:
                raise ValueError(f"Service {name} port {port} has no nodePort (type {service['spec'].get('type')})")
            return str(entry["nodePort"])
    raise ValueError(f"Service {name} has no port named or numbered {port}")


def load_balancer_address(obj: Obj) -> str:
    """``status.loadBalancer.ingress[0]`` of a Service or an Ingress."""
    ingress = obj.get("status", {}).get("loadBalancer", {}).get("ingress") or []
    for entry in ingress:
        if value := entry.get("ip") or entry.get("hostname"):
            return str(value)
    raise NotReady(f"{obj.get('kind', 'object')} {obj['metadata']['name']} has no load-balancer address yet")


def gateway_address(gateway: Obj) -> str:
    for entry in gateway.get("status", {}).get("addresses") or []:
        if value := entry.get("value"):
            return str(value)
    raise NotReady(f"Gateway {gateway['metadata']['name']} has no address yet")


def is_control_plane(node: Obj) -> bool:
    return "node-role.kubernetes.io/control-plane" in node.get("metadata", {}).get("labels", {})


def internal_ip(node: Obj) -> str:
    for address in node.get("status", {}).get("addresses", []):
        if address.get("type") == "InternalIP":
            return str(address["address"])
    raise ValueError(f"node {node['metadata']['name']} has no InternalIP")


def first_worker_ip(nodes: list[Obj]) -> str:
    """The first worker by name (kind names them <cluster>-worker, -worker2, ...)."""
    workers = sorted((n for n in nodes if not is_control_plane(n)), key=lambda n: n["metadata"]["name"])
    if not workers:
        raise ValueError("the cluster has no worker node")
    return internal_ip(workers[0])


def pod_is_ready(pod: Obj) -> bool:
    status = pod.get("status", {})
    conditions = status.get("conditions") or []
    ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)
    return ready and status.get("phase") == "Running" and not pod["metadata"].get("deletionTimestamp")


def first_ready_pod(pods: list[Obj], owner: str) -> Obj:
    ready = sorted((p for p in pods if pod_is_ready(p)), key=lambda p: p["metadata"]["name"])
    if not ready:
        raise NotReady(f"{owner} has no Ready Pod yet")
    return ready[0]


_LOOKUPS: dict[str, Callable[[Lookup, list[str]], str]] = {
    "cluster_ip": lambda lookup, a: cluster_ip(lookup.service(a[0])),
    "node_port": lambda lookup, a: node_port(lookup.service(a[0]), a[1]),
    "lb_ip": lambda lookup, a: load_balancer_address(lookup.service(a[0])),
    "ingress_ip": lambda lookup, a: load_balancer_address(lookup.ingress(a[0])),
    "gateway_ip": lambda lookup, a: gateway_address(lookup.gateway(a[0])),
    "node_ip": lambda lookup, a: first_worker_ip(lookup.nodes()),
    "pod_ip": lambda lookup, a: str(first_ready_pod(lookup.pods_of(a[0]), f"Deployment {a[0]}")["status"]["podIP"]),
}


def resolve(text: str, lookup: Lookup, namespace: str) -> str:
    """Every placeholder in ``text`` replaced by its value on the cluster."""

    def value(name: str, args: list[str]) -> str:
        if name == "namespace":
            return namespace
        if name not in _LOOKUPS:
            raise ValueError(f"unknown placeholder {{{name}}}")
        return _LOOKUPS[name](lookup, args)

    return PLACEHOLDER.sub(lambda m: value(m.group(1), [a for a in m.groups()[1:] if a]), text)


def references(text: str) -> list[tuple[str, list[str]]]:
    """(placeholder, arguments) in ``text``, for offline cross-checks against the manifests."""
    return [(m.group(1), [a for a in m.groups()[1:] if a]) for m in PLACEHOLDER.finditer(text)]
