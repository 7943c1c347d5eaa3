"""One example's run on kind: namespace, what runs in which order, stages and cleanup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netdocs.check import manifests
from netdocs.check.findings import errors
from netdocs.check.steplints import controls
from netdocs.examples import Example
from netdocs.kind import runner, selftest
from netdocs.kind.retry import SystemClock, Verdict
from netdocs.kind.runner import (
    Access,
    ExampleRun,
    StageFailed,
    applied,
    namespace_manifest,
    namespace_name,
    program_argv,
    programs,
)
from netdocs.kind.waits import WAIT_KINDS

DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")

META = """\
title = {{ en = "t", zh = "t" }}
summary = {{ en = "s", zh = "s" }}

[kind]
{kind}
"""


def make_example(tmp_path: Path, kind: str, files: list[str]) -> Example:
    folder = tmp_path / "demo"
    folder.mkdir()
    for name in files:
        (folder / name).write_text(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n" if name.endswith(".yaml") else ""
        )
    (folder / "example.toml").write_text(META.format(kind=kind))
    return Example("demo", folder)


def test_namespace_names_are_unique_valid_dns_labels() -> None:
    assert namespace_name("clusterip", "1a2b") == "nd-clusterip-1a2b"
    long = namespace_name("a-very-long-example-name-that-goes-on-and-on-and-on-forever-x", "1a2b")
    assert len(long) <= 63
    assert DNS_LABEL.match(long)
    assert long.endswith("-1a2b")


@pytest.mark.parametrize("level", ["restricted", "baseline", "privileged"])
def test_namespace_enforces_the_examples_pod_security_level(level: str) -> None:
    labels = namespace_manifest("nd-x-1a2b", level)["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == level
    assert labels["pod-security.kubernetes.io/warn"] == level
    assert labels["pod-security.kubernetes.io/enforce-version"] == "latest"


def test_steps_run_in_order_then_python_examples_neither_run_nor_excused(tmp_path: Path) -> None:
    example = make_example(
        tmp_path,
        'steps = ["try.sh", "watch.py"]\nmanual = { "node.sh" = { en = "root", zh = "root" }, '
        '"admin.py" = { en = "needs admin", zh = "需要管理员" } }',
        ["try.sh", "node.sh", "cleanup.sh", "watch.py", "list_pods.py", "admin.py", "a.yaml"],
    )
    assert example.plan_problems() == []
    assert [p.name for p in programs(example)] == ["try.sh", "watch.py", "list_pods.py"]


def test_program_argv_stops_shell_steps_at_the_first_failure() -> None:
    assert program_argv(Path("try.sh")) == ["bash", "-eo", "pipefail", "try.sh"]
    assert program_argv(Path("list_pods.py"))[1:] == ["list_pods.py"]


def test_every_manifest_no_step_applies_is_applied_unless_the_plan_names_some(tmp_path: Path) -> None:
    every = make_example(tmp_path, "", ["a.yaml", "b.yaml", "cleanup.sh"])
    assert [p.name for p in applied(every)] == ["a.yaml", "b.yaml"]
    (every.folder / "example.toml").write_text(META.format(kind='apply = ["b.yaml"]'))
    assert [p.name for p in applied(Example("demo", every.folder))] == ["b.yaml"]
    # finding 2: what a step creates is not there before it
    (every.folder / "try.sh").write_text("kubectl apply -f a.yaml\n")
    (every.folder / "example.toml").write_text(META.format(kind='steps = ["try.sh"]'))
    assert [p.name for p in applied(Example("demo", every.folder))] == ["b.yaml"]


def test_plan_names_must_exist(tmp_path: Path) -> None:
    example = make_example(tmp_path, 'steps = ["run.py"]\napply = ["missing.yaml"]\ncleanup = "clean.py"', ["run.py"])
    where = example.folder / "example.toml"
    assert example.plan_problems() == [
        f"{where}: kind plan names clean.py, which is not a shell file here",
        f"{where}: kind.apply names missing.yaml, which is not a manifest (*.yaml) here",
    ]


# --- the cluster's own probe ---------------------------------------------------------------


def test_probe_manifests_are_valid_and_restricted(tmp_path: Path) -> None:
    opened, denied = selftest.examples(tmp_path)
    for example in (opened, denied):
        for path in example.manifests:
            assert not errors(manifests.check_file(path).findings), path
        assert example.meta.kind.pod_security == "restricted"
        assert example.meta.kind.cleanup is None
    for deployment in (o for o in selftest.workload() if o["kind"] == "Deployment"):
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert pod["containers"][0]["securityContext"] == {
            "allowPrivilegeEscalation": False,
            "capabilities": {"drop": ["ALL"]},
        }
    assert [c.id for c in opened.meta.checks] == ["lb-from-outside", "service-by-name"]
    assert [(c.id, c.negative) for c in denied.meta.checks] == [
        ("client-resolves-service", None),
        ("network-policy-blocks", "dropped"),
    ]
    # the runner judges a negative only after a control passed (steplints.controls)
    assert [c.id for c in controls(denied.meta.checks[1], denied.meta.checks)] == ["client-resolves-service"]
    assert {p.name for p in denied.manifests} > {p.name for p in opened.manifests}


# --- stages and cleanup --------------------------------------------------------------------


def run_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail: str | None, keep: bool = False
) -> tuple[list[str], object]:
    example = make_example(tmp_path, "", ["a.yaml", "cleanup.sh"])
    access = Access(kubeconfig=tmp_path / "kc", cluster="netdocs", logs=tmp_path / "logs", clock=SystemClock())
    run = ExampleRun(example, access, keep_failed=keep, token="beef")
    order: list[str] = []
    for stage in ("create_namespace", "apply", "wait", "steps", "settle", "checks", "cleanup", "confirm_gone"):

        def step(name: str = stage) -> None:
            order.append(name)
            if name == fail:
                raise StageFailed(name.replace("_", "-"), f"{name} broke")

        monkeypatch.setattr(run, stage, step)
    return order, run.run()


def test_a_passing_example_runs_every_stage_then_cleans_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    order, outcome = run_with(tmp_path, monkeypatch, fail=None)
    assert order == ["create_namespace", "apply", "wait", "steps", "settle", "checks", "cleanup", "confirm_gone"]
    assert outcome.example.result == "pass"
    assert outcome.example.detail == "namespace nd-demo-beef"


def test_a_failing_stage_stops_the_run_but_not_the_cleanup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    order, outcome = run_with(tmp_path, monkeypatch, fail="steps")
    assert order == ["create_namespace", "apply", "wait", "steps", "cleanup", "confirm_gone"]
    assert (outcome.example.result, outcome.example.stage, outcome.example.detail) == ("fail", "steps", "steps broke")
    assert outcome.summary() == "demo: steps: steps broke"


def test_keep_leaves_a_failed_namespace_for_debugging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    order, outcome = run_with(tmp_path, monkeypatch, fail="checks", keep=True)
    assert "cleanup" not in order
    assert outcome.example.detail == "checks broke (namespace nd-demo-beef kept)"


def test_a_namespace_that_never_goes_fails_an_example_that_otherwise_passed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Confirming the namespace is gone may run off the worker, but it still decides the outcome."""
    _, outcome = run_with(tmp_path, monkeypatch, fail="confirm_gone")
    assert (outcome.example.result, outcome.example.stage) == ("fail", "confirm-gone")


def test_a_deferred_cleanup_runs_only_when_the_tier_finishes_the_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker is free once the checks are done; the cleanup's verdict still decides the outcome."""
    example = make_example(tmp_path, "", ["a.yaml", "cleanup.sh"])
    access = Access(kubeconfig=tmp_path / "kc", cluster="netdocs", logs=tmp_path / "logs", clock=SystemClock())
    run = ExampleRun(example, access, token="beef")
    order: list[str] = []
    for stage in ("create_namespace", "apply", "wait", "steps", "settle", "checks", "cleanup", "confirm_gone"):

        def step(name: str = stage) -> None:
            order.append(name)
            if name == "confirm_gone":
                raise StageFailed("cleanup", "namespace: nd-demo-beef")

        monkeypatch.setattr(run, stage, step)
    provisional = run.run(defer=True)
    assert "cleanup" not in order
    assert provisional.example.result == "pass"
    final = run.finish()
    assert order[-2:] == ["cleanup", "confirm_gone"]
    assert (final.example.result, final.example.stage) == ("fail", "cleanup")


def test_leftovers_fail_an_example_that_otherwise_passed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, outcome = run_with(tmp_path, monkeypatch, fail="cleanup")
    assert (outcome.example.result, outcome.example.stage) == ("fail", "cleanup")


def test_every_wait_kind_has_one_way_to_be_waited_for(tmp_path: Path) -> None:
    example = make_example(tmp_path, "", ["a.yaml", "cleanup.sh"])
    access = Access(kubeconfig=tmp_path / "kc", cluster="netdocs", logs=tmp_path / "logs", clock=SystemClock())
    assert tuple(ExampleRun(example, access)._waits()) == WAIT_KINDS


CHECKS = """
[[checks]]
id = "blocked"
from = "deploy/other"
type = "http"
url = "http://echo/"
expect = "dropped"
says = { en = "e", zh = "z" }

[[checks]]
id = "open"
from = "deploy/client"
type = "http"
url = "http://echo/"
says = { en = "e", zh = "z" }
"""


@pytest.mark.parametrize("control_passes", [True, False])
def test_a_negative_is_judged_only_after_its_control_proved_the_path_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, control_passes: bool
) -> None:
    example = make_example(tmp_path, "", ["a.yaml"])
    (example.folder / "example.toml").write_text(META.format(kind="") + CHECKS)
    example = Example("demo", example.folder)
    access = Access(kubeconfig=tmp_path / "kc", cluster="netdocs", logs=tmp_path / "logs", clock=SystemClock())
    judged: list[str] = []

    def fake_run_check(check: object, ctx: object) -> Verdict:
        judged.append(check.id)  # type: ignore[attr-defined]
        return Verdict(check.id == "blocked" or control_passes, 1, 0.1, "seen")  # type: ignore[attr-defined]

    monkeypatch.setattr(runner, "run_check", fake_run_check)
    run = ExampleRun(example, access)
    if control_passes:
        run.checks()
        assert judged == ["open", "blocked"]  # the positive control first
    else:
        with pytest.raises(StageFailed, match="2 of 2 checks failed: blocked, open"):
            run.checks()
        assert judged == ["open"]
        assert run.results["blocked"].detail == "not judged: no control passed (open), so the path is not proven open"
