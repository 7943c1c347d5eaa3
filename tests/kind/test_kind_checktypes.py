"""One place per check type: the core model and this registry share their keys; CONTRIBUTING's table is generated."""

from __future__ import annotations

from netdocs.behaviour import CHECK_TYPES as MODELS
from netdocs.kind import checktypes
from netdocs.paths import ROOT


def test_every_check_type_has_exactly_one_entry_in_the_registry() -> None:
    assert set(checktypes.CHECK_TYPES) == set(MODELS)


def test_contributing_carries_the_generated_reference_table() -> None:
    """Regenerate with `python -m netdocs.kind reference` when a check type or policy changes."""
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert checktypes.reference_table() in contributing


def test_each_expectation_gets_its_calls_and_policy_from_the_entry() -> None:
    rows = {(kind, expect): (calls, retry) for kind, expect, calls, retry in checktypes.policy_rows()}
    assert rows[("http", "dropped")][0] == str(checktypes.NEGATIVE_CALLS)
    assert rows[("tcp", "open")][0] == "1"
    assert rows[("http", "reachable, with distinct_backends N")][0].startswith("10 for N = 2")
    assert {expect for kind, expect in rows if kind == "client-ip"} == {"preserved", "replaced"}
