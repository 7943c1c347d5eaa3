"""Servers that do more than answer: no manifest may publish a remote shell.

Readers copy examples into real clusters, where a Service, a nodePort or a load balancer
publishes whatever the Pod serves. agnhost's ``netexec`` runs any command sent to
``/shell?cmd=``, writes files sent to ``/upload`` and makes requests for its caller at
``/dial``, unless ``--http-override`` pins every path to one handler
(kubernetes/kubernetes ``test/images/agnhost/netexec/netexec.go``). The same goes for
listeners that hand a connection to a shell (``nc -e``, ``socat EXEC:``) and for agnhost
servers that serve files or fetch addresses for their callers.
"""

from __future__ import annotations

import re
from typing import Any

from netdocs.check.findings import Finding
from netdocs.check.objects import as_list, get, mappings, pod_template
from netdocs.check.rules import Rule
from netdocs.check.yamldocs import Document, JsonPath

# netexec handlers that act instead of answering; an override to one of them is no safer.
NETEXEC_ACTIONS = {
    "/shell": "runs the command it is sent",
    "/upload": "writes the file it is sent",
    "/dial": "sends requests wherever its caller says",
    "/exit": "lets any caller stop the server",
    "/shutdown": "lets any caller stop the server",
}
# no-snat-test's /checknosnat fetches http://<any address>/whoami for its caller; a proxy
# variable naming a loopback port makes every fetch to a non-loopback address fail.
_DEAD_END_PROXY = re.compile(r"^http://(127\.\d+\.\d+\.\d+|\[::1\]|localhost):\d+/?$")
# A listener that hands each connection to a program: nc/ncat -e/-c/--exec/--sh-exec, socat EXEC:/SYSTEM:.
_SHELL_LISTENERS = (
    (re.compile(r"\b(nc|ncat|netcat)\b[^;&|]*\s(-e|-c|--exec|--sh-exec|--lua-exec)\b"), "nc/ncat with -e or -c"),
    (re.compile(r"\bsocat\b[^;&|]*\b(EXEC|SYSTEM):", re.IGNORECASE), "socat with an EXEC: or SYSTEM: address"),
)


def _words(container: dict[str, Any]) -> list[str]:
    return [str(word) for field in ("command", "args") for word in as_list(container.get(field))]


def _agnhost_subcommand(words: list[str]) -> str | None:
    """``netexec`` for ``args: ["netexec", ...]`` or ``command: ["/agnhost", "netexec", ...]``."""
    for word in words:
        if word.startswith("-"):
            continue
        if word.rsplit("/", 1)[-1] == "agnhost":
            continue
        return word
    return None


def _netexec(words: list[str]) -> str | None:
    overrides = [w.split("=", 1)[1] for w in words if w.startswith("--http-override=")]
    if "--http-override" in words:
        following = words[words.index("--http-override") + 1 :]
        overrides += following[:1]
    if not overrides:
        return (
            "agnhost netexec serves /shell (runs any command it is sent) and /upload on its HTTP port: "
            'add "--http-override=/hostname" so that every path answers with the Pod\'s name and nothing else'
        )
    path = overrides[-1].split("?", 1)[0]
    if (does := NETEXEC_ACTIONS.get(path)) is not None:
        return f"--http-override={overrides[-1]} makes every path {path}, which {does}: override to /hostname or /echo"
    return None


def _no_snat_test(container: dict[str, Any]) -> str | None:
    proxies = {
        str(env.get("name")): str(env.get("value", ""))
        for _, env in mappings(container.get("env"))
        if str(env.get("name")) in ("HTTP_PROXY", "http_proxy")
    }
    if any(_DEAD_END_PROXY.match(value) for value in proxies.values()):
        return None
    return (
        "agnhost no-snat-test's /checknosnat fetches http://<any address>/whoami for whoever calls it: "
        'set env HTTP_PROXY to a closed loopback port (value "http://127.0.0.1:9") so those fetches reach nothing'
    )


def _problem(container: dict[str, Any]) -> str | None:
    words = _words(container)
    image = str(container.get("image", ""))
    if "agnhost" in image or any(w.rsplit("/", 1)[-1] == "agnhost" for w in words):
        match _agnhost_subcommand(words):
            case "netexec":
                return _netexec(words)
            case "no-snat-test":
                return _no_snat_test(container)
            case "test-webserver":
                return "agnhost test-webserver serves every file of the container's filesystem: use serve-hostname"
    line = " ".join(words)
    for pattern, what in _SHELL_LISTENERS:
        if pattern.search(line):
            return f"{what} hands every connection to a program (a remote shell): serve a fixed answer instead"
    return None


def check(doc: Document) -> list[Finding]:
    """One finding per container of a Pod template that would serve more than answers."""
    template = pod_template(doc)
    if template is None:
        return []
    findings = []
    for field in ("initContainers", "containers", "ephemeralContainers"):
        for i, container in mappings(get(doc.data, (*template.spec_path, field))):
            if (problem := _problem(container)) is None:
                continue
            path: JsonPath = (*template.spec_path, field, i)
            where = next((f for f in ("args", "command") if container.get(f) is not None), "image")
            name = container.get("name", i)
            findings.append(doc.finding((*path, where), Rule.UNSAFE_SERVER, f"container {name!r}: {problem}"))
    return findings


def exposures(doc: Document) -> list[str]:
    """What the object makes reachable from outside the cluster (each needs a warning on its example)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    spec = data.get("spec") if isinstance(data.get("spec"), dict) else {}
    found = []
    if doc.kind == "Service":
        if spec.get("type") in ("NodePort", "LoadBalancer"):
            found.append(f"Service {doc.name}: type {spec['type']}")
        if as_list(spec.get("externalIPs")):
            found.append(f"Service {doc.name}: externalIPs")
    elif doc.kind in ("Ingress", "Gateway"):
        found.append(f"{doc.kind} {doc.name}")
    elif (template := pod_template(doc)) is not None:
        if template.spec.get("hostNetwork") is True:
            found.append(f"{template.owner}: hostNetwork")
        found += [
            f"{template.owner}: hostPort {port['hostPort']}"
            for _, container in template.containers()
            for _, port in mappings(container.get("ports"))
            if port.get("hostPort")
        ]
    return found
