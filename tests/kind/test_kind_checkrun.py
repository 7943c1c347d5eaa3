"""Running checks end to end against a scripted cluster: placeholders, origins, retries, judging.

The fake stands in for kubectl (objects and ``exec``) and the test machine's curl; the clock
is fake too, so retries and deadlines are exercised without sleeping. A round of calls is one
``exec`` of ``probes.loop_argv``: the fake runs the looped command once per call and marks each
exit code exactly as that loop does (``test_kind_probes`` runs the real loop in ``sh``). TCP from
outside uses real sockets on the loopback interface.
"""

from __future__ import annotations

import itertools
import re
import shlex
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fakes import FakeClock  # tests/kind/fakes.py
from pydantic import TypeAdapter

from netdocs.behaviour import Check
from netdocs.kind.checkrun import CheckContext, run_check
from netdocs.kind.commands import Result
from netdocs.kind.placeholders import NotReady
from netdocs.kind.retry import Deadline

CHECK: TypeAdapter[Any] = TypeAdapter(Check)
NS = "nd-demo-0f0f"
Exec = Callable[[str, list[str]], tuple[int, str, str]]


def ready_pod(name: str, ip: str, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "metadata": {"name": name, "labels": labels},
        "status": {"phase": "Running", "podIP": ip, "conditions": [{"type": "Ready", "status": "True"}]},
    }


class FakeCluster:
    """Enough of kubectl for checks: get/list objects, exec in Pods, curl on this machine."""

    def __init__(self, on_exec: Exec | None = None, here: Callable[[list[str]], tuple[int, str, str]] | None = None):
        self.on_exec = on_exec
        self.here = here
        self.execs: list[tuple[str, list[str]]] = []
        self.rounds: list[int] = []
        self.calls: list[str] = []
        self.objects: dict[tuple[str, str], Any] = {
            ("deployment", "client"): {"spec": {"selector": {"matchLabels": {"app": "client"}}}},
            ("deployment", "echo"): {"spec": {"selector": {"matchLabels": {"app": "echo"}}}},
            ("service", "echo"): {
                "metadata": {"name": "echo"},
                "spec": {
                    "type": "ClusterIP",
                    "clusterIP": "10.96.0.42",
                    "selector": {"app": "echo"},
                    "ports": [{"port": 80}],
                },
            },
        }
        self.pods = {
            "app=client": [ready_pod("client-7c9-abcde", "10.244.1.5", {"app": "client"})],
            "app=echo": [
                ready_pod("echo-1", "10.244.1.8", {"app": "echo"}),
                ready_pod("echo-2", "10.244.2.3", {"app": "echo"}),
            ],
        }
        self.slices: Iterator[list[Any]] | None = None

    # kubectl ------------------------------------------------------------------------------
    def in_namespace(self, _: str | None) -> FakeCluster:
        return self

    def __call__(self, *args: str, **_: Any) -> Result:
        assert args[0] == "exec", args
        pod, argv = args[1], list(args[3:])
        assert self.on_exec is not None
        looped = (
            re.fullmatch(r"i=0; while \[ \$i -lt (\d+) \]; do (.*); c=\$\?; printf .*", argv[-1])
            if argv[0] == "sh"
            else None
        )
        if not looped:
            self.execs.append((pod, argv))
            self.rounds.append(1)
            code, out, err = self.on_exec(pod, argv)
            return Result(tuple(args), code, out, err, 0.1)
        calls, inner = int(looped.group(1)), shlex.split(looped.group(2))
        self.rounds.append(calls)
        out = err = ""
        for _ in range(calls):
            self.execs.append((pod, inner))
            code, o, e = self.on_exec(pod, inner)
            if code != 0 and "NotFound" in e:
                return Result(tuple(args), code, o, e, 0.1)
            out += f"{o}\n@@netdocs-exit {code}\n"
            err += f"{e}@@netdocs-exit {code}\n" if not e or e.endswith("\n") else f"{e}\n@@netdocs-exit {code}\n"
        return Result(tuple(args), 0, out, err, 0.1)

    def get(self, resource: str, name: str) -> Any:
        self.calls.append(f"get {resource}/{name}")
        if (resource, name) not in self.objects:
            raise NotReady(f"{resource}/{name} does not exist (yet)")
        found = self.objects[(resource, name)]
        return found() if callable(found) else found

    def json(self, *args: str) -> Any:
        self.calls.append(" ".join(args))
        if args[0] == "pods":
            return {"items": self.pods.get(args[2], [])}
        if args[0] == "services":
            return {"items": [self.objects[("service", "echo")]]}
        if args[0] == "endpointslices":
            assert self.slices is not None
            return {"items": next(self.slices)}
        raise AssertionError(args)

    # this machine ---------------------------------------------------------------------------
    def run(self, argv: list[str], **_: Any) -> Result:
        assert self.here is not None
        code, out, err = self.here(argv)
        return Result(tuple(argv), code, out, err, 0.1)


def check(**fields: Any) -> Any:
    return CHECK.validate_python({"id": "c", "says": {"en": "e", "zh": "z"}, "from": "deploy/client", **fields})


def context(cluster: FakeCluster, clock: FakeClock | None = None, seconds: float = 300) -> CheckContext:
    clock = clock or FakeClock()
    return CheckContext(cluster, cluster, NS, clock, Deadline.after(clock, seconds))  # type: ignore[arg-type]


def test_http_from_a_pod_resolves_placeholders_and_execs_curl_in_a_ready_client_pod() -> None:
    cluster = FakeCluster(on_exec=lambda pod, argv: (0, "echo-1\n200", ""))
    verdict = run_check(check(type="http", url="http://{cluster_ip:echo}:80/hostname"), context(cluster))
    assert verdict.passed
    assert verdict.detail == "HTTP 200: echo-1"
    pod, argv = cluster.execs[0]
    assert pod == "client-7c9-abcde"
    assert argv[0] == "curl"
    assert argv[-1] == "http://10.96.0.42:80/hostname"


TIMED_OUT = (28, "\n000", "curl: (28) Connection timed out after 3002 milliseconds")
REFUSED = (7, "\n000", "curl: (7) Failed to connect to 10.96.0.12 port 80 after 1 ms: Couldn't connect to server")


def test_a_negative_is_a_round_of_three_calls_in_one_exec_retried_until_one_round_holds() -> None:
    script = iter([TIMED_OUT, (0, "echo-1\n200", ""), TIMED_OUT] + [TIMED_OUT] * 3)
    cluster = FakeCluster(on_exec=lambda pod, argv: next(script))
    clock = FakeClock()
    verdict = run_check(check(type="http", url="http://echo/", expect="dropped"), context(cluster, clock))
    assert verdict.passed, verdict.detail
    assert cluster.rounds == [3, 3]  # one kubectl exec per round of three calls
    assert verdict.attempts == 2
    assert clock.now == 2


def test_a_refusal_never_passes_for_a_drop_nor_a_drop_for_a_refusal() -> None:
    """Finding 3: a policy drop and kube-proxy's reject are different mechanisms."""
    refusing = FakeCluster(on_exec=lambda pod, argv: REFUSED)
    verdict = run_check(check(type="http", url="http://echo/", expect="dropped"), context(refusing))
    assert not verdict.passed
    assert verdict.detail.startswith("3 of 3 calls failed, e.g. expected dropped, got refused")
    dropping = FakeCluster(on_exec=lambda pod, argv: TIMED_OUT)
    assert not run_check(check(type="http", url="http://echo/", expect="refused"), context(dropping)).passed
    assert run_check(check(type="http", url="http://echo/", expect="refused"), context(refusing)).passed


def test_a_negative_that_never_holds_fails_at_the_deadline() -> None:
    cluster = FakeCluster(on_exec=lambda pod, argv: (0, "echo-1\n200", ""))
    verdict = run_check(check(type="http", url="http://echo/", expect="dropped"), context(cluster))
    assert not verdict.passed
    assert verdict.detail.startswith("3 of 3 calls failed, e.g. expected dropped, got answered: HTTP 200: echo-1")


def test_an_unresolvable_name_never_counts_as_a_negative() -> None:
    cluster = FakeCluster(on_exec=lambda pod, argv: (6, "\n000", "curl: (6) Could not resolve host: echo"))
    verdict = run_check(check(type="http", url="http://echo/", expect="dropped"), context(cluster))
    assert not verdict.passed


def test_dns_waits_for_ready_endpoint_slices_before_asking() -> None:
    ready = [
        {"endpoints": [{"addresses": ["10.244.1.8"]}, {"addresses": ["10.244.2.3"], "conditions": {"ready": True}}]}
    ]
    cluster = FakeCluster(
        on_exec=lambda pod, argv: (
            0,
            ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1\necho.x. 30 IN A 10.96.0.42\n",
            "",
        )
    )
    cluster.slices = iter([[], [{"endpoints": [{"addresses": ["10.244.1.8"]}]}], ready])
    clock = FakeClock()
    dns = check(type="dns", name="echo.{namespace}.svc.cluster.local.", answers=1)
    verdict = run_check(dns, context(cluster, clock))
    assert verdict.passed
    assert clock.now == 4  # two waits for the EndpointSlices, then one lookup
    assert cluster.execs[0][1][-2:] == [f"echo.{NS}.svc.cluster.local.", "A"]


def test_client_ip_from_a_pod_compares_with_that_pods_address() -> None:
    cluster = FakeCluster(on_exec=lambda pod, argv: (0, "10.244.1.5:40112\n200", ""))
    kept = check(type="client-ip", url="http://{pod_ip:echo}:8080/clientip", expect="preserved")
    assert run_check(kept, context(cluster)).passed
    assert cluster.execs[0][1][-1] == "http://10.244.1.8:8080/clientip"
    swapped = check(type="client-ip", url="http://{pod_ip:echo}:8080/clientip", expect="replaced")
    assert not run_check(swapped, context(cluster)).passed


def test_outside_http_runs_curl_here_with_the_host_header() -> None:
    seen: list[list[str]] = []

    def here(argv: list[str]) -> tuple[int, str, str]:
        seen.append(argv)
        return 0, "api-5f7\n200", ""

    cluster = FakeCluster(here=here)
    cluster.objects[("ingress.networking.k8s.io", "shop")] = {
        "kind": "Ingress",
        "metadata": {"name": "shop"},
        "status": {"loadBalancer": {"ingress": [{"ip": "172.18.0.7"}]}},
    }
    outside = check(
        type="http",
        url="http://{ingress_ip:shop}/api",
        host_header="shop.example.com",
        body_contains="api-",
        **{"from": "outside"},
    )
    assert run_check(outside, context(cluster)).passed
    assert seen[0][seen[0].index("-H") + 1] == "Host: shop.example.com"
    assert seen[0][-1] == "http://172.18.0.7/api"
    assert cluster.execs == []


def test_values_controllers_publish_later_are_waited_for() -> None:
    answers = iter([{}, {}, {"addresses": [{"value": "172.18.0.9"}]}])
    cluster = FakeCluster(here=lambda argv: (0, "echo-v1\n200", ""))
    cluster.objects[("gateway.gateway.networking.k8s.io", "web")] = lambda: {
        "metadata": {"name": "web"},
        "status": next(answers),
    }
    clock = FakeClock()
    verdict = run_check(
        check(type="http", url="http://{gateway_ip:web}/", **{"from": "outside"}), context(cluster, clock)
    )
    assert verdict.passed
    assert clock.now == 4


def test_a_check_that_cannot_be_resolved_fails_with_the_reason() -> None:
    cluster = FakeCluster()
    verdict = run_check(check(type="http", url="http://{lb_ip:nope}/"), context(cluster))
    assert not verdict.passed
    assert verdict.detail.startswith("could not resolve the check: service/nope does not exist (yet)")


def test_repeated_calls_are_one_round_in_one_exec_after_a_single_call_answered() -> None:
    bodies = itertools.cycle(["echo-1", "echo-2"])
    cluster = FakeCluster(on_exec=lambda pod, argv: (0, f"{next(bodies)}\n200", ""))
    assert run_check(check(type="http", url="http://echo/", distinct_backends=2), context(cluster)).passed
    assert cluster.rounds == [1, 10]  # the warm-up call, then one exec for the whole round
    sticky = run_check(check(type="http", url="http://echo/", same_backend=True), context(cluster))
    assert not sticky.passed
    assert "expected one backend for all calls" in sticky.detail


def test_only_the_first_complete_round_counts() -> None:
    """Finding 4: "every answer satisfies P" must not become "some round does"."""
    rounds = iter(["echo-zone-a"] + ["echo-zone-a"] * 9 + ["echo-zone-b"] + ["echo-zone-a"] * 100)
    cluster = FakeCluster(on_exec=lambda pod, argv: (0, f"{next(rounds)}\n200", ""))
    verdict = run_check(check(type="http", url="http://echo/", every_body_contains="zone-a"), context(cluster))
    assert not verdict.passed
    assert "1 backend(s) without 'zone-a': echo-zone-b" in verdict.detail
    assert cluster.rounds == [1, 10]  # no second round was asked for


@pytest.fixture
def listening() -> Iterator[int]:
    server = socket.create_server(("127.0.0.1", 0))
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


def test_tcp_from_outside_uses_a_real_socket(listening: int) -> None:
    cluster = FakeCluster()
    opened = check(type="tcp", target=f"127.0.0.1:{listening}", expect="open", **{"from": "outside"})
    assert run_check(opened, context(cluster)).passed


def test_tcp_from_outside_to_a_closed_port_is_refused() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]  # closed again when the block ends
    cluster = FakeCluster()
    closed = check(type="tcp", target=f"127.0.0.1:{port}", expect="refused", **{"from": "outside"})
    verdict = run_check(closed, context(cluster))
    assert verdict.passed, verdict.detail
    assert verdict.attempts == 1  # one round of three refused connects
    dropped = check(type="tcp", target=f"127.0.0.1:{port}", expect="dropped", **{"from": "outside"})
    assert not run_check(dropped, context(cluster, FakeClock())).passed


def test_a_replaced_client_pod_is_followed_to_its_successor() -> None:
    def on_exec(pod: str, argv: list[str]) -> tuple[int, str, str]:
        if pod == "client-7c9-abcde":
            return 1, "", 'Error from server (NotFound): pods "client-7c9-abcde" not found'
        return 0, "10.244.2.77:5555\n200", ""

    cluster = FakeCluster(on_exec=on_exec)
    original = cluster.pods["app=client"]
    successor = [ready_pod("client-7c9-fghij", "10.244.2.77", {"app": "client"})]
    calls = iter([original, successor, successor])
    json = cluster.json

    def listing(*args: str) -> Any:
        if args[:3] == ("pods", "-l", "app=client"):
            return {"items": next(calls)}
        return json(*args)

    cluster.json = listing  # type: ignore[method-assign]
    kept = check(type="client-ip", url="http://{cluster_ip:echo}/clientip", expect="preserved")
    verdict = run_check(kept, context(cluster))
    assert verdict.passed, verdict.detail
    assert [pod for pod, _ in cluster.execs] == ["client-7c9-abcde", "client-7c9-fghij"]
    assert verdict.detail == "server saw 10.244.2.77, caller is 10.244.2.77: kept"


def test_no_check_outlasts_the_examples_deadline() -> None:
    cluster = FakeCluster(on_exec=lambda pod, argv: (0, "echo-1\n200", ""))
    clock = FakeClock()
    verdict = run_check(check(type="http", url="http://echo/", expect="dropped"), context(cluster, clock, seconds=7))
    assert not verdict.passed
    assert clock.now <= 7
