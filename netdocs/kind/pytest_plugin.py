"""pytest plugin of the kind tier (``nox -s kind`` loads it with ``-p``).

Options: ``--keep`` keeps the cluster (and a failed example's namespace) for debugging;
``--latest`` uses the newest kind release and its default node image (the weekly run);
``--workers N`` runs N examples at once (each in its own namespace); ``--budget MIN`` starts
no example whose worst case no longer fits; ``--report``/``--logs`` say where the JSON report
and the logs go. ``-k NAME`` selects examples as usual.

All the work happens in one session fixture: setup, then every selected example, then the
report; each test only reads its example's outcome. Whatever happens after the cluster is
created (a failure, or a bug in the tier), the logs are exported on failure and the cluster is
deleted unless ``--keep``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netdocs import pins
from netdocs.examples import Example
from netdocs.kind import plan
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
    group.addoption("--workers", default=plan.DEFAULT_WORKERS, type=int, help="examples at once (default %(default)s)")
    group.addoption("--budget", default=None, type=float, help="minutes: start no example that would not fit")


def _selected(session: pytest.Session) -> list[Example]:
    found = []
    for item in session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if isinstance(params.get("example"), Example):
            found.append(params["example"])
    return found


@pytest.fixture(scope="session")
def kind_tier(request: pytest.FixtureRequest) -> Tier:
    config = request.config
    budget = config.getoption("--budget")
    options = Options(
        report=config.getoption("--report"),
        logs=config.getoption("--logs"),
        name=config.getoption("--cluster-name"),
        keep=config.getoption("--keep"),
        latest=config.getoption("--latest"),
        workers=config.getoption("--workers"),
        budget=budget * 60 if budget else None,
    )
    tier = Tier(options)
    if problem := run_session(tier, _selected(request.session)):
        pytest.exit(f"kind tier: {problem}", returncode=1)
    return tier


def run_session(tier: Tier, selected: list[Example]) -> str | None:
    """Setup, the validator's judge, the examples, the report; then logs and deletion, whatever happened.

    Returns the one line that ends the session, or ``None``."""
    options = tier.options
    problem: str | None = None
    try:
        tier.setup()
        tier.run_all(selected, also=[tier.judge_validator])
        write(tier.report(), options.report)
    except (SetupFailed, PreflightError) as exc:
        problem = str(exc)
    except Exception as exc:  # a bug in the tier must still export the logs and delete the cluster
        problem = f"unexpected {type(exc).__name__}: {exc} (logs in {options.logs})"
    finally:
        if tier.created:
            if problem or any(o.example.result == "fail" for o in tier.outcomes):
                tier.export_logs()
            if not options.keep:
                tier.delete()
    return problem
