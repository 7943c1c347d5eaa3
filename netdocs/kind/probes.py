"""What a check runs (curl, nc, dig) and how its output is judged. Pure functions only.

A check from a Pod runs these commands with ``kubectl exec`` in the example's client (the
agnhost image ships curl, netcat-openbsd and dig); a check from ``outside`` runs curl on the
test machine, or a Python socket for TCP. "No connection" is recognised positively (curl's
exit codes 7 and 28, nc's "connect ... failed/timed out"): a name that does not resolve, or
a kubectl that could not exec, is an error, never a block.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from netdocs.behaviour import MIN_REPEATED_CALLS, ClientIpCheck, DnsCheck, HttpCheck, TcpCheck
from netdocs.kind.retry import Observation

Outcome = Literal["answered", "no-connection", "unresolved", "error"]

CONNECT_TIMEOUT = 3
REQUEST_TIMEOUT = 5
_CURL_NO_CONNECTION = {7: "connection failed", 28: "timed out"}
_CURL_UNRESOLVED = 6


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
    if returncode in _CURL_NO_CONNECTION and f"curl: ({returncode})" in stderr:
        return Answer("no-connection", detail=said or _CURL_NO_CONNECTION[returncode])
    if returncode == _CURL_UNRESOLVED and "curl: (6)" in stderr:
        return Answer("unresolved", detail=said)
    return Answer("error", detail=f"exit {returncode}: {said or _last_line(stdout) or 'no output'}")


def _short(body: str) -> str:
    text = " ".join(body.split())
    return text if len(text) <= 60 else text[:57] + "..."


def judge_http(check: HttpCheck, answer: Answer) -> Observation:
    if check.expect == "blocked":
        if answer.outcome == "no-connection":
            return Observation(True, f"no connection ({answer.detail})")
        seen = answer.detail if answer.outcome != "answered" else f"HTTP {answer.status}: {_short(answer.body)}"
        return Observation(False, f"expected no connection, got {seen}")
    if answer.outcome != "answered":
        return Observation(False, f"expected HTTP {check.status}, got {answer.outcome}: {answer.detail}")
    if answer.status != check.status:
        return Observation(False, f"expected HTTP {check.status}, got HTTP {answer.status}: {_short(answer.body)}")
    if check.body_contains is not None and check.body_contains not in answer.body:
        return Observation(False, f"HTTP {answer.status} without {check.body_contains!r}: {_short(answer.body)}")
    return Observation(True, f"HTTP {answer.status}: {_short(answer.body)}")


def repeated(check: HttpCheck) -> bool:
    """Checks about several answers: balancing, stickiness, which backends may answer."""
    return bool(check.distinct_backends or check.same_backend or check.every_body_contains)


def round_size(check: HttpCheck) -> int:
    """Calls judged together: never fewer than MIN_REPEATED_CALLS, more for many backends."""
    return max(MIN_REPEATED_CALLS, 5 * (check.distinct_backends or 0))


def judge_round(check: HttpCheck, answers: list[Answer]) -> Observation:
    """One round of calls, each on a new connection (kube-proxy balances connections).

    Every call must pass on its own; then the round must show enough distinct backends, a
    single backend, or only backends whose body contains the expected text.
    """
    singles = [judge_http(check, answer) for answer in answers]
    failed = [seen for seen in singles if not seen.ok]
    if failed:
        return Observation(False, f"{len(failed)} of {len(answers)} calls failed, e.g. {failed[0].detail}")
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
_NC_NO_CONNECTION = re.compile(r"nc: connect to .*(failed|timed out)|Connection refused|No route to host|unreachable")


def parse_nc(returncode: int, stdout: str, stderr: str) -> Answer:
    said = _last_line(stderr) or _last_line(stdout)
    if returncode == 0:
        return Answer("answered", detail=said or "connected")
    if _NC_UNRESOLVED.search(stderr):
        return Answer("unresolved", detail=said)
    if _NC_NO_CONNECTION.search(stderr):
        return Answer("no-connection", detail=said)
    return Answer("error", detail=f"exit {returncode}: {said or 'no output'}")


def judge_tcp(check: TcpCheck, answer: Answer) -> Observation:
    if check.expect == "open":
        return Observation(answer.outcome == "answered", f"{answer.outcome}: {answer.detail}")
    if answer.outcome == "no-connection":
        return Observation(True, f"no connection ({answer.detail})")
    return Observation(False, f"expected no connection, got {answer.outcome}: {answer.detail}")


# --- DNS --------------------------------------------------------------------------------


def dig_argv(name: str, record: str) -> list[str]:
    """dig with the Pod's resolv.conf search list; only the header comments and the answers."""
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
    """agnhost netexec ``/clientip`` answers ``IP:port`` (``[v6]:port`` for IPv6)."""
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
