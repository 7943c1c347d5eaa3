"""Placeholders in checks, resolved against cluster objects (as kubectl returns them)."""

from __future__ import annotations

from typing import Any

import pytest

from netdocs.behaviour import PLACEHOLDER_ARITY
from netdocs.kind.placeholders import NotReady, references, resolve

NS = "nd-demo-1a2b"


def service(name: str, **spec: Any) -> dict[str, Any]:
    return {"kind": "Service", "metadata": {"name": name}, "spec": spec, "status": {}}


def pod(name: str, ip: str, ready: bool = True, phase: str = "Running") -> dict[str, Any]:
    condition = {"type": "Ready", "status": "True" if ready else "False"}
    return {"metadata": {"name": name}, "status": {"phase": phase, "podIP": ip, "conditions": [condition]}}


def node(name: str, ip: str, control_plane: bool = False) -> dict[str, Any]:
    labels = {"node-role.kubernetes.io/control-plane": ""} if control_plane else {}
    addresses = [{"type": "Hostname", "address": name}, {"type": "InternalIP", "address": ip}]
    return {"metadata": {"name": name, "labels": labels}, "status": {"addresses": addresses}}


class FakeCluster:
    def __init__(self) -> None:
        lb = service(
            "echo",
            type="LoadBalancer",
            clusterIP="10.96.7.7",
            ports=[{"name": "http", "port": 80, "nodePort": 31080}, {"name": "admin", "port": 9090, "nodePort": 31090}],
        )
        lb["status"] = {"loadBalancer": {"ingress": [{"ip": "172.18.0.6", "ipMode": "VIP"}]}}
        self.services = {
            "echo": lb,
            "pending": {**service("pending", type="LoadBalancer", clusterIP="10.96.8.8"), "status": {}},
            "db": service("db", clusterIP="None", ports=[{"port": 5432}]),
            "plain": service("plain", type="ClusterIP", clusterIP="10.96.9.9", ports=[{"name": "http", "port": 80}]),
        }
        self.ingresses = {
            "fanout": {
                "kind": "Ingress",
                "metadata": {"name": "fanout"},
                "status": {"loadBalancer": {"ingress": [{"ip": "172.18.0.7"}]}},
            }
        }
        self.gateways = {
            "web": {
                "metadata": {"name": "web"},
                "status": {"addresses": [{"type": "IPAddress", "value": "172.18.0.8"}]},
            },
            "new": {"metadata": {"name": "new"}, "status": {}},
        }

    def service(self, name: str) -> dict[str, Any]:
        return self.services[name]

    def ingress(self, name: str) -> dict[str, Any]:
        return self.ingresses[name]

    def gateway(self, name: str) -> dict[str, Any]:
        return self.gateways[name]

    def nodes(self) -> list[dict[str, Any]]:
        return [
            node("netdocs-worker2", "172.18.0.4"),
            node("netdocs-control-plane", "172.18.0.2", True),
            node("netdocs-worker", "172.18.0.3"),
        ]

    def pods_of(self, deployment: str) -> list[dict[str, Any]]:
        return [pod("echo-b", "10.244.2.9"), pod("echo-a", "10.244.1.5", ready=False), pod("echo-c", "10.244.1.8")]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("http://{cluster_ip:echo}:80/hostname", "http://10.96.7.7:80/hostname"),
        ("http://{node_ip}:{node_port:echo:http}/", "http://172.18.0.3:31080/"),
        ("{node_ip}:{node_port:echo:9090}", "172.18.0.3:31090"),
        ("http://{lb_ip:echo}/", "http://172.18.0.6/"),
        ("http://{ingress_ip:fanout}/api", "http://172.18.0.7/api"),
        ("http://{gateway_ip:web}:8080/", "http://172.18.0.8:8080/"),
        ("http://{pod_ip:echo}:8080/", "http://10.244.2.9:8080/"),
        ("echo.{namespace}.svc.cluster.local", f"echo.{NS}.svc.cluster.local"),
        ("http://echo/hostname", "http://echo/hostname"),
    ],
)
def test_every_placeholder_resolves(text: str, value: str) -> None:
    assert resolve(text, FakeCluster(), NS) == value


def test_the_tests_cover_every_placeholder_the_schema_knows() -> None:
    covered = {"cluster_ip", "node_ip", "node_port", "lb_ip", "ingress_ip", "gateway_ip", "pod_ip", "namespace"}
    assert covered == set(PLACEHOLDER_ARITY)


def test_node_ip_is_the_first_worker_never_the_control_plane() -> None:
    assert resolve("{node_ip}", FakeCluster(), NS) == "172.18.0.3"


def test_pod_ip_is_a_ready_pod() -> None:
    assert resolve("{pod_ip:echo}", FakeCluster(), NS) == "10.244.2.9"  # echo-a is first by name, not Ready


@pytest.mark.parametrize(
    ("text", "problem"),
    [("{lb_ip:pending}", "has no load-balancer address yet"), ("{gateway_ip:new}", "Gateway new has no address yet")],
)
def test_values_a_controller_has_not_published_are_not_ready(text: str, problem: str) -> None:
    with pytest.raises(NotReady, match=problem):
        resolve(text, FakeCluster(), NS)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{cluster_ip:db}", "Service db has no cluster IP"),
        ("{node_port:plain:http}", "Service plain port http has no nodePort"),
        ("{node_port:echo:grpc}", "Service echo has no port named or numbered grpc"),
    ],
)
def test_impossible_values_are_errors(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        resolve(text, FakeCluster(), NS)


def test_references_lists_placeholders_with_arguments() -> None:
    assert references("http://{node_ip}:{node_port:web:http}/{namespace}") == [
        ("node_ip", []),
        ("node_port", ["web", "http"]),
        ("namespace", []),
    ]
