"""What the kind tier waits for after applying an example, and how it reads readiness."""

from __future__ import annotations

from typing import Any

from netdocs.kind.waits import Wait, endpoints_converged, label_selector, ready_endpoints, route_accepted, wait_plan


def obj(kind: str, name: str, **spec: Any) -> dict[str, Any]:
    return {"kind": kind, "metadata": {"name": name}, "spec": spec}


def test_wait_plan_covers_workloads_services_and_routing_in_dependency_order() -> None:
    plan = wait_plan(
        [
            obj("Ingress", "fanout"),
            obj("HTTPRoute", "web", parentRefs=[{"name": "gw"}]),
            obj("Gateway", "gw", gatewayClassName="cloud-provider-kind"),
            obj("Service", "lb", type="LoadBalancer", selector={"app": "echo"}),
            obj("Service", "legacy"),  # selector-less: its EndpointSlice is hand-written
            obj("Deployment", "echo"),
            obj("StatefulSet", "db"),
            obj("DaemonSet", "agent"),
            obj("Pod", "one"),
            obj("ConfigMap", "settings"),
            "not a mapping",
        ]
    )
    assert plan == [
        Wait("pod-ready", "pod/one"),
        Wait("rollout", "daemonset/agent"),
        Wait("rollout", "deployment/echo"),
        Wait("rollout", "statefulset/db"),
        Wait("endpoints", "service/lb"),
        Wait("lb-address", "service/lb"),
        Wait("gateway-programmed", "gateway/gw"),
        Wait("route-accepted", "httproute/web"),
        Wait("ingress-address", "ingress/fanout"),
    ]


def test_objects_no_controller_here_acts_on_are_not_waited_for() -> None:
    plan = wait_plan(
        [
            obj("Service", "other", type="LoadBalancer", loadBalancerClass="example.com/internal"),
            obj("Ingress", "nginx", ingressClassName="nginx"),
            obj("Gateway", "istio", gatewayClassName="istio"),
            obj("HTTPRoute", "to-istio", parentRefs=[{"name": "istio"}]),
            obj("HTTPRoute", "to-later", parentRefs=[{"name": "applied-by-a-step"}]),
            obj("HTTPRoute", "elsewhere", parentRefs=[{"name": "gw", "namespace": "infra"}]),
            obj("Gateway", "gw", gatewayClassName="cloud-provider-kind"),
            obj("Ingress", "ours", ingressClassName="cloud-provider-kind"),
        ]
    )
    assert plan == [Wait("gateway-programmed", "gateway/gw"), Wait("ingress-address", "ingress/ours")]


def pod(ip: str, ready: bool = True) -> dict[str, Any]:
    status = "True" if ready else "False"
    return {
        "metadata": {"name": ip},
        "status": {"phase": "Running", "podIP": ip, "conditions": [{"type": "Ready", "status": status}]},
    }


def endpoint_slice(*endpoints: tuple[str, bool | None]) -> dict[str, Any]:
    items = []
    for address, ready in endpoints:
        item: dict[str, Any] = {"addresses": [address]}
        if ready is not None:
            item["conditions"] = {"ready": ready}
        items.append(item)
    return {"endpoints": items}


def test_ready_endpoints_treat_an_unset_condition_as_ready() -> None:
    assert ready_endpoints([endpoint_slice(("10.0.0.1", True), ("10.0.0.2", False), ("10.0.0.3", None))]) == {
        "10.0.0.1",
        "10.0.0.3",
    }


def test_endpoints_converge_when_every_ready_pod_is_a_ready_endpoint() -> None:
    pods = [pod("10.0.0.1"), pod("10.0.0.2"), pod("10.0.0.9", ready=False)]
    done, detail = endpoints_converged(pods, [endpoint_slice(("10.0.0.1", True)), endpoint_slice(("10.0.0.2", True))])
    assert (done, detail) == (True, "2 ready endpoint(s)")
    done, detail = endpoints_converged(pods, [endpoint_slice(("10.0.0.1", True), ("10.0.0.2", False))])
    assert (done, detail) == (False, "1 Ready Pod(s) not yet ready endpoints: 10.0.0.2")


def test_a_service_selecting_no_ready_pod_has_nothing_to_wait_for() -> None:
    assert endpoints_converged([], [])[0]


def test_route_accepted_by_every_parent() -> None:
    def parent(name: str, status: str) -> dict[str, Any]:
        return {"parentRef": {"name": name}, "conditions": [{"type": "Accepted", "status": status}]}

    assert route_accepted({"status": {"parents": [parent("a", "True"), parent("b", "True")]}}) == (True, "accepted")
    assert route_accepted({"status": {"parents": [parent("a", "True"), parent("b", "False")]}}) == (
        False,
        "not accepted by b",
    )
    assert route_accepted({"status": {}})[0] is False


def test_label_selector_is_stable() -> None:
    assert label_selector({"b": "2", "a": "1"}) == "a=1,b=2"
