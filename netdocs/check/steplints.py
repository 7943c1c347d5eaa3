"""Offline behaviour lints of an example's kind plan and steps: what a cluster would catch, caught first.

Each rule is the class of a fault the kind tier met (issue 17):

- ``proxy-port-name``: a ``services/NAME:PORT/proxy`` URL names a port the Service does not have
  by that name (``kubectl expose`` leaves a single port unnamed), so the API server answers 503;
- ``applied-before-step``: a step applies a manifest that ``kind.apply`` has the tier apply
  before the steps, so the step creates nothing, and a claim that depends on its order is never
  tested (without ``kind.apply`` the tier applies only what no step applies: :func:`pre_applied`);
- ``guard-hides-failure``: a guard (``|| echo``, ``|| true``, ``|| :``) after an assertion
  (grep, printenv, test, diff, ``curl --fail``), or a retry loop that can run out as the step's
  last word, turns a failed claim into a passing step;
- ``negative-without-control``: a ``dropped``/``refused`` check with no positive check in the
  same example from the same origin or to the same host, so a broken client could pass for it.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from netdocs.check.findings import Finding
from netdocs.check.rules import Rule
from netdocs.check.yamldocs import Document
from netdocs.examples import META_FILE, Meta
from netdocs.paths import display

_PROXY = re.compile(r"/services/(?:https?:)?([a-z0-9][-a-z0-9]*):([A-Za-z0-9][-A-Za-z0-9]*)/proxy")
_EXPOSE = re.compile(r"\bkubectl\s+expose\s+(\S+)\s+(\S+)(.*)")
_GUARD = re.compile(r"\|\|\s*(echo|printf|true|:)(\s|$|;|'|\")")
_ASSERTION = re.compile(
    r"(^|[\s|;&'\"(])(grep|printenv|test|\[|\[\[|diff|cmp)\s|curl\s[^|]*(\s-[a-zA-Z]*f[a-zA-Z]*\s|--fail)"
)
_LOOP_START = re.compile(r"^\s*(for|while|until)\b")


def _lines(script: Path) -> list[tuple[int, str]]:
    """(first line number, logical line) with backslash and trailing-pipe/&&/|| continuations joined."""
    out: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, raw in enumerate(script.read_text(encoding="utf-8").splitlines(), start=1):
        text = raw.split(" #", 1)[0] if not raw.lstrip().startswith("#") else ""
        start, so_far = pending or (number, "")
        joined = f"{so_far} {text.strip()}".strip()
        if re.search(r"(\\|\||&&)\s*$", text):
            pending = (start, joined.rstrip("\\").strip())
            continue
        pending = None
        if joined:
            out.append((start, joined))
    return out


def _finding(script: Path, line: int, rule: Rule, message: str) -> Finding:
    return Finding(display(script), line, 1, rule, message)


def _service_ports(documents: list[Document], steps: list[Path]) -> dict[str, tuple[set[str], set[str]]]:
    """Service name -> (port names, port numbers), from the manifests and `kubectl expose` in the steps."""
    found: dict[str, tuple[set[str], set[str]]] = {}
    for doc in documents:
        data: Any = doc.data
        if isinstance(data, dict) and data.get("kind") == "Service":
            ports = (data.get("spec") or {}).get("ports") or []
            names = {str(p["name"]) for p in ports if isinstance(p, dict) and p.get("name")}
            numbers = {str(p["port"]) for p in ports if isinstance(p, dict) and "port" in p}
            found[str((data.get("metadata") or {}).get("name"))] = (names, numbers)
    for script in steps:
        for _, line in _lines(script):
            if match := _EXPOSE.search(line):
                words = shlex.split(match.group(3), comments=True)
                flags = dict(w.removeprefix("--").split("=", 1) for w in words if w.startswith("--") and "=" in w)
                name = flags.get("name", match.group(2))
                # kubectl expose names no port when it creates one ("Leave the port unnamed")
                found[name] = (set(), {flags["port"]} if "port" in flags else set())
    return found


def proxy_port_names(steps: list[Path], documents: list[Document]) -> list[Finding]:
    services = _service_ports(documents, steps)
    findings = []
    for script in steps:
        for number, line in _lines(script):
            for match in _PROXY.finditer(line):
                service, port = match.groups()
                if service not in services:
                    continue
                names, numbers = services[service]
                if port not in (numbers if port.isdigit() else names):
                    has = ", ".join(sorted(names)) or "no named port"
                    findings.append(
                        _finding(
                            script,
                            number,
                            Rule.PROXY_PORT_NAME,
                            f"services/{service}:{port}/proxy: Service {service} has {has}"
                            f" (ports {', '.join(sorted(numbers)) or '?'}): the API server answers 503;"
                            " name an existing port, or use its number",
                        )
                    )
    return findings


def _applied_files(line: str) -> list[str]:
    if not re.search(r"\bkubectl\s+(apply|create)\b", line) or "--dry-run" in line:
        return []
    words = shlex.split(line, comments=True)
    return [words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-f", "--filename")]


def step_applied(steps: list[Path]) -> set[str]:
    """Manifests the steps apply or create themselves (``kubectl apply|create -f FILE``)."""
    return {name for script in steps for _, line in _lines(script) for name in _applied_files(line)}


def pre_applied(folder: Path, meta: Meta) -> list[str]:
    """What the kind tier applies before the steps: ``kind.apply``, else every manifest no step applies."""
    if meta.kind.apply is not None:
        return list(meta.kind.apply)
    steps = step_applied(shell_steps(folder, meta))
    return sorted(p.name for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.name not in steps)


def shell_steps(folder: Path, meta: Meta) -> list[Path]:
    return [folder / name for name in meta.kind.steps if name.endswith(".sh") and (folder / name).is_file()]


def applied_before_steps(folder: Path, meta: Meta, steps: list[Path]) -> list[Finding]:
    before = set(pre_applied(folder, meta))
    where = "kind.apply"
    findings = []
    for script in steps:
        deleted: set[str] = set()
        for number, line in _lines(script):
            if re.search(r"\bkubectl\s+delete\b", line):
                deleted |= {w for w in shlex.split(line, comments=True) if w.endswith((".yaml", ".yml"))}
            for name in _applied_files(line):
                if name in before and name not in deleted:
                    findings.append(
                        _finding(
                            script,
                            number,
                            Rule.APPLIED_BEFORE_STEP,
                            f"{name} is applied before the steps ({where}), so this step creates nothing and what"
                            " depends on its order is never tested: leave it out of kind.apply (apply = [] when"
                            " the steps create everything)",
                        )
                    )
    return findings


def hidden_failures(steps: list[Path]) -> list[Finding]:
    findings = []
    for script in steps:
        lines = _lines(script)
        for number, line in lines:
            if line.startswith("trap "):
                continue
            guard = _GUARD.search(line)
            if guard and _ASSERTION.search(line[: guard.start()]):
                findings.append(
                    _finding(
                        script,
                        number,
                        Rule.GUARD_HIDES_FAILURE,
                        f"`{line[guard.start() : guard.end()].strip()}` after an assertion lets the step pass when"
                        " the assertion fails: write `if ...; then ...; else exit 1; fi`, or move the claim"
                        " into a check",
                    )
                )
        depth = 0
        loop_start, breaks = 0, False
        for index, (number, line) in enumerate(lines):
            if _LOOP_START.match(line):
                depth, loop_start, breaks = depth + 1, (loop_start if depth else number), breaks if depth else False
            breaks = breaks or bool(depth and re.search(r"\bbreak\b", line))
            if depth and re.search(r"(^|;)\s*done\b", line):
                depth -= 1
                if depth == 0 and breaks and index == len(lines) - 1:
                    findings.append(
                        _finding(
                            script,
                            loop_start,
                            Rule.GUARD_HIDES_FAILURE,
                            "this retry loop ends the step: when it runs out, the step passes anyway; repeat the"
                            " awaited command after it (or exit 1) so that the step fails",
                        )
                    )
    return findings


def _host(check: Any) -> str | None:
    text = getattr(check, "url", None) or getattr(check, "target", None)
    if not isinstance(text, str):
        return None
    return urlsplit(text).hostname if "://" in text else text.rpartition(":")[0]


def controls(check: Any, checks: list[Any]) -> list[Any]:
    """The positive checks that prove a negative check's path open: from its origin, or to its host."""
    return [c for c in checks if not c.negative and (c.origin == check.origin or _host(c) == _host(check))]


def negative_controls(folder: Path, meta: Meta) -> list[Finding]:
    findings = []
    for check in meta.checks:
        if check.negative and not controls(check, meta.checks):
            findings.append(
                Finding(
                    display(folder / META_FILE),
                    1,
                    1,
                    Rule.NEGATIVE_WITHOUT_CONTROL,
                    f"check {check.id} expects {check.negative} but no positive check leaves from {check.origin}"
                    f" or reaches {_host(check)}: add one, so that a broken client cannot pass for a block",
                )
            )
    return findings


def check(folder: Path, meta: Meta, documents: list[Document]) -> list[Finding]:
    """Every behaviour lint of one example folder."""
    steps = shell_steps(folder, meta)
    return [
        *proxy_port_names(steps, documents),
        *applied_before_steps(folder, meta, steps),
        *hidden_failures(steps),
        *negative_controls(folder, meta),
    ]
