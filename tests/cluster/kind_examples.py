"""The real-cluster tier: every example applied to kind, its steps run, its checks proven.

Not collected by the offline suite (the file name does not start with ``test_``); run it
with ``nox -s kind``, which loads ``netdocs.kind.pytest_plugin`` for the cluster fixture. The
fixture runs every selected example (concurrently); each test reports its example's outcome.
"""

from __future__ import annotations

import pytest

from netdocs.examples import Example, load_examples
from netdocs.kind.tier import Tier


@pytest.mark.parametrize("example", load_examples(), ids=lambda e: e.name)
def test_example_on_kind(example: Example, kind_tier: Tier) -> None:
    outcome = next(o for o in kind_tier.outcomes if o.example.example == example.name)
    if outcome.example.result == "skipped":
        pytest.skip(f"{example.name}: {outcome.example.detail}")
    if not outcome.passed:
        pytest.fail(outcome.summary(), pytrace=False)


def test_the_api_server_agrees_with_the_offline_validator(kind_tier: Tier) -> None:
    """Must-fail cases of one object's schema or values are rejected; cross-object ones accepted."""
    found = [f"{f.case}: expected {f.expected}, server: {f.got}" for f in kind_tier.findings]
    assert not found, "the offline validator disagrees with the API server:\n" + "\n".join(found)
