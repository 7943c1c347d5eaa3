"""`nox -s kind -- --plan`: each example's calls and waits with their limits, and a budget the run keeps."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from netdocs.examples import Example, load_examples
from netdocs.kind import limits, plan

EXAMPLES = {e.name: e for e in load_examples()}
CI_WORKERS = 6  # .github/workflows/kind.yml
CI_BUDGET = limits.BUDGET_MINUTES


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("external-ips", "ValidatingAdmissionPolicy service-external-ips is cluster-scoped"),
        ("nodeport", "asks for nodePort 30036, which the whole cluster shares"),
        ("node-ports", "uses the nodes' own network (hostNetwork)"),
    ],
)
def test_examples_touching_cluster_wide_state_are_marked(name: str, why: str) -> None:
    found = plan.cluster_wide(EXAMPLES[name])
    assert found is not None
    assert why in found


def test_namespaced_examples_run_concurrently() -> None:
    assert plan.cluster_wide(EXAMPLES["clusterip"]) is None
    assert plan.cluster_wide(EXAMPLES["netpol-and-or"]) is None


def test_an_examples_plan_lists_its_waits_steps_and_checks_within_its_deadline() -> None:
    found = plan.example_plan(EXAMPLES["service-env"])
    whats = [item.what for item in found.items]
    assert "step try.sh" in whats
    assert "step no-links.sh" in whats
    assert not [w for w in whats if w.startswith("apply")]  # service-env applies nothing before its steps
    assert any(w.startswith("check dns-without-links (http from deploy/client-no-links)") for w in whats)
    assert found.deadline == min(found.limits_sum, limits.EXAMPLE_CAP)
    assert found.worst == found.deadline + limits.CLEANUP


def test_longest_first_onto_the_least_loaded_worker() -> None:
    """As the run's pool does it: the longest waiting example goes to the first free worker."""
    assert plan.makespan([3, 3, 2, 2, 2], 2) == 7
    assert plan.makespan([5, 1, 1], 4) == 5
    assert plan.makespan([], 3) == 0


def run_plan(*args: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "netdocs.kind", "plan", *args], capture_output=True, text=True, env=env, check=False
    )


def test_the_plan_runs_without_docker_and_ends_with_the_budget(tmp_path: Path) -> None:
    done = run_plan("--workers", str(CI_WORKERS), "--budget", str(CI_BUDGET), path=str(tmp_path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == f"budget: {CI_BUDGET} min"
    for name in EXAMPLES:
        assert any(line.startswith(f"{name}: worst ") for line in lines), name
    assert any(line.startswith("every limit hit: ") for line in lines)


def test_without_a_budget_the_bound_is_every_limit_hit() -> None:
    examples: list[Example] = [EXAMPLES["clusterip"]]
    text = plan.render([plan.example_plan(e) for e in examples], [plan.Item("setup", 60)], 1)
    worst = plan.example_plan(EXAMPLES["clusterip"]).worst
    # one worker: the example after the validator's server-side judge, which shares the pool
    every = 60 + limits.SERVER_DRY_RUN + worst + limits.TEARDOWN
    assert text.splitlines()[-1] == f"budget: {-(-every // 60):.0f} min"
