"""Run one behaviour check on the cluster: resolve, probe, judge, retry.

Generic over the check types of ``netdocs.behaviour``: the origin decides *where* the probe
runs (``kubectl exec`` into the example's Pod, or this machine for ``outside``), the check
type decides *what* runs and how its output is judged (``probes``), and the expectation
decides *how long* and *how often* it must hold (``retry``).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from netdocs.behaviour import ClientIpCheck, DnsCheck, HttpCheck, TcpCheck
from netdocs.kind import probes
from netdocs.kind.commands import Commands, Kubectl, KubectlLookup
from netdocs.kind.placeholders import NotReady, first_ready_pod, resolve
from netdocs.kind.retry import BLOCKED, CONVERGE, REACHABLE, Clock, Observation, Policy, Verdict, until
from netdocs.kind.waits import endpoints_converged, label_selector

AnyCheck = HttpCheck | TcpCheck | DnsCheck | ClientIpCheck
EXEC_TIMEOUT = 30
ROUNDS = Policy(timeout=150.0, interval=1.0, consecutive=1)


def policy_for(check: AnyCheck) -> Policy:
    if getattr(check, "expect", None) == "blocked":
        return BLOCKED
    if isinstance(check, HttpCheck) and probes.repeated(check):
        return ROUNDS
    return REACHABLE


@dataclass
class Where:
    """Where a probe runs: a Pod (name and IP) or this machine (``pod is None``)."""

    pod: str | None
    ip: str | None


@dataclass
class CheckContext:
    kubectl: Kubectl  # pinned to the example's namespace
    commands: Commands
    namespace: str
    clock: Clock

    @property
    def lookup(self) -> KubectlLookup:
        return KubectlLookup(self.kubectl)


def _locate(origin: str, ctx: CheckContext) -> Where:
    if origin == "outside":
        return Where(None, None)
    kind, _, name = origin.partition("/")
    pod = first_ready_pod(ctx.lookup.pods_of(name), f"Deployment {name}") if kind == "deploy" else ctx.lookup.pod(name)
    return Where(pod["metadata"]["name"], pod.get("status", {}).get("podIP"))


def _prepare(check: AnyCheck, ctx: CheckContext) -> tuple[Where, dict[str, str]] | str:
    """Resolve the origin and every placeholder, waiting for values controllers publish."""
    found: dict[str, object] = {}

    def attempt() -> Observation:
        try:
            where = _locate(check.origin, ctx)
            fields = {
                key: resolve(value, ctx.lookup, ctx.namespace)
                for key in ("url", "target", "name", "host_header", "contains", "body_contains", "every_body_contains")
                if isinstance(value := getattr(check, key, None), str)
            }
        except (NotReady, ValueError) as exc:
            return Observation(False, str(exc))
        found.update(where=where, fields=fields)
        return Observation(True, "resolved")

    verdict = until(attempt, CONVERGE, ctx.clock)
    if not verdict.passed:
        return f"could not resolve the check: {verdict.detail}"
    return found["where"], found["fields"]  # type: ignore[return-value]


def _wait_for_endpoints(ctx: CheckContext) -> str | None:
    """DNS answers follow EndpointSlices: wait until every Service's ready Pods are endpoints."""

    def attempt() -> Observation:
        for service in ctx.kubectl.json("services")["items"]:
            selector = service.get("spec", {}).get("selector")
            if not selector:
                continue
            name = service["metadata"]["name"]
            pods = ctx.kubectl.json("pods", "-l", label_selector(selector))["items"]
            slices = ctx.kubectl.json("endpointslices", "-l", f"kubernetes.io/service-name={name}")["items"]
            done, detail = endpoints_converged(pods, slices)
            if not done:
                return Observation(False, f"Service {name}: {detail}")
        return Observation(True, "EndpointSlices ready")

    verdict = until(attempt, CONVERGE, ctx.clock)
    return None if verdict.passed else verdict.detail


def _in_pod(ctx: CheckContext, pod: str, argv: list[str]) -> tuple[int, str, str]:
    result = ctx.kubectl("exec", pod, "--", *argv, check=False, timeout=EXEC_TIMEOUT)
    return result.returncode, result.stdout, result.stderr


def _here(ctx: CheckContext, argv: list[str]) -> tuple[int, str, str]:
    result = ctx.commands.run(argv, check=False, timeout=EXEC_TIMEOUT)
    return result.returncode, result.stdout, result.stderr


def _tcp_here(host: str, port: int) -> probes.Answer:
    try:
        with socket.create_connection((host, port), timeout=probes.CONNECT_TIMEOUT):
            return probes.Answer("answered", detail=f"connected to {host}:{port}")
    except socket.gaierror as exc:
        return probes.Answer("unresolved", detail=str(exc))
    except (TimeoutError, ConnectionError, OSError) as exc:
        return probes.Answer("no-connection", detail=str(exc) or type(exc).__name__)


def source_address(host: str, port: int) -> str:
    """The address this machine sends from toward ``host`` (no packet is sent)."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0]
    with socket.socket(family, kind, proto) as probe:
        probe.connect(address)
        return str(probe.getsockname()[0])


def _attempt(check: AnyCheck, ctx: CheckContext, where: Where, fields: dict[str, str]) -> Callable[[], Observation]:
    def run(argv: list[str]) -> tuple[int, str, str]:
        if not where.pod:
            return _here(ctx, argv)
        code, out, err = _in_pod(ctx, where.pod, argv)
        if code != 0 and "Error from server (NotFound)" in err:
            # the Pod was replaced (a rollout, a step that deleted it): run from its successor
            try:
                moved = _locate(check.origin, ctx)
            except (NotReady, ValueError) as exc:
                return code, out, f"{err.strip()}; {exc}"
            where.pod, where.ip = moved.pod, moved.ip
            code, out, err = _in_pod(ctx, moved.pod or "", argv)
        return code, out, err

    if isinstance(check, HttpCheck):
        argv = probes.curl_argv(fields["url"], fields.get("host_header"), check.headers)
        probe = check.model_copy(
            update={
                "body_contains": fields.get("body_contains"),
                "every_body_contains": fields.get("every_body_contains"),
            }
        )
        if probes.repeated(check):
            calls = probes.round_size(check)
            return lambda: probes.judge_round(probe, [probes.parse_curl(*run(argv)) for _ in range(calls)])
        return lambda: probes.judge_http(probe, probes.parse_curl(*run(argv)))
    if isinstance(check, ClientIpCheck):
        argv = probes.curl_argv(fields["url"])
        parts = urlsplit(fields["url"])
        host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
        outside = None if where.pod else source_address(host, port)

        def client_ip() -> Observation:
            answer = probes.parse_curl(*run(argv))
            return probes.judge_client_ip(check, answer, (where.ip if where.pod else outside) or "?")

        return client_ip
    if isinstance(check, TcpCheck):
        host, port = probes.split_target(fields["target"])
        if where.pod:
            return lambda: probes.judge_tcp(check, probes.parse_nc(*run(probes.nc_argv(host, port))))
        return lambda: probes.judge_tcp(check, _tcp_here(host, port))
    probe_dns = check.model_copy(update={"contains": fields.get("contains")})
    argv = probes.dig_argv(fields["name"], check.record)
    return lambda: probes.judge_dns(probe_dns, probes.parse_dig(*run(argv)))


def run_check(check: AnyCheck, ctx: CheckContext) -> Verdict:
    started = time.monotonic()
    prepared = _prepare(check, ctx)
    if isinstance(prepared, str):
        return Verdict(False, 0, time.monotonic() - started, prepared)
    where, fields = prepared
    if isinstance(check, DnsCheck) and (waiting := _wait_for_endpoints(ctx)):
        return Verdict(False, 0, time.monotonic() - started, f"EndpointSlices never became ready: {waiting}")
    verdict = until(_attempt(check, ctx, where, fields), policy_for(check), ctx.clock)
    return Verdict(verdict.passed, verdict.attempts, time.monotonic() - started, verdict.detail)
