"""The must-fail corpus: each case in tests/invalid/ must produce the finding it names.

A case is a file whose first line says ``# expect: <fragment>`` (an error) or
``# expect warning: <fragment>`` (a warning, and no error), or a folder checked as one
example whose ``expect.txt`` holds the fragment. Like Gateway API's invalid examples, a
rule with no failing case here is not proven: every :class:`~netdocs.check.rules.Rule` must be
the rule of some case's expected finding.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from netdocs.check.findings import Finding, Severity
from netdocs.check.rules import Rule, family
from netdocs.check.validate import run
from netdocs.paths import TESTS, display

INVALID = TESTS / "invalid"
CASES = sorted(case for rule in INVALID.iterdir() if rule.is_dir() for case in rule.iterdir())
_HEAD = re.compile(r"^(error|warning)\[([\w-]+)\]: ")


def expected(case: Path) -> tuple[Severity, str]:
    if case.is_dir():
        first = (case / "expect.txt").read_text(encoding="utf-8").strip()
    else:
        first = case.read_text(encoding="utf-8", errors="replace").splitlines()[0]
        assert first.startswith("# expect"), f"{display(case)}:1: first line must be '# expect: <fragment>'"
        first = first.removeprefix("# ")
    if first.startswith("expect warning: "):
        return Severity.WARNING, first.removeprefix("expect warning: ").strip()
    return Severity.ERROR, first.removeprefix("expect: ").strip()


@cache
def findings_of(case: Path) -> tuple[Finding, ...]:
    return tuple(run([case], self_contained=case.is_dir()).findings)  # a case folder is one example


def matching(case: Path) -> list[Finding]:
    severity, fragment = expected(case)
    return [f for f in findings_of(case) if f.severity is severity and fragment in str(f)]


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_case_names_its_severity_and_rule(case: Path) -> None:
    severity, fragment = expected(case)
    head = _HEAD.match(fragment)
    assert head, f"{display(case)}:1: the expectation starts with severity[rule]: {fragment!r}"
    assert head.group(1) == severity.value, f"{display(case)}:1: 'expect warning:' goes with warning[...]"
    rule = family(head.group(2))
    assert rule is not None, f"{display(case)}:1: unknown rule {head.group(2)!r}"
    assert rule.value == case.parent.name, (
        f"{display(case)}: proves {rule.value}, so it lives in tests/invalid/{rule.value}/"
    )


def test_the_corpus_holds_only_rule_folders() -> None:
    stray = [display(p) for p in INVALID.iterdir() if not p.is_dir() or family(p.name) is None]
    assert not stray, "tests/invalid/ holds one folder per rule id (tests/invalid/<rule-id>/<variant>): " + ", ".join(
        stray
    )


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_case_fails_with_its_message(case: Path) -> None:
    severity, fragment = expected(case)
    found = findings_of(case)
    assert matching(case), f"{display(case)}: expected a {severity.value} containing {fragment!r}, got:\n" + "\n".join(
        map(str, found)
    )
    if severity is Severity.WARNING:
        errors = [f for f in found if f.severity is Severity.ERROR]
        assert not errors, f"{display(case)}: a warning case must not fail:\n" + "\n".join(map(str, errors))


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30, f"tests/invalid/ has {len(CASES)} cases; the corpus keeps at least 30"


def test_every_rule_is_proven_by_a_case() -> None:
    proven = {family(f.rule) for case in CASES for f in matching(case)}
    missing = sorted(rule.value for rule in Rule if rule not in proven)
    assert not missing, "rules no must-fail case proves (add a case to tests/invalid/): " + ", ".join(missing)


def test_every_reported_rule_is_registered() -> None:
    unknown = sorted({f.rule for case in CASES for f in findings_of(case) if family(f.rule) is None})
    assert not unknown, "findings with a rule id missing from netdocs.check.rules.Rule: " + ", ".join(unknown)
