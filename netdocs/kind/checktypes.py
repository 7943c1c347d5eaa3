"""Each check type's cluster side, in one place: the call it makes, how it is parsed and judged, how often.

``netdocs.behaviour`` owns a check type's data, validation and page text; this registry
(:data:`CHECK_TYPES`, keyed by the same ``type`` values) owns what the tier does with it. A
test keeps the two key sets equal, so a new check type is one model there and one entry here.

Retry policies, by expectation:

- a positive single call is retried until it holds once (:data:`limits.REACHABLE`);
- a negative (``dropped``/``refused``) is a round of :data:`NEGATIVE_CALLS` calls that must all
  be that negative, retried until one round holds (:data:`limits.BLOCKED`): a policy takes a
  moment to load, and one lost packet cannot pass for a policy;
- a repeated-call check (balancing, stickiness, which backends answer) waits until one call
  passes (the path converged), then the first complete round decides, with no retry: "every
  answer satisfies P" must never become "some round did".
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_args
from urllib.parse import urlsplit

from netdocs.behaviour import CHECK_TYPES as MODELS
from netdocs.behaviour import MIN_REPEATED_CALLS, AnyCheck, ClientIpCheck, DnsCheck, HttpCheck, TcpCheck
from netdocs.kind import limits, probes
from netdocs.kind.limits import BLOCKED, REACHABLE
from netdocs.kind.retry import Observation, Policy

NEGATIVE_CALLS = 3


@dataclass(frozen=True)
class Where:
    """Where a probe runs: a Pod (name and IP) or this machine (``pod is None``)."""

    pod: str | None
    ip: str | None


@dataclass(frozen=True)
class Probe:
    """One resolved check, ready to run: the call, its parser, and how a round is judged."""

    argv: list[str]
    parse: Callable[[int, str, str], probes.Answer]
    judge: Callable[[list[probes.Answer], Where], Observation]  # a round, and where it ran from
    calls: int = 1
    policy: Policy = REACHABLE
    call_seconds: float = limits.CALL.seconds  # each call's limit on average (:func:`round_calls`)
    # repeated-call checks: a single call that must hold before the one decisive round
    warm_up: Callable[[probes.Answer], Observation] | None = None
    # from outside, without a command (TCP: a socket from this machine)
    local: Callable[[], probes.Answer] | None = None


def round_calls(check: AnyCheck) -> tuple[int, float, float]:
    """Calls per round, and each call's limit and typical duration on average: a dropped call waits
    out the connect timeout; any other call answers (or is refused) at once, or the round fails anyway."""
    calls = NEGATIVE_CALLS if check.negative else (check.round_size if getattr(check, "repeated", False) else 1)
    if check.negative == "dropped":
        return calls, probes.CONNECT_TIMEOUT + 1, probes.CONNECT_TIMEOUT
    return calls, limits.CALL.seconds, limits.CALL.typical


def _rounds(check: AnyCheck, one: Callable[[probes.Answer], Observation]) -> dict[str, Any]:
    """Calls per round, judge and policy for a check whose calls are judged one by one."""
    calls, call_seconds, _ = round_calls(check)
    return {
        "calls": calls,
        "policy": BLOCKED if check.negative else REACHABLE,
        "call_seconds": call_seconds,
        "judge": lambda answers, _: probes.judge_all(one, answers),
    }


def _http(check: HttpCheck, where: Where) -> Probe:
    argv = probes.curl_argv(check.url, check.host_header, check.headers)
    if check.repeated:
        return Probe(
            argv,
            probes.parse_curl,
            lambda answers, _: probes.judge_round(check, answers),
            calls=check.round_size,
            warm_up=lambda answer: probes.judge_http(check, answer),
        )
    return Probe(argv, probes.parse_curl, **_rounds(check, lambda a: probes.judge_http(check, a)))


def source_address(host: str, port: int) -> str:
    """The address this machine sends from toward ``host`` (no packet is sent)."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0]
    with socket.socket(family, kind, proto) as probe:
        probe.connect(address)
        return str(probe.getsockname()[0])


def _client_ip(check: ClientIpCheck, where: Where) -> Probe:
    parts = urlsplit(check.url)
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    outside = None if where.pod else source_address(host, port)

    def judge(answers: list[probes.Answer], now: Where) -> Observation:
        caller = (now.ip if now.pod else outside) or "?"
        return probes.judge_all(lambda a: probes.judge_client_ip(check, a, caller), answers)

    return Probe(probes.curl_argv(check.url), probes.parse_curl, judge)


def tcp_here(host: str, port: int) -> probes.Answer:
    """A TCP connect from this machine, classified like nc's output."""
    try:
        with socket.create_connection((host, port), timeout=probes.CONNECT_TIMEOUT):
            return probes.Answer("answered", detail=f"connected to {host}:{port}")
    except socket.gaierror as exc:
        return probes.Answer("unresolved", detail=str(exc))
    except TimeoutError as exc:
        return probes.Answer("dropped", detail=str(exc) or "timed out")
    except (ConnectionRefusedError, OSError) as exc:
        return probes.Answer("refused", detail=str(exc) or type(exc).__name__)


def _tcp(check: TcpCheck, where: Where) -> Probe:
    host, port = probes.split_target(check.target)
    local = None if where.pod else (lambda: tcp_here(host, port))
    one: Callable[[probes.Answer], Observation] = lambda a: probes.judge_tcp(check, a)  # noqa: E731
    return Probe(probes.nc_argv(host, port), probes.parse_nc, local=local, **_rounds(check, one))


def _dns(check: DnsCheck, where: Where) -> Probe:
    one: Callable[[probes.Answer], Observation] = lambda a: probes.judge_dns(check, a)  # noqa: E731
    return Probe(probes.dig_argv(check.name, check.record), probes.parse_dig, **_rounds(check, one))


@dataclass(frozen=True)
class CheckType:
    """What the tier does with one check type."""

    prepare: Callable[[Any, Where], Probe]
    waits_for_endpoints: bool = False  # DNS answers follow EndpointSlices


CHECK_TYPES: dict[str, CheckType] = {
    "http": CheckType(_http),
    "tcp": CheckType(_tcp),
    "dns": CheckType(_dns, waits_for_endpoints=True),
    "client-ip": CheckType(_client_ip),
}


def _sample(model: type[AnyCheck], **fields: object) -> AnyCheck:
    """A check of ``model`` with placeholder values, to ask its entry what it would do."""
    required = {name: "x:1" for name, field in model.model_fields.items() if field.is_required()}
    return model.model_construct(**{**required, "origin": "deploy/x", **fields})


def policy_rows() -> list[tuple[str, str, str, str]]:
    """(type, expectation, calls per round, retry) for every expectation each check type allows,
    read from the probe each entry of :data:`CHECK_TYPES` prepares."""
    where = Where("pod", "10.0.0.1")
    rows = []
    for name, model in MODELS.items():
        samples = [(e, _sample(model, expect=e)) for e in get_args(model.model_fields["expect"].annotation)]
        if "distinct_backends" in model.model_fields:
            samples.append((f"{samples[0][0]}, with distinct_backends N", _sample(model, distinct_backends=2)))
        for expect, check in samples:
            probe = CHECK_TYPES[name].prepare(check, where)
            if probe.warm_up:
                calls = f"{probe.calls} for N = 2 (HttpCheck.round_size, never fewer than {MIN_REPEATED_CALLS})"
                retry = describe(probe.policy, "one call") + "; then the first complete round decides, no retry"
            else:
                calls = str(probe.calls)
                retry = describe(probe.policy, "every call of one round" if probe.calls > 1 else "one call")
            rows.append((name, expect, calls, retry))
    return rows


def describe(policy: Policy, holds: str) -> str:
    return f"until {holds} holds, every {policy.interval:g} s, at most {policy.timeout:g} s"


def reference_table() -> str:
    """The Markdown table CONTRIBUTING.md carries (a test keeps it equal to this)."""
    lines = ["| type | expect | calls per round (one `kubectl exec`) | retry |", "| --- | --- | --- | --- |"]
    lines += [f"| `{kind}` | {expect} | {calls} | {retry} |" for kind, expect, calls, retry in policy_rows()]
    return "\n".join(lines) + "\n"
