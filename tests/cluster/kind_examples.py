"""The real-cluster tier: every example applied to kind, its steps run, its checks proven.

Not collected by the offline suite (the file name does not start with ``test_``); run it
with ``nox -s kind``, which loads ``netdocs.kind.pytest_plugin`` for the cluster fixture.
"""

from __future__ import annotations

import pytest

from netdocs.examples import Example, load_examples
from netdocs.kind.tier import Tier


@pytest.mark.parametrize("example", load_examples(), ids=lambda e: e.name)
def test_example_on_kind(example: Example, kind_tier: Tier) -> None:
    outcome = kind_tier.run(example)
    if not outcome.passed:
        pytest.fail(outcome.summary(), pytrace=False)
