"""The real-cluster tier: every example applied to kind, its steps run, its checks proven.

Not collected by the offline suite (the file name does not start with ``test_``); run it
with ``nox -s kind``, which loads ``netdocs.kind.pytest_plugin`` for the cluster fixture. The
fixture runs every selected example (concurrently); each test reports its example's outcome.
"""

from __future__ import annotations

import pytest

from netdocs.examples import Example, load_examples
from netdocs.kind.runner import Outcome


@pytest.mark.parametrize("example", load_examples(), ids=lambda e: e.name)
def test_example_on_kind(example: Example, kind_outcomes: dict[str, Outcome]) -> None:
    outcome = kind_outcomes[example.name]
    if outcome.example.result == "skipped":
        pytest.skip(f"{example.name}: {outcome.example.detail}")
    if not outcome.passed:
        pytest.fail(outcome.summary(), pytrace=False)
