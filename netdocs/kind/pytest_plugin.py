"""pytest plugin of the kind tier (``nox -s kind`` loads it with ``-p``).

Options: ``--keep`` keeps the cluster (and a failed example's namespace) for debugging;
``--latest`` uses the newest kind release and its default node image (the weekly run);
``--report``/``--logs`` say where the JSON report and the logs go. ``-k NAME`` selects
examples as usual. On any failure, kind's and cloud-provider-kind's logs are exported.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from netdocs import pins
from netdocs.kind.commands import CommandFailed
from netdocs.kind.preflight import PreflightError
from netdocs.kind.report import write
from netdocs.kind.tier import Options, SetupFailed, Tier


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kind", "the kind tier")
    group.addoption("--keep", action="store_true", help="keep the cluster, and failed examples' namespaces")
    group.addoption("--latest", action="store_true", help="newest kind release with its default node image")
    group.addoption("--report", default="reports/kind.json", type=Path, help="JSON report (default %(default)s)")
    group.addoption("--logs", default="reports/kind-logs", type=Path, help="logs folder (default %(default)s)")
    group.addoption("--cluster-name", default=pins.CLUSTER_NAME, help="kind cluster name (default %(default)s)")


@pytest.fixture(scope="session")
def kind_tier(request: pytest.FixtureRequest) -> Iterator[Tier]:
    config = request.config
    options = Options(
        report=config.getoption("--report"),
        logs=config.getoption("--logs"),
        name=config.getoption("--cluster-name"),
        keep=config.getoption("--keep"),
        latest=config.getoption("--latest"),
    )
    tier = Tier(options)
    try:
        tier.setup()
    except (SetupFailed, PreflightError, CommandFailed) as exc:
        if tier.created:
            tier.export_logs()
            if not options.keep:
                tier.delete()
        pytest.exit(f"kind tier: {exc}", returncode=1)
    yield tier
    failed = request.session.testsfailed > 0
    try:
        write(tier.report(), options.report)
    finally:
        if failed:
            tier.export_logs()
        if not options.keep:
            tier.delete()
