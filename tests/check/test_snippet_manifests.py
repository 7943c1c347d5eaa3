"""Every example passes the offline checks as one unit, so cross-object rules see all its objects."""

from __future__ import annotations

import pytest

from netdocs.check import breaks, validate
from netdocs.check.findings import Severity, errors
from netdocs.check.manifests import version_range
from netdocs.examples import Example, load_examples
from netdocs.paths import display

EXAMPLES = load_examples()
SITE_MINORS = {"1.35", "1.36", "1.37"}  # the site is written for these; every example must apply to all


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_example_passes_offline_checks(example: Example) -> None:
    bad = errors(validate.run([example.folder]).findings)
    assert not bad, "\n".join(map(str, bad))


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.manifests], ids=lambda e: e.name)
def test_example_is_valid_for_the_sites_minors(example: Example) -> None:
    minors = validate.run(example.manifests).ranges[display(example.folder)]
    assert minors >= SITE_MINORS, f"{display(example.folder)}: valid only for Kubernetes {version_range(minors)}"


def test_every_deliberate_break_fires() -> None:
    """An example that breaks a rule to teach it must really break it, and only as a warning."""
    problems = []
    for example in EXAMPLES:
        if not breaks.declared(example.folder):  # an unreadable example.toml fails test_inventory
            continue
        findings = validate.run([example.folder]).findings
        problems += map(str, breaks.unused(example.folder, findings))
        problems += [
            f"{f}: a deliberate break must be reported as a warning with its reason"
            for f in findings
            if "broken on purpose" in f.message and f.severity is not Severity.WARNING
        ]
    assert not problems, "\n".join(problems)
