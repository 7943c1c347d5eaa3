"""What curl, nc, dig and agnhost really print, for the parsers' tests: taken from their source.

Each sample is built from the format string the program prints with (cited beside it), not
remembered. The versions are those of the pinned ``agnhost:2.53`` image, which installs curl,
netcat-openbsd and bind-tools from Alpine (``test/images/agnhost/Dockerfile``: ``apk add
bind-tools curl netcat-openbsd ...``), so error texts are musl's ``strerror``.
"""

from __future__ import annotations

# --- curl 8 ------------------------------------------------------------------------------
# lib/connect.c: failf(data, "Failed to connect to %s port %u after %" CURL_FORMAT_TIMEDIFF_T
# " ms: %s", hostname, conn->port, ..., curl_easy_strerror(result)); the tool prints
# "curl: (%d) %s". curl_easy_strerror: CURLE_COULDNT_CONNECT (7) "Couldn't connect to server",
# CURLE_OPERATION_TIMEDOUT (28) "Timeout was reached". lib/hostip.c: "Could not resolve host: %s"
# (6). `-w "\n%{http_code}"` still writes the status, 000, when no response came.
CURL_REFUSED = (
    7,
    "\n000",
    "curl: (7) Failed to connect to 10.96.0.12 port 8080 after 1 ms: Couldn't connect to server\n",
)
CURL_DROPPED = (
    28,
    "\n000",
    "curl: (28) Failed to connect to 10.96.0.12 port 8080 after 3002 ms: Timeout was reached\n",
)
# lib/multi.c before curl 8: failf(data, "Connection timed out after %ld milliseconds", ...)
CURL_DROPPED_OLDER = (28, "\n000", "curl: (28) Connection timed out after 3001 milliseconds\n")
CURL_UNRESOLVED = (6, "\n000", "curl: (6) Could not resolve host: echo-typo\n")
# agnhost netexec with --http-override=/hostname: every path answers the Pod's name, no newline
CURL_ANSWER = (0, "echo-5d8f7c9b4-xk2pq\n200", "")

# --- netcat-openbsd ------------------------------------------------------------------------
# netcat.c: warn("connect to %s port %s (%s) failed", host, port, uflag ? "udp" : "tcp") appends
# ": " and strerror(errno); timeout_connect() sets errno = ETIMEDOUT when -w runs out. musl's
# strerror: ECONNREFUSED "Connection refused", ETIMEDOUT "Operation timed out", EHOSTUNREACH
# "Host is unreachable". With -z -v a connect prints "Connection to %s %s port [%s/%s] succeeded!".
NC_OPEN = (0, "", "Connection to 10.96.0.10 8080 port [tcp/*] succeeded!\n")
NC_REFUSED = (1, "", "nc: connect to 10.96.0.10 port 8080 (tcp) failed: Connection refused\n")
NC_DROPPED = (1, "", "nc: connect to 203.0.113.10 port 81 (tcp) failed: Operation timed out\n")
NC_UNREACHABLE = (1, "", "nc: connect to 10.244.2.9 port 80 (tcp) failed: Host is unreachable\n")

# --- dig (BIND 9) --------------------------------------------------------------------------
# bin/dig/dig.c printmessage(): ";; ->>HEADER<<- opcode: %s, status: %s, id: %u" then
# ";; flags: ..."; with +noall +comments +answer the answer section follows under its header.
# A timeout prints ";; connection timed out; no servers could be reached" and exits 9.
DIG_A = (
    0,
    ";; Got answer:\n"
    ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 41210\n"
    ";; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n"
    ";; WARNING: recursion requested but not available\n"
    "\n"
    ";; OPT PSEUDOSECTION:\n"
    "; EDNS: version: 0, flags:; udp: 1232\n"
    ";; ANSWER SECTION:\n"
    "echo.nd-dns-1a2b.svc.cluster.local. 30 IN A 10.96.148.20\n",
    "",
)
DIG_NXDOMAIN = (
    0,
    ";; Got answer:\n"
    ";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 5123\n"
    ";; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1\n",
    "",
)
DIG_TIMEOUT = (9, ";; connection timed out; no servers could be reached\n", "")

# --- agnhost ------------------------------------------------------------------------------
# netexec's /clientip: fmt.Fprintf(w, r.RemoteAddr); no-snat-test's /whoami:
# fmt.Fprintf(w, "%s", req.RemoteAddr): "IP:port", "[v6]:port" for IPv6, no newline.
CLIENT_IP_BODIES = {"10.244.1.5:40112": "10.244.1.5", "[fd00:10:244::5]:40112": "fd00:10:244::5"}
