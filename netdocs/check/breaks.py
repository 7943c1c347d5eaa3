"""What ``example.toml`` tells the checks: rules an example breaks on purpose, steps run unattended.

A deliberate break turns the matching errors into warnings that say why, so the page can
show the broken manifest; a declared break whose rule does not fire is itself an error,
so the lesson cannot silently stop demonstrating what it claims.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

from netdocs.check.findings import Finding, Severity
from netdocs.check.rules import Rule, family
from netdocs.examples import META_FILE, Breaks, Example, Meta, MetaError
from netdocs.paths import display


@cache
def _meta(folder: Path, stamp: int) -> Meta | MetaError:
    """example.toml read once per version of the file (``stamp`` is its modification time)."""
    try:
        return Example(folder.name, folder).meta
    except MetaError as exc:
        return exc


def meta(folder: Path) -> Meta | MetaError | None:
    """The folder's example metadata, the error reading it, or None without example.toml."""
    try:
        stamp = (folder / META_FILE).stat().st_mtime_ns
    except OSError:
        return None
    return _meta(folder.resolve(), stamp)


def declared(folder: Path) -> list[Breaks]:
    """The breaks an example folder declares; none for a folder without (a readable) example.toml."""
    found = meta(folder)
    return found.breaks if isinstance(found, Meta) else []


def unattended(folder: Path) -> set[str]:
    """Shell files the kind tier runs with no one at the keyboard: every step and the cleanup."""
    found = meta(folder)
    if not isinstance(found, Meta):
        return set()
    return {*found.kind.steps, *([found.kind.cleanup] if found.kind.cleanup else [])}


def meta_problems(folder: Path) -> list[Finding]:
    """An unreadable example.toml, or a break that names no rule, as findings."""
    path = folder / META_FILE
    found = meta(folder)
    if found is None:
        return []
    if isinstance(found, MetaError):
        return [Finding(display(path), 1, 1, Rule.INPUT, str(found).removeprefix(f"{display(path)}: "))]
    known = ", ".join(sorted(Rule))
    return [
        Finding(display(path), 1, 1, Rule.BREAKS_UNUSED, f"breaks names unknown rule {b.rule!r}; rules: {known}")
        for b in found.breaks
        if family(b.rule) is None
    ]


def _matches(finding: Finding, brk: Breaks) -> bool:
    return finding.rule == brk.rule or family(finding.rule) == brk.rule


def excuse(findings: list[Finding], declared_breaks: list[Breaks]) -> list[Finding]:
    """Errors of a deliberately broken rule become warnings that carry the reason."""
    out = []
    for finding in findings:
        brk = next((b for b in declared_breaks if _matches(finding, b)), None)
        if brk is not None and finding.severity is Severity.ERROR:
            message = f"{finding.message} [broken on purpose: {brk.why.en}]"
            out.append(replace(finding, severity=Severity.WARNING, message=message))
        else:
            out.append(finding)
    return out


def unused(folder: Path, findings: list[Finding]) -> list[Finding]:
    """Declared breaks whose rule produced no finding in the example: the lesson no longer holds."""
    where = display(folder / META_FILE)
    return [
        Finding(
            where,
            1,
            1,
            Rule.BREAKS_UNUSED,
            f"breaks rule {brk.rule!r} on purpose, but the checks report no such finding here; "
            "fix the example or remove the break",
        )
        for brk in declared(folder)
        if family(brk.rule) is not None and not any(_matches(f, brk) for f in findings)
    ]
