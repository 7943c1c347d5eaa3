"""`nox -s kind -- --plan`: each example's calls and waits with their limits, and a budget the run keeps."""

from __future__ import annotations

import inspect
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from netdocs.examples import load_examples
from netdocs.kind import __main__, addons, limits, plan, preflight, probes, selftest
from netdocs.kind.runner import step_limit

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


def test_what_shared_examples_claim_is_read_from_their_manifests() -> None:
    assert plan.claims(EXAMPLES["nodeport"]).keys() == {"node port 30036"}
    assert {"node port 18080", "node port 18081"} <= plan.claims(EXAMPLES["node-ports"]).keys()
    assert plan.claims(EXAMPLES["egress-snat"]).keys() == {"node port 18082"}  # its --port= argument
    assert plan.EXCLUSIVE in plan.claims(EXAMPLES["external-ips"])


def test_a_cluster_scoped_object_runs_alone_and_disjoint_claims_share_a_batch() -> None:
    shared = [plan.example_plan(e) for e in EXAMPLES.values() if plan.cluster_wide(e)]
    batches = [{p.name for p in batch} for batch in plan.apart(shared, CI_WORKERS)]
    assert {"external-ips"} in batches
    assert {"egress-snat", "node-ports", "nodeport"} in batches
    # the same node port twice: never side by side
    one = plan.ExamplePlan("a", [], "x", claims=frozenset({"node port 30036"}))
    two = plan.ExamplePlan("b", [], "y", claims=frozenset({"node port 30036"}))
    three = plan.ExamplePlan("c", [], "z", claims=frozenset({"node port 30037"}))
    assert [[p.name for p in b] for b in plan.apart([one, two, three], 4)] == [["a", "c"], ["b"]]
    assert [[p.name for p in b] for b in plan.apart([one, three], 1)] == [["a"], ["c"]]


def test_namespaced_examples_run_concurrently() -> None:
    assert plan.cluster_wide(EXAMPLES["clusterip"]) is None
    assert plan.cluster_wide(EXAMPLES["netpol-and-or"]) is None


def test_an_examples_plan_lists_its_waits_steps_and_checks_within_its_deadline() -> None:
    found = plan.example_plan(EXAMPLES["service-env"])
    whats = [item.what for item in found.items]
    assert any(w.startswith("step try.sh (waits; ") for w in whats)  # it runs `kubectl rollout status`
    assert not [w for w in whats if w.startswith("apply")]  # service-env applies nothing before its steps
    checks = [line for item in found.items for line in item.detail]
    assert any("check dns-without-links (http from deploy/client-no-links)" in line for line in checks)
    # the deadline is the stages' limits added up: no cap hides a stage
    assert found.deadline == sum(item.seconds for item in found.items)
    assert found.worst == found.deadline + found.cleanup


def test_a_steps_limit_follows_its_calls_timeouts_and_waits(tmp_path: Path) -> None:
    waits, calls = tmp_path / "try.sh", tmp_path / "look.sh"
    waits.write_text(
        "# kubectl in a comment is no call\nkubectl apply -f a.yaml\n"
        "kubectl rollout status deployment/echo --timeout=120s\n"
        "kubectl exec deploy/client -- curl -sS --max-time 5 http://echo/\n"
    )
    calls.write_text("kubectl get service echo\n")
    how, limit = step_limit(waits)
    assert how == "waits; 4 calls, 5 s of --max-time"
    base, call = limits.STEP_BASE.seconds, limits.STEP_CALL.seconds
    assert limit.seconds == base + 4 * call + 5 + limits.WAIT.seconds
    assert limit.typical == limits.STEP_BASE.typical + 4 * limits.STEP_CALL.typical + limits.WAIT.typical
    assert step_limit(calls)[1].seconds == base + call
    # a retry loop for something quick is calls, not a convergence window
    quick = tmp_path / "protect.sh"
    quick.write_text("for _ in $(seq 1 20); do kubectl apply --dry-run=server -f r.yaml && sleep 1; done\n")
    assert step_limit(quick)[0] == "1 calls"


def test_checks_run_side_by_side_so_the_slowest_check_sets_the_stage() -> None:
    found = plan.example_plan(EXAMPLES["dns"])
    stage = next(item for item in found.items if "positive check(s)" in item.what)
    each = [plan.check_limit(c)[1] for c in EXAMPLES["dns"].meta.checks if not c.negative]
    assert len(each) <= limits.CHECKS_AT_ONCE
    assert stage.seconds == max(each) < sum(each)


def test_a_negative_checks_limit_follows_its_policy_and_round() -> None:
    check = next(c for c in EXAMPLES["ports"].meta.checks if c.negative == "dropped")
    _, seconds, typical = plan.check_limit(check)
    calls = 3
    round_worst = limits.EXEC.seconds + calls * (probes.CONNECT_TIMEOUT + 1)
    assert seconds == limits.CHECK_RESOLVE.seconds + limits.BLOCKED.timeout + round_worst
    # a drop always waits out the connect timeout, typical or not
    assert typical == limits.CHECK_RESOLVE.typical + limits.EXEC.typical + calls * probes.CONNECT_TIMEOUT


def test_every_limit_carries_its_reason_and_a_typical_below_it() -> None:
    found = [value for value in vars(limits).values() if isinstance(value, limits.Limit)]
    assert len(found) > 20
    for limit in found:
        assert limit.why, limit
        assert limit.basis, limit
        assert 0 <= limit.typical <= limit.seconds, limit


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
    typical = next(line for line in lines if line.startswith("typical: "))
    assert "an estimate" in typical
    assert "not a measurement" in typical


def ci_numbers() -> tuple[plan.Budget, plan.Budget]:
    plans = [plan.example_plan(e) for e in EXAMPLES.values()]
    probes = [plan.example_plan(e) for e in selftest.examples(Path(tempfile.mkdtemp()))]
    setup = plan.setup_items(addons_plan())
    every = plan.budget(plans, probes, setup, CI_WORKERS, cap_minutes=CI_BUDGET)
    return every, plan.budget(plans, probes, setup, CI_WORKERS, typical=True)


def addons_plan() -> list[Any]:
    folder = Path(tempfile.mkdtemp())
    return addons.install_plan(
        cluster="netdocs",
        kubectl=("kubectl",),
        kind="kind",
        images=addons.images_to_preload(p for e in EXAMPLES.values() for p in e.manifests),
        socket="/var/run/docker.sock",
        arch="amd64",
        archives=folder,
        rest_of_gateway_api=folder / "rest.yaml",
    )


def test_the_printed_numbers_follow_from_the_limits() -> None:
    every, typical = ci_numbers()
    text = __main__.run_plan(CI_WORKERS, "", CI_BUDGET)
    assert f"= {math.ceil(every.every_limit / 60)} min\n" in text
    assert f"typical: about {math.ceil(typical.every_limit / 60)} min " in text
    # setup: the cluster, the longest add-on lane, verification
    lanes: dict[str, float] = {}
    for stage in addons_plan():
        lanes[stage.lane] = lanes.get(stage.lane, 0) + stage.worst
    envoy = limits.LIST_IMAGES.seconds + limits.PULL.seconds
    before = limits.PREFLIGHT.seconds + limits.FETCH.seconds  # preflight, the kind binary
    create = max(limits.CREATE_CLUSTER.seconds + limits.QUERIES.seconds, 2 * limits.FETCH.seconds)
    assert every.setup == before + create + max([*lanes.values(), envoy]) + limits.VERIFY.seconds
    assert typical.every_limit < every.every_limit


def test_the_preflight_limit_counts_every_query_it_makes() -> None:
    """PREFLIGHT is `docker version` plus gather's queries at KUBECTL each: a new query must raise it."""
    queries = 1 + inspect.getsource(preflight.gather).count("_run(")
    assert queries == limits.PREFLIGHT_QUERIES, "netdocs/kind/limits.py: PREFLIGHT_QUERIES is out of date"


def test_the_typical_line_says_why_when_it_is_above_ten_minutes() -> None:
    plans = [plan.example_plan(e) for e in EXAMPLES.values()]
    slow = [plan.Item("setup", 20 * 60, 15 * 60)]
    text = plan.render(plans, [], slow, CI_WORKERS)
    line = next(line for line in text.splitlines() if line.startswith("typical: "))
    assert "above 10 min because of setup (mostly kind create cluster) 15.0 min" in line


def test_an_example_waiting_for_a_probe_starts_after_it() -> None:
    jobs = [plan.Job("probe-open", 100), plan.Job("needs-lb", 10, ("probe-open",)), plan.Job("free", 10)]
    # two workers: the probe on one; the waiting example holds the other until the probe is done (100 s),
    # so the free example starts only when a worker is free again
    assert plan.schedule(jobs, 2) == (110, 110)
    assert plan.schedule(jobs[:2], 2) == (110, 110)
    assert plan.schedule([plan.Job("a", 10, tail=60), plan.Job("b", 30)], 1) == (40, 70)


def test_without_a_budget_the_bound_is_every_limit_hit() -> None:
    one = plan.example_plan(EXAMPLES["clusterip"])
    setup = [plan.Item("setup", 60)]
    text = plan.render([one], [], setup, 1)
    # one worker: the validator's server-side judge, then the example; its namespace's deletion after
    dry = limits.SERVER_DRY_RUN.seconds + 2 * limits.KUBECTL.seconds  # and its namespace, made and deleted
    every = 60 + max(dry + one.worst, dry + one.settled)
    every += limits.TEARDOWN
    assert text.splitlines()[-1] == f"budget: {math.ceil(every / 60)} min"
