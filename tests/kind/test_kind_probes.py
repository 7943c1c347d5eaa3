"""What each check type runs, and how its output is judged (curl, nc, dig, /clientip)."""

from __future__ import annotations

import subprocess
import tempfile
from typing import Any

import pytest
import realoutput  # tests/kind/realoutput.py: beside this file, on pytest's path
from pydantic import TypeAdapter

from netdocs.behaviour import MIN_REPEATED_CALLS, Check
from netdocs.kind import probes
from netdocs.kind.probes import Answer

CHECK: TypeAdapter[Any] = TypeAdapter(Check)
SAYS = {"en": "e", "zh": "z"}


def check(**fields: Any) -> Any:
    return CHECK.validate_python({"id": "c", "from": "deploy/client", "says": SAYS, **fields})


# --- curl -------------------------------------------------------------------------------


def test_curl_prints_the_status_last_and_never_uses_a_proxy() -> None:
    argv = probes.curl_argv("http://echo/hostname")
    assert argv[0] == "curl"
    assert argv[argv.index("--noproxy") + 1] == "*"
    assert argv[argv.index("-w") + 1] == "\\n%{http_code}"
    assert argv[-1] == "http://echo/hostname"
    assert "--insecure" not in argv


def test_http_host_header_is_a_header() -> None:
    argv = probes.curl_argv("http://172.18.0.9/", "www.example.com")
    assert argv[argv.index("-H") + 1] == "Host: www.example.com"
    assert argv[-1] == "http://172.18.0.9/"


def test_https_host_header_is_also_the_tls_server_name() -> None:
    argv = probes.curl_argv("https://172.18.0.9/shop?x=1", "shop.example.com")
    assert argv[argv.index("--resolve") + 1] == "shop.example.com:443:172.18.0.9"
    assert argv[-1] == "https://shop.example.com/shop?x=1"
    assert "--insecure" in argv
    assert "-H" not in argv


def test_https_host_header_keeps_an_explicit_port() -> None:
    argv = probes.curl_argv("https://172.18.0.9:8443/", "a.example.com")
    assert argv[argv.index("--resolve") + 1] == "a.example.com:8443:172.18.0.9"
    assert argv[-1] == "https://a.example.com:8443/"


@pytest.mark.parametrize(
    ("code", "out", "err", "outcome", "status"),
    [
        (0, "echo-5d8f7-xk2pq\n200", "", "answered", 200),
        (0, "no route\n\n404", "", "answered", 404),
        (
            7,
            "\n000",
            "curl: (7) Failed to connect to 10.96.0.12 port 80: Couldn't connect to server",
            "refused",
            None,
        ),
        (28, "\n000", "curl: (28) Connection timed out after 3001 milliseconds", "dropped", None),
        (6, "\n000", "curl: (6) Could not resolve host: echo", "unresolved", None),
        (56, "\n000", "curl: (56) Recv failure: Connection reset by peer", "error", None),
        # kubectl itself failed: exit 1 is never curl's "no connection"
        (1, "", 'error: unable to upgrade connection: container not found ("client")', "error", None),
        # a 7 that curl did not say is not trusted either
        (7, "", "something else", "error", None),
    ],
)
def test_curl_outcomes(code: int, out: str, err: str, outcome: str, status: int | None) -> None:
    answer = probes.parse_curl(code, out, err)
    assert (answer.outcome, answer.status) == (outcome, status)


def test_answered_body_is_the_body_without_the_status_line() -> None:
    assert probes.parse_curl(0, "echo-1\n200", "").body == "echo-1"


def test_reachable_http() -> None:
    ok = probes.judge_http(check(type="http", url="http://echo/"), Answer("answered", 200, "echo-1"))
    assert ok.ok
    wrong = probes.judge_http(check(type="http", url="http://echo/"), Answer("answered", 503, "busy"))
    assert (wrong.ok, wrong.detail) == (False, "expected HTTP 200, got HTTP 503: busy")
    refused = probes.judge_http(check(type="http", url="http://echo/"), Answer("refused", detail="refused"))
    assert not refused.ok


def test_expected_status_and_body() -> None:
    missing = check(type="http", url="http://gw/", status=404)
    assert probes.judge_http(missing, Answer("answered", 404, "not found")).ok
    body = check(type="http", url="http://echo/", body_contains="api-")
    assert probes.judge_http(body, Answer("answered", 200, "api-7f9c")).ok
    assert not probes.judge_http(body, Answer("answered", 200, "web-7f9c")).ok


def test_a_negative_is_only_the_negative_it_names() -> None:
    dropped = check(type="http", url="http://echo/", expect="dropped")
    refused = check(type="http", url="http://echo/", expect="refused")
    assert probes.judge_http(dropped, Answer("dropped", detail="timed out")).ok
    assert not probes.judge_http(dropped, Answer("refused", detail="Couldn't connect")).ok
    assert probes.judge_http(refused, Answer("refused", detail="Couldn't connect")).ok
    assert not probes.judge_http(refused, Answer("dropped", detail="timed out")).ok
    for negative in (dropped, refused):
        assert not probes.judge_http(negative, Answer("answered", 403, "forbidden")).ok
        assert not probes.judge_http(negative, Answer("unresolved", detail="Could not resolve host")).ok
        assert not probes.judge_http(negative, Answer("error", detail="kubectl failed")).ok


def answers(*bodies: str) -> list[Answer]:
    return [Answer("answered", 200, body) for body in bodies]


def test_rounds_are_at_least_the_minimum_number_of_calls() -> None:
    assert check(type="http", url="http://e/", same_backend=True).round_size == MIN_REPEATED_CALLS
    assert check(type="http", url="http://e/", distinct_backends=3).round_size >= 15
    assert not check(type="http", url="http://e/").repeated


def test_distinct_backends() -> None:
    two = check(type="http", url="http://echo/", distinct_backends=2)
    assert probes.judge_round(two, answers(*["a"] * 9, "b")).ok
    one = probes.judge_round(two, answers(*["a"] * 10))
    assert (one.ok, one.detail) == (False, "expected at least 2 backends; 10 calls, 1 backend(s): a")


def test_same_backend() -> None:
    sticky = check(type="http", url="http://echo/", same_backend=True)
    assert probes.judge_round(sticky, answers(*["a"] * 10)).ok
    assert not probes.judge_round(sticky, answers(*["a"] * 9, "b")).ok


def test_every_body_contains() -> None:
    zone = check(type="http", url="http://echo/", every_body_contains="zone-a-", distinct_backends=2)
    assert probes.judge_round(zone, answers(*["echo-zone-a-1", "echo-zone-a-2"] * 5)).ok
    leak = probes.judge_round(zone, answers(*["echo-zone-a-1", "echo-zone-a-2"] * 4, "echo-zone-b-1", "echo-zone-a-1"))
    assert (leak.ok, leak.detail) == (False, "1 backend(s) without 'zone-a-': echo-zone-b-1")


def test_one_failed_call_fails_the_round() -> None:
    two = check(type="http", url="http://echo/", distinct_backends=2)
    verdict = probes.judge_round(two, [*answers(*["a", "b"] * 4, "a"), Answer("dropped", detail="timed out")])
    assert not verdict.ok
    assert verdict.detail.startswith("1 of 10 calls failed")


# --- TCP --------------------------------------------------------------------------------


def test_nc_argv_and_target() -> None:
    assert probes.split_target("10.96.0.10:8080") == ("10.96.0.10", 8080)
    assert probes.nc_argv("10.96.0.10", 8080) == ["nc", "-z", "-v", "-w", "3", "10.96.0.10", "8080"]
    with pytest.raises(ValueError, match="not HOST:PORT"):
        probes.split_target("10.96.0.10")


@pytest.mark.parametrize(
    ("code", "err", "outcome"),
    [
        (0, "Connection to 10.96.0.10 8080 port [tcp/http-alt] succeeded!", "answered"),
        (1, "nc: connect to 10.96.0.10 port 8080 (tcp) failed: Connection refused", "refused"),
        (1, "nc: connect to 203.0.113.10 port 81 (tcp) timed out: Operation now in progress", "dropped"),
        (1, "nc: connect to 203.0.113.10 port 81 (tcp) failed: Operation timed out", "dropped"),
        (1, 'nc: getaddrinfo for host "nope" port 80: Name does not resolve', "unresolved"),
        (1, "error: unable to upgrade connection: pod does not exist", "error"),
    ],
)
def test_nc_outcomes(code: int, err: str, outcome: str) -> None:
    assert probes.parse_nc(code, "", err).outcome == outcome


def test_tcp_judgement() -> None:
    opened = check(type="tcp", target="echo:80", expect="open")
    blocked = check(type="tcp", target="echo:81", expect="dropped")
    assert probes.judge_tcp(opened, Answer("answered")).ok
    assert not probes.judge_tcp(opened, Answer("dropped")).ok
    assert probes.judge_tcp(blocked, Answer("dropped")).ok
    assert not probes.judge_tcp(blocked, Answer("refused")).ok
    assert not probes.judge_tcp(blocked, Answer("answered")).ok
    assert not probes.judge_tcp(blocked, Answer("error", detail="kubectl failed")).ok


# --- DNS --------------------------------------------------------------------------------

HEADER = """\
;; Got answer:
;; ->>HEADER<<- opcode: QUERY, status: {status}, id: 41529
;; flags: qr aa rd; QUERY: 1, ANSWER: {count}, AUTHORITY: 0, ADDITIONAL: 1

;; OPT PSEUDOSECTION:
; EDNS: version: 0, flags:; udp: 1232
"""


def dig_output(status: str, *records: str) -> str:
    answer = ";; ANSWER SECTION:\n" + "\n".join(records) + "\n" if records else ""
    return HEADER.format(status=status, count=len(records)) + answer


def test_dig_uses_the_search_list_and_shows_only_header_and_answers() -> None:
    assert probes.dig_argv("echo", "A") == [
        "dig", "+search", "+noall", "+comments", "+answer", "+time=2", "+tries=2", "echo", "A",
    ]  # fmt: skip


def test_dig_a_records() -> None:
    out = dig_output(
        "NOERROR",
        "web.ns.svc.cluster.local. 30 IN A 10.244.1.4",
        "web.ns.svc.cluster.local. 30 IN A 10.244.2.7",
        "web.ns.svc.cluster.local. 30 IN A 10.244.1.9",
    )
    answer = probes.parse_dig(0, out, "")
    assert answer.rcode == "NOERROR"
    assert [value for _, value in answer.records] == ["10.244.1.4", "10.244.2.7", "10.244.1.9"]
    assert probes.judge_dns(check(type="dns", name="web", answers=3), answer).ok
    two = probes.judge_dns(check(type="dns", name="web", answers=2), answer)
    assert not two.ok
    assert two.detail.startswith("expected 2 A, got NOERROR, 3 A")


def test_dig_srv_and_cname_records() -> None:
    srv = probes.parse_dig(
        0,
        dig_output(
            "NOERROR", "_http._tcp.db.ns.svc.cluster.local. 30 IN SRV 0 100 8080 primary.db.ns.svc.cluster.local."
        ),
        "",
    )
    wanted = check(
        type="dns", name="_http._tcp.db.ns.svc.cluster.local.", record="SRV", answers=1, contains="primary.db.ns"
    )
    assert probes.judge_dns(wanted, srv).ok
    cname = probes.parse_dig(
        0, dig_output("NOERROR", "alias.ns.svc.cluster.local. 5 IN CNAME kube-dns.kube-system.svc.cluster.local."), ""
    )
    assert probes.judge_dns(check(type="dns", name="alias", record="CNAME", contains="kube-dns.kube-system"), cname).ok
    # a CNAME answer does not count as the A records of an A query
    assert not probes.judge_dns(check(type="dns", name="alias"), cname).ok


def test_nxdomain() -> None:
    gone = probes.parse_dig(0, dig_output("NXDOMAIN"), "")
    assert probes.judge_dns(check(type="dns", name="missing", expect="nxdomain"), gone).ok
    assert not probes.judge_dns(check(type="dns", name="missing"), gone).ok
    found = probes.parse_dig(0, dig_output("NOERROR", "echo.ns.svc.cluster.local. 30 IN A 10.96.0.5"), "")
    assert not probes.judge_dns(check(type="dns", name="echo", expect="nxdomain"), found).ok


def test_dig_timeout_is_an_error() -> None:
    out = ";; communications error to 10.96.0.10#53: timed out\n;; no servers could be reached\n"
    answer = probes.parse_dig(9, out, "")
    assert answer.outcome == "error"
    assert not probes.judge_dns(check(type="dns", name="echo"), answer).ok


# --- client IP ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "ip"),
    [("10.244.1.7:51234", "10.244.1.7"), ("[fd00:10:244::7]:51234", "fd00:10:244::7"), ("172.18.0.1\n", "172.18.0.1")],
)
def test_client_ip_of_agnhost_answer(body: str, ip: str) -> None:
    assert probes.client_ip_of(body) == ip


def test_client_ip_preserved_or_replaced() -> None:
    kept = check(type="client-ip", url="http://x/clientip", expect="preserved", **{"from": "outside"})
    swapped = check(type="client-ip", url="http://x/clientip", expect="replaced", **{"from": "outside"})
    same = Answer("answered", 200, "172.18.0.1:40000")
    other = Answer("answered", 200, "172.18.0.3:40000")
    assert probes.judge_client_ip(kept, same, "172.18.0.1").ok
    assert not probes.judge_client_ip(kept, other, "172.18.0.1").ok
    assert probes.judge_client_ip(swapped, other, "172.18.0.1").ok
    assert not probes.judge_client_ip(swapped, same, "172.18.0.1").ok
    garbage = probes.judge_client_ip(kept, Answer("answered", 200, "hello"), "172.18.0.1")
    assert (garbage.ok, garbage.detail) == (False, "/clientip answered 'hello', not an address")
    assert not probes.judge_client_ip(swapped, Answer("dropped", detail="timed out"), "172.18.0.1").ok


def test_extra_headers_are_sent_after_the_host_header() -> None:
    argv = probes.curl_argv("http://172.18.0.9/", "echo.example.com", {"X-Canary": "always"})
    assert argv[-5:] == ["-H", "Host: echo.example.com", "-H", "X-Canary: always", "http://172.18.0.9/"]


# --- one round in one exec ------------------------------------------------------------------


def test_a_round_runs_in_a_real_shell_and_splits_into_its_calls() -> None:
    """The loop that one ``kubectl exec`` runs, in a real ``sh``: each call keeps its exit and output."""
    call = [
        "sh",
        "-c",
        'n=$(cat count 2>/dev/null || echo 0); echo $((n+1)) > count; printf "echo-$n\\n200"; '
        '[ "$n" = 1 ] && { echo "curl: (28) timed out" >&2; exit 28; }; exit 0',
    ]
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(probes.loop_argv(call, 3), cwd=folder, capture_output=True, text=True, check=False)
    calls = probes.split_loop(done.returncode, done.stdout, done.stderr)
    assert [code for code, _, _ in calls] == [0, 28, 0]
    assert [probes.parse_curl(*c).outcome for c in calls] == ["answered", "dropped", "answered"]
    assert probes.parse_curl(*calls[2]).body == "echo-2"


def test_a_round_whose_exec_failed_is_one_error() -> None:
    calls = probes.split_loop(1, "", 'error: unable to upgrade connection: container not found ("client")')
    assert [probes.parse_curl(*c).outcome for c in calls] == ["error"]


# --- the real output formats (tests/kind/realoutput.py cites each source) --------------------


@pytest.mark.parametrize(
    ("output", "outcome"),
    [
        (realoutput.CURL_ANSWER, "answered"),
        (realoutput.CURL_REFUSED, "refused"),
        (realoutput.CURL_DROPPED, "dropped"),
        (realoutput.CURL_DROPPED_OLDER, "dropped"),
        (realoutput.CURL_UNRESOLVED, "unresolved"),
    ],
)
def test_curl_as_agnhost_ships_it(output: tuple[int, str, str], outcome: str) -> None:
    assert probes.parse_curl(*output).outcome == outcome


@pytest.mark.parametrize(
    ("output", "outcome"),
    [
        (realoutput.NC_OPEN, "answered"),
        (realoutput.NC_REFUSED, "refused"),
        (realoutput.NC_DROPPED, "dropped"),
        (realoutput.NC_UNREACHABLE, "refused"),
    ],
)
def test_netcat_openbsd_on_musl(output: tuple[int, str, str], outcome: str) -> None:
    assert probes.parse_nc(*output).outcome == outcome


def test_dig_of_bind9() -> None:
    found = probes.parse_dig(*realoutput.DIG_A)
    assert (found.rcode, found.records) == ("NOERROR", (("A", "10.96.148.20"),))
    assert probes.parse_dig(*realoutput.DIG_NXDOMAIN).rcode == "NXDOMAIN"
    assert probes.parse_dig(*realoutput.DIG_TIMEOUT).outcome == "error"


@pytest.mark.parametrize(("body", "ip"), sorted(realoutput.CLIENT_IP_BODIES.items()))
def test_agnhost_remote_addr_bodies(body: str, ip: str) -> None:
    assert probes.client_ip_of(body) == ip
