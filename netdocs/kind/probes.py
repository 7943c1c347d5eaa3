"""What a check runs (curl, nc, dig) and how its output is judged. Pure functions only.

A check from a Pod runs these commands with ``kubectl exec`` in the example's client (the
agnhost image installs curl, netcat-openbsd and bind-tools' dig from Alpine); a round of
calls is one ``kubectl exec`` running a loop (:func:`loop_argv`). A check from ``outside``
runs curl on the test machine, or a Python socket for TCP.

The two negatives are recognised positively and kept apart: ``refused`` is curl's exit 7
(CURLE_COULDNT_CONNECT: a reset or an ICMP unreachable came back) or nc's "Connection
refused"/"unreachable"; ``dropped`` is curl's exit 28 (CURLE_OPERATION_TIMEDOUT) or nc's
"timed out". A name that does not resolve, or a kubectl that could not exec, is an error,
never a negative. Exit codes: https://curl.se/libcurl/c/libcurl-errors.html
"""

from __future__ import annotations

import ipaddress
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from netdocs.behaviour import ClientIpCheck, DnsCheck, HttpCheck, Negative, TcpCheck
from netdocs.kind.retry import Observation

Outcome = Literal["answered", "refused", "dropped", "unresolved", "error"]

CONNECT_TIMEOUT = 3
REQUEST_TIMEOUT = 5
_CURL_NEGATIVE: dict[int, Negative] = {7: "refused", 28: "dropped"}
_CURL_UNRESOLVED = 6
# One round of calls in one `kubectl exec`: each call's exit code follows it on stdout and stderr.
_MARK = "@@netdocs-exit"
_MARKED = re.compile(rf"\n?{_MARK} (\d+)\n")


@dataclass(frozen=True)
class Answer:
    """The result of one probe, whatever its protocol."""

    outcome: Outcome
    status: int | None = None  # HTTP status
    body: str = ""
    detail: str = ""
    rcode: str | None = None  # DNS status (NOERROR, NXDOMAIN, ...)
    records: tuple[tuple[str, str], ...] = ()  # DNS (type, data)


def _last_line(text: str) -> str:
    return next((line.strip() for line in reversed(text.splitlines()) if line.strip()), "")


# --- HTTP -------------------------------------------------------------------------------


def curl_argv(
    url: str, host_header: str | None = None, headers: dict[str, str] | None = None, timeout: int = REQUEST_TIMEOUT
) -> list[str]:
    """curl printing the body, then a last line with the status code; never via a proxy.

    With a Host header over HTTPS the name must also be the TLS server name, so the URL is
    rewritten to the name and ``--resolve`` pins it to the address.
    """
    argv = ["curl", "-sS", "--noproxy", "*", "--connect-timeout", str(CONNECT_TIMEOUT), "--max-time", str(timeout)]
    argv += ["-w", "\\n%{http_code}"]
    parts = urlsplit(url)
    if parts.scheme == "https":
        argv.append("--insecure")  # examples use self-signed certificates
    if host_header and parts.scheme == "https":
        port = parts.port or 443
        argv += ["--resolve", f"{host_header}:{port}:{parts.hostname}"]
        netloc = f"{host_header}:{parts.port}" if parts.port else host_header
        url = urlunsplit(parts._replace(netloc=netloc))
    elif host_header:
        argv += ["-H", f"Host: {host_header}"]
    for name, value in (headers or {}).items():
        argv += ["-H", f"{name}: {value}"]
    return [*argv, url]


def parse_curl(returncode: int, stdout: str, stderr: str) -> Answer:
    body, _, code = stdout.rpartition("\n")
    said = _last_line(stderr)
    if returncode == 0 and code.strip().isdigit() and int(code) > 0:
        return Answer("answered", status=int(code), body=body, detail=f"HTTP {int(code)}")
    if returncode in _CURL_NEGATIVE and f"curl: ({returncode})" in stderr:
        return Answer(_CURL_NEGATIVE[returncode], detail=said)
    if returncode == _CURL_UNRESOLVED and "curl: (6)" in stderr:
        return Answer("unresolved", detail=said)
    return Answer("error", detail=f"exit {returncode}: {said or _last_line(stdout) or 'no output'}")


def _short(body: str) -> str:
    text = " ".join(body.split())
    return text if len(text) <= 60 else text[:57] + "..."


def judge_negative(expected: Negative, answer: Answer) -> Observation:
    """A negative holds only as the negative it names: a refusal never passes for a drop."""
    if answer.outcome == expected:
        return Observation(True, f"{expected} ({answer.detail})")
    seen = answer.detail if answer.outcome != "answered" else f"HTTP {answer.status}: {_short(answer.body)}"
    return Observation(False, f"expected {expected}, got {answer.outcome}: {seen}")


def judge_http(check: HttpCheck, answer: Answer) -> Observation:
    if check.negative:
        return judge_negative(check.negative, answer)
    if answer.outcome != "answered":
        return Observation(False, f"expected HTTP {check.status}, got {answer.outcome}: {answer.detail}")
    if answer.status != check.status:
        return Observation(False, f"expected HTTP {check.status}, got HTTP {answer.status}: {_short(answer.body)}")
    if check.body_contains is not None and check.body_contains not in answer.body:
        return Observation(False, f"HTTP {answer.status} without {check.body_contains!r}: {_short(answer.body)}")
    return Observation(True, f"HTTP {answer.status}: {_short(answer.body)}")


def judge_all(judge_one: Callable[[Answer], Observation], answers: list[Answer]) -> Observation:
    """Every call of a round holds (a negative: every call is the expected negative)."""
    seen = [judge_one(answer) for answer in answers]
    failed = [s for s in seen if not s.ok]
    if failed:
        return Observation(False, f"{len(failed)} of {len(answers)} calls failed, e.g. {failed[0].detail}")
    return Observation(True, seen[0].detail if len(seen) == 1 else f"{len(seen)} calls: {seen[0].detail}")


def judge_round(check: HttpCheck, answers: list[Answer]) -> Observation:
    """One round of calls, each on a new connection (kube-proxy balances connections).

    Every call must pass on its own; then the round must show enough distinct backends, a
    single backend, or only backends whose body contains the expected text.
    """
    single = judge_all(lambda answer: judge_http(check, answer), answers)
    if not single.ok:
        return single
    bodies = [answer.body.strip() for answer in answers]
    backends = sorted(set(bodies))
    shown = f"{len(answers)} calls, {len(backends)} backend(s): {', '.join(_short(b) for b in backends[:5])}"
    if check.distinct_backends and len(backends) < check.distinct_backends:
        return Observation(False, f"expected at least {check.distinct_backends} backends; {shown}")
    if check.same_backend and len(backends) != 1:
        return Observation(False, f"expected one backend for all calls; {shown}")
    if check.every_body_contains is not None:
        odd = sorted({b for b in bodies if check.every_body_contains not in b})
        if odd:
            return Observation(False, f"{len(odd)} backend(s) without {check.every_body_contains!r}: {_short(odd[0])}")
    return Observation(True, shown)


# --- TCP --------------------------------------------------------------------------------


def split_target(target: str) -> tuple[str, int]:
    host, _, port = target.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"TCP target {target!r} is not HOST:PORT")
    return host.strip("[]"), int(port)


def nc_argv(host: str, port: int) -> list[str]:
    return ["nc", "-z", "-v", "-w", str(CONNECT_TIMEOUT), host, str(port)]


_NC_UNRESOLVED = re.compile(r"getaddrinfo|Name does not resolve|Name or service not known|nodename nor servname")
# netcat-openbsd: warn("connect to %s port %s (%s) failed", ...) adds ": <strerror>"; a connect
# timeout (-w) is ETIMEDOUT ("Operation timed out" in musl, "Connection timed out" in glibc).
_NC_REFUSED = re.compile(r"Connection refused|No route to host|Host is unreachable|Network unreachable")
_NC_DROPPED = re.compile(r"timed out")


def parse_nc(returncode: int, stdout: str, stderr: str) -> Answer:
    said = _last_line(stderr) or _last_line(stdout)
    if returncode == 0:
        return Answer("answered", detail=said or "connected")
    if _NC_UNRESOLVED.search(stderr):
        return Answer("unresolved", detail=said)
    if _NC_REFUSED.search(stderr):
        return Answer("refused", detail=said)
    if _NC_DROPPED.search(stderr):
        return Answer("dropped", detail=said)
    return Answer("error", detail=f"exit {returncode}: {said or 'no output'}")


def judge_tcp(check: TcpCheck, answer: Answer) -> Observation:
    if check.negative:
        return judge_negative(check.negative, answer)
    return Observation(answer.outcome == "answered", f"{answer.outcome}: {answer.detail}")


# --- DNS --------------------------------------------------------------------------------


def dig_argv(name: str, record: str) -> list[str]:
    """dig with the Pod's resolv.conf search list (an absolute name, ending in a dot, skips it);
    only the header comments and the answers."""
    return ["dig", "+search", "+noall", "+comments", "+answer", "+time=2", "+tries=2", name, record]


_STATUS = re.compile(r"status: ([A-Z]+)")


def parse_dig(returncode: int, stdout: str, stderr: str) -> Answer:
    status = _STATUS.findall(stdout)
    if returncode != 0 or not status:
        return Answer("error", detail=f"exit {returncode}: {_last_line(stdout) or _last_line(stderr) or 'no output'}")
    records = []
    for line in stdout.splitlines():
        fields = line.split()
        if line.startswith(";") or len(fields) < 5:
            continue
        records.append((fields[3], " ".join(fields[4:])))
    return Answer("answered", rcode=status[-1], records=tuple(records), detail=status[-1])


def judge_dns(check: DnsCheck, answer: Answer) -> Observation:
    if answer.outcome != "answered":
        return Observation(False, answer.detail)
    if check.expect == "nxdomain":
        return Observation(answer.rcode == "NXDOMAIN", f"status {answer.rcode}")
    data = [value for kind, value in answer.records if kind == check.record]
    shown = f"{answer.rcode}, {len(data)} {check.record}: {', '.join(data) or '-'}"
    if answer.rcode != "NOERROR" or not data:
        return Observation(False, shown)
    if check.answers is not None and len(data) != check.answers:
        return Observation(False, f"expected {check.answers} {check.record}, got {shown}")
    if check.contains is not None and not any(check.contains in value for value in data):
        return Observation(False, f"no {check.record} record contains {check.contains!r}: {shown}")
    return Observation(True, shown)


# --- client IP ---------------------------------------------------------------------------


def client_ip_of(body: str) -> str:
    """agnhost's ``/whoami`` (no-snat-test) and ``/clientip`` (netexec) answer ``req.RemoteAddr``:
    ``IP:port``, ``[v6]:port`` for IPv6 (test/images/agnhost/no-snat-test/main.go)."""
    text = body.strip()
    host = text.rpartition(":")[0] if text.count(":") == 1 or text.startswith("[") else text
    host = host.strip("[]")
    ipaddress.ip_address(host)  # ValueError when the body is not an address
    return host


def judge_client_ip(check: ClientIpCheck, answer: Answer, caller: str) -> Observation:
    if answer.outcome != "answered" or answer.status != 200:
        return Observation(False, f"no /clientip answer: {answer.outcome} {answer.detail}")
    try:
        seen = client_ip_of(answer.body)
    except ValueError:
        return Observation(False, f"/clientip answered {_short(answer.body)!r}, not an address")
    same = seen == caller
    verb = "kept" if same else "replaced"
    return Observation(same == (check.expect == "preserved"), f"server saw {seen}, caller is {caller}: {verb}")


# --- one round in one exec ------------------------------------------------------------------


def loop_argv(argv: list[str], calls: int) -> list[str]:
    """``sh -c`` running ``argv`` ``calls`` times, each call's exit code marked on stdout and stderr."""
    command = shlex.join(argv)
    script = (
        f"i=0; while [ $i -lt {calls} ]; do {command}; c=$?; "
        f"printf '\\n{_MARK} %s\\n' $c; printf '{_MARK} %s\\n' $c >&2; i=$((i+1)); done"
    )
    return ["sh", "-c", script]


def split_loop(returncode: int, stdout: str, stderr: str) -> list[tuple[int, str, str]]:
    """The calls of a :func:`loop_argv` round as (exit code, stdout, stderr), in order.

    A round that did not run (the exec failed) is one call with the exec's own exit and output.
    """
    outs, errs = _MARKED.split(stdout), _MARKED.split(stderr)
    codes, bodies, said = outs[1::2], outs[0::2], errs[0::2]
    if not codes or codes != errs[1::2]:
        return [(returncode or 1, stdout, stderr)]
    return [(int(code), bodies[i], said[i]) for i, code in enumerate(codes)]
