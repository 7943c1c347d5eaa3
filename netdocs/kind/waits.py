"""What "ready" means for each object an example applies, and how to tell from its status.

The plan is derived from the manifests (pure, tested offline); the predicates read the
JSON that ``kubectl get -o json`` returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

from netdocs.kind.placeholders import Obj, pod_is_ready
from netdocs.pins import GATEWAY_CLASS, INGRESS_CLASS

# In the order they are waited for: workloads first, then what depends on their Pods.
WaitKind = Literal[
    "pod-ready", "rollout", "endpoints", "lb-address", "gateway-programmed", "route-accepted", "ingress-address"
]
WAIT_KINDS: tuple[WaitKind, ...] = get_args(WaitKind)
ROLLOUT_KINDS = {"Deployment": "deployment", "StatefulSet": "statefulset", "DaemonSet": "daemonset"}


@dataclass(frozen=True, order=True)
class Wait:
    what: WaitKind
    name: str  # "deployment/echo", "service/echo", ...

    def __str__(self) -> str:
        return f"{self.what} {self.name}"


def _ours(objects: list[Any], gateway_class: str) -> set[str]:
    """Gateways the provider programs: those of its GatewayClass."""
    return {
        o["metadata"].get("name")
        for o in objects
        if o.get("kind") == "Gateway" and (o.get("spec") or {}).get("gatewayClassName") == gateway_class
    }


def wait_plan(objects: list[Any], gateway_class: str = GATEWAY_CLASS, ingress_class: str = INGRESS_CLASS) -> list[Wait]:
    """Waits for the applied objects: workloads first, then what depends on their Pods.

    Only what a controller of this cluster acts on is waited for: a LoadBalancer Service of
    another ``loadBalancerClass``, an Ingress or Gateway of another class, or a route whose
    Gateway is not applied with it would never become ready, and pages show such objects too.
    """
    objects = [o for o in objects if isinstance(o, dict) and isinstance(o.get("metadata"), dict)]
    gateways = _ours(objects, gateway_class)
    waits: list[Wait] = []
    for obj in objects:
        kind, name, spec = obj.get("kind"), obj["metadata"].get("name"), obj.get("spec") or {}
        if kind in ROLLOUT_KINDS:
            waits.append(Wait("rollout", f"{ROLLOUT_KINDS[kind]}/{name}"))
        elif kind == "Pod":
            waits.append(Wait("pod-ready", f"pod/{name}"))
        elif kind == "Service":
            if spec.get("selector"):
                waits.append(Wait("endpoints", f"service/{name}"))
            if spec.get("type") == "LoadBalancer" and not spec.get("loadBalancerClass"):
                waits.append(Wait("lb-address", f"service/{name}"))
        elif kind == "Gateway" and name in gateways:
            waits.append(Wait("gateway-programmed", f"gateway/{name}"))
        elif kind == "HTTPRoute":
            parents = spec.get("parentRefs") or []
            if parents and all(_local_gateway(ref) in gateways for ref in parents):
                waits.append(Wait("route-accepted", f"httproute/{name}"))
        elif kind == "Ingress" and spec.get("ingressClassName", ingress_class) == ingress_class:
            waits.append(Wait("ingress-address", f"ingress/{name}"))
    return sorted(set(waits), key=lambda w: (WAIT_KINDS.index(w.what), w.name))


def _local_gateway(ref: dict[str, Any]) -> str | None:
    """The Gateway a parentRef names in the route's own namespace (else None)."""
    if (
        ref.get("kind", "Gateway") != "Gateway"
        or ref.get("group", "gateway.networking.k8s.io") != "gateway.networking.k8s.io"
    ):
        return None
    return None if ref.get("namespace") else ref.get("name")


def _true(conditions: list[Obj] | None, kind: str) -> bool:
    return any(c.get("type") == kind and c.get("status") == "True" for c in conditions or [])


def condition(obj: Obj, kind: str) -> bool:
    """``status.conditions`` of an object has ``kind`` set to True."""
    return _true(obj.get("status", {}).get("conditions"), kind)


def route_accepted(route: Obj) -> tuple[bool, str]:
    """Every parent (Gateway) the route names has accepted it."""
    parents = route.get("status", {}).get("parents") or []
    if not parents:
        return False, "no parent has reported on the route yet"
    refused = [p.get("parentRef", {}).get("name", "?") for p in parents if not _true(p.get("conditions"), "Accepted")]
    return not refused, f"not accepted by {', '.join(refused)}" if refused else "accepted"


def ready_endpoints(slices: list[Obj]) -> set[str]:
    """Addresses of ready endpoints (``conditions.ready`` unset counts as ready, as in the API)."""
    found: set[str] = set()
    for piece in slices:
        for endpoint in piece.get("endpoints") or []:
            if endpoint.get("conditions", {}).get("ready", True) is not False:
                found.update(endpoint.get("addresses") or [])
    return found


def endpoints_converged(pods: list[Obj], slices: list[Obj]) -> tuple[bool, str]:
    """Every Ready Pod the Service selects is a ready endpoint in its EndpointSlices.

    A Service that selects no Ready Pod (on purpose, in a troubleshooting example) has
    nothing to wait for.
    """
    wanted = {p["status"]["podIP"] for p in pods if pod_is_ready(p) and p.get("status", {}).get("podIP")}
    missing = wanted - ready_endpoints(slices)
    if missing:
        return False, f"{len(missing)} Ready Pod(s) not yet ready endpoints: {', '.join(sorted(missing))}"
    return True, f"{len(wanted)} ready endpoint(s)"


def label_selector(match_labels: dict[str, str]) -> str:
    return ",".join(f"{key}={value}" for key, value in sorted(match_labels.items()))
