"""The session's cluster handling, on scripted commands: create or reuse, add-ons, verification, delete.

Nothing here talks to Docker: every command goes to a fake that answers like docker, kind
and kubectl would, and records what was run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeClock  # tests/kind/fakes.py

from netdocs import pins
from netdocs.examples import Example, load_examples
from netdocs.kind import limits, preflight
from netdocs.kind.clusterconfig import CONFIG_FILE
from netdocs.kind.commands import CommandFailed, Kubectl, Result
from netdocs.kind.plan import example_plan
from netdocs.kind.tier import CAPABILITIES, VERIFIED, Options, SetupFailed, Tier, skipped

Answer = tuple[int, str, str]


class FakeCommands:
    def __init__(self, answer: Callable[[list[str]], Answer]) -> None:
        self.answer = answer
        self.ran: list[list[str]] = []

    def note(self, text: str) -> None:
        pass

    def run(self, argv: Any, *, check: bool = True, **_: Any) -> Result:
        argv = list(argv)
        self.ran.append(argv)
        code, out, err = self.answer(argv)
        result = Result(tuple(argv), code, out, err, 0.0)
        if check and code:
            raise CommandFailed(result)
        return result

    def find(self, *words: str) -> list[list[str]]:
        return [argv for argv in self.ran if all(word in argv for word in words)]


def make_tier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: Callable[[list[str]], Answer], **options: Any
) -> tuple[Tier, FakeCommands]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    tier = Tier(Options(report=tmp_path / "kind.json", logs=tmp_path / "logs", **options), clock=FakeClock())
    fake = FakeCommands(answer)
    tier.commands = fake  # type: ignore[assignment]
    tier.kubectl = Kubectl(fake, tier.kubeconfig)  # type: ignore[arg-type]
    tier.kind = "/cache/kind"
    tier.state.mkdir(parents=True)
    return tier, fake


def answers(clusters: str = "", image: str = pins.NODE_IMAGE) -> Callable[[list[str]], Answer]:
    def answer(argv: list[str]) -> Answer:
        if argv[1:3] == ["get", "clusters"]:
            return 0, clusters, ""
        if argv[1:3] == ["get", "kubeconfig"]:
            return 0, "apiVersion: v1\nkind: Config\n", ""
        if argv[:2] == ["docker", "inspect"]:
            return 0, image + "\n", ""
        return 0, "", ""

    return answer


def test_a_new_cluster_is_created_from_the_repository_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tier, fake = make_tier(tmp_path, monkeypatch, answers())
    tier._cluster()
    (create,) = fake.find("create", "cluster")
    assert create[create.index("--config") + 1] == str(CONFIG_FILE)
    assert create[create.index("--name") + 1] == "netdocs"
    assert create[create.index("--kubeconfig") + 1] == str(tier.kubeconfig)
    assert "--wait" in create


def test_a_kept_cluster_with_the_pinned_image_is_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tier, fake = make_tier(tmp_path, monkeypatch, answers(clusters="netdocs\nother\n"))
    tier._cluster()
    assert not fake.find("create", "cluster")
    assert not fake.find("delete", "cluster")
    assert tier.kubeconfig.read_text().startswith("apiVersion: v1")


def test_a_kept_cluster_with_another_image_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tier, fake = make_tier(tmp_path, monkeypatch, answers(clusters="netdocs\n", image="kindest/node:v1.34.0"))
    tier._cluster()
    assert fake.find("delete", "cluster", "netdocs")
    assert fake.find("create", "cluster")


def test_the_newest_release_gets_a_fresh_cluster_without_a_pinned_image(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tier, fake = make_tier(tmp_path, monkeypatch, answers(clusters="netdocs\n"), latest=True)
    tier.node_image = None
    tier._cluster()
    assert fake.find("delete", "cluster", "netdocs")
    (create,) = fake.find("create", "cluster")
    config = Path(create[create.index("--config") + 1])
    assert config != CONFIG_FILE
    assert "image:" not in config.read_text()


STANDARD = "kind: CustomResourceDefinition\nmetadata: {name: gateways.gateway.networking.k8s.io}\n"
EXPERIMENTAL = STANDARD + "---\nkind: CustomResourceDefinition\nmetadata: {name: tcproutes.gateway.networking.k8s.io}\n"


def release(url: str) -> bytes:
    return (EXPERIMENTAL if url == pins.GATEWAY_API_EXPERIMENTAL_URL else STANDARD).encode()


def test_add_ons_run_in_order_within_their_lanes_and_a_failure_names_what_it_takes_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preflight, "fetch", release)
    applied: list[str] = []

    def answer(argv: list[str]) -> Answer:
        if argv[:3] == ["docker", "context", "inspect"]:
            return 0, "unix:///var/run/docker.sock\n", ""
        if "list-images" in argv:
            return 1, "", "flag provided but not defined"  # an older provider: tolerated
        if "apply" in argv and argv[-1].endswith(".yaml") and Path(argv[-1]).is_file():
            applied.append(Path(argv[-1]).read_text())
        return 0, "", ""

    tier, fake = make_tier(tmp_path, monkeypatch, answer)
    assert tier._addons("amd64") == {}
    order = [
        i
        for i, argv in enumerate(fake.ran)
        if pins.GATEWAY_API_URL in argv or "--network" in argv or "image-archive" in argv
    ]
    kinds = [
        "crds" if pins.GATEWAY_API_URL in fake.ran[i] else "provider" if "--network" in fake.ran[i] else "load"
        for i in order
    ]
    # the images' lane runs beside the API server's: only the order within a lane is fixed
    assert [k for k in kinds if k != "load"] == ["crds", "provider"]
    assert "load" in kinds
    assert "tcproutes.gateway.networking.k8s.io" in applied[0]  # the rest of the release, before the provider
    assert "gateways.gateway.networking.k8s.io" not in applied[0]

    def broken(argv: list[str]) -> Answer:
        if argv[:3] == ["docker", "context", "inspect"]:
            return 0, "unix:///var/run/docker.sock\n", ""
        if "--network" in argv:
            return 125, "", "docker: Error response from daemon: network kind not found."
        return 0, "", ""

    tier, fake = make_tier(tmp_path / "b", monkeypatch, broken)
    lost = tier._addons("amd64")
    assert set(lost) == {"gateway-api", "ingress", "loadbalancer"}
    assert re.match(r"^add-on cloud-provider-kind: `docker run .*` exited 125: docker: Error response", lost["ingress"])


def test_a_remote_docker_daemon_is_refused_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tier, _ = make_tier(tmp_path, monkeypatch, lambda argv: (0, "tcp://10.0.0.5:2376\n", ""))
    with pytest.raises(SetupFailed, match="cloud-provider-kind needs the daemon's unix socket"):
        tier._addons("amd64")


def crd(name: str, bundle: str, channel: str = "standard") -> dict[str, Any]:
    annotations = {"gateway.networking.k8s.io/bundle-version": bundle, "gateway.networking.k8s.io/channel": channel}
    return {"metadata": {"name": name, "annotations": annotations}, "spec": {"group": "gateway.networking.k8s.io"}}


def cluster_answers(crds: list[dict[str, Any]]) -> Callable[[list[str]], Answer]:
    nodes = {"items": [{"metadata": {"labels": {"topology.kubernetes.io/zone": z}}} for z in ("zone-a", "zone-b")]}
    accepted = {"status": {"conditions": [{"type": "Accepted", "status": "True"}]}}

    def answer(argv: list[str]) -> Answer:
        if "crd" in argv:
            named = [c for c in crds if c["metadata"]["name"] in argv]
            return 0, json.dumps(named[0] if named else {"items": crds}), ""
        if "gatewayclass" in argv:
            return 0, json.dumps(accepted), ""
        if "ingressclass" in argv:
            return 0, "ingressclass.networking.k8s.io/cloud-provider-kind\n", ""
        if "nodes" in argv:
            return 0, json.dumps(nodes), ""
        raise AssertionError(argv)

    return answer


PINNED = [crd(name, pins.GATEWAY_API_VERSION) for name in pins.GATEWAY_API_CRDS]


def test_gateway_api_crds_the_provider_added_from_its_own_release_are_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding 8: every Gateway API CRD must carry the validated bundle-version."""
    added = crd("tcproutes.gateway.networking.k8s.io", "v1.6.1", "experimental")
    tier, _ = make_tier(tmp_path, monkeypatch, cluster_answers([*PINNED, added]))
    tier._verify()
    assert tier.capabilities["gateway-api"] == (
        f"Gateway API CRDs not at the validated {pins.GATEWAY_API_VERSION}: "
        "tcproutes.gateway.networking.k8s.io (v1.6.1)"
    )
    assert tier.capabilities["ingress"] == tier.capabilities["zones"] == VERIFIED


def test_verification_records_capabilities(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rest = crd("tcproutes.gateway.networking.k8s.io", pins.GATEWAY_API_VERSION, "experimental")
    tier, _ = make_tier(tmp_path, monkeypatch, cluster_answers([*PINNED, rest]))
    tier._verify()
    assert tier.capabilities == {"gateway-api": VERIFIED, "ingress": VERIFIED, "zones": VERIFIED}


def test_delete_removes_only_this_clusters_load_balancers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def answer(argv: list[str]) -> Answer:
        if argv[:2] == ["docker", "ps"] and pins.LB_LABELS[0] in " ".join(argv):
            return 0, "kindccm-aaa netdocs/nd-x-1/echo\nkindccm-bbb other/default/web\n", ""
        return 0, "", ""

    tier, fake = make_tier(tmp_path, monkeypatch, answer)
    tier.delete()
    assert fake.find("delete", "cluster", "netdocs")
    assert ["docker", "rm", "--force", "kindccm-aaa"] in fake.ran
    assert not [argv for argv in fake.ran if "kindccm-bbb" in argv]


def demo(tmp_path: Path, name: str, requires: str = "") -> Example:
    folder = tmp_path / name
    folder.mkdir(parents=True)
    (folder / "example.toml").write_text(
        '[title]\nen = "t"\nzh = "t"\n[summary]\nen = "s"\nzh = "s"\n[kind]\ncleanup = ""\n'
        + (f"requires = [{requires}]\n" if requires else "")
        + '[[checks]]\nid = "c"\nfrom = "deploy/client"\ntype = "http"\nurl = "http://echo/"\n'
        + 'says = { en = "e", zh = "z" }\n',
        encoding="utf-8",
    )
    return Example(name, folder)


def test_an_example_needing_a_missing_capability_is_skipped_and_the_others_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding 7: a failed capability probe no longer ends the run for examples that need nothing."""
    tier, fake = make_tier(tmp_path, monkeypatch, answers())
    tier.capabilities = {"gateway-api": "add-on gateway-api-crds: apply failed", "zones": VERIFIED}
    ran: list[str] = []
    monkeypatch.setattr(tier, "_start", lambda example, janitor: ran.append(example.name) or skipped_like(example))
    needs = demo(tmp_path, "needs-gateway", '"gateway-api", "zones"')
    plain = demo(tmp_path, "plain")
    outcomes = tier.run_all([needs, plain])
    assert [name for name in ran if not name.startswith("probe-")] == ["plain"]
    gone = outcomes["needs-gateway"]
    assert (gone.example.result, gone.example.detail) == (
        "skipped",
        "needs gateway-api: add-on gateway-api-crds: apply failed",
    )
    assert [c.result for c in gone.checks] == ["skipped"]
    assert fake.ran == []
    assert {"gateway-api", "ingress", "zones", "loadbalancer", "networkpolicy"} == CAPABILITIES


def skipped_like(example: Example) -> Any:
    return skipped(example, "ran")


def test_examples_touching_shared_state_run_apart_after_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tier, _ = make_tier(tmp_path, monkeypatch, answers(), workers=4)
    ran: list[str] = []
    monkeypatch.setattr(tier, "_start", lambda example, janitor: ran.append(example.name) or skipped_like(example))
    examples = load_examples()
    tier.run_all(examples)
    alone = [e.name for e in examples if example_plan(e).alone]
    assert set(alone) >= {"external-ips", "nodeport"}
    # after every namespaced example; within a batch side by side, so in any order
    assert set(ran[-len(alone) :]) == set(alone)


def test_no_example_starts_when_its_worst_case_does_not_fit_the_runs_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tier, _ = make_tier(tmp_path, monkeypatch, answers(), budget=limits.TEARDOWN + 60.0)
    monkeypatch.setattr(tier, "_start", lambda example, janitor: pytest.fail("started"))
    outcome = tier.run(demo(tmp_path, "plain"))
    assert (outcome.example.result, outcome.example.stage) == ("skipped", "budget")
    assert outcome.example.detail.startswith("not started: the run's budget has 60 s left, its worst case is")


def test_probes_start_first_and_only_the_examples_needing_them_wait_for_their_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tier, _ = make_tier(tmp_path, monkeypatch, answers(), workers=1)  # one worker: the pool's order shows
    started: list[str] = []

    def start(example: Example, janitor: Any) -> Any:
        started.append(example.name)
        return skipped_like(example)  # not a pass: for a probe, its capability is missing

    monkeypatch.setattr(tier, "_start", start)
    plain, policy = demo(tmp_path, "plain"), demo(tmp_path, "policy", '"networkpolicy"')
    outcomes = tier.run_all([policy, plain])
    assert started == ["probe-open", "probe-deny", "plain"]  # "policy" never starts: its probe failed
    assert outcomes["policy"].example.stage == "requires"
    assert outcomes["policy"].example.detail.startswith("needs networkpolicy: the cluster probe failed (NetworkPolicy)")


def test_a_run_out_of_budget_reports_every_example_skipped_never_passed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bound is enforced: nothing starts that could outlast the budget, probes and dry run included,
    and what did not start is reported skipped with the reason, its checks too."""
    tier, fake = make_tier(tmp_path, monkeypatch, answers(), budget=limits.TEARDOWN + 60.0, workers=6)
    monkeypatch.setattr(tier, "_start", lambda example, janitor: pytest.fail(f"{example.name} started"))
    examples = load_examples()
    outcomes = tier.run_all(examples, also=[tier.judge_validator])
    assert set(outcomes) == {e.name for e in examples}
    assert {o.example.result for o in outcomes.values()} == {"skipped"}
    assert {c.result for o in outcomes.values() for c in o.checks} == {"skipped"}
    stages = {o.example.stage for o in outcomes.values()}
    assert stages <= {"budget", "requires"}
    assert "budget" in stages
    # an example that needs a probed capability is skipped because its probe could not start
    netpol = outcomes["netpol-and-or"].example.detail
    assert netpol.startswith("needs networkpolicy: probe probe-deny not started: the run's budget has 60 s left")
    assert tier.addons_note == "not run: the run's budget had no room"
    assert fake.ran == []


def test_setup_stops_when_the_runs_budget_is_spent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tier, _ = make_tier(tmp_path, monkeypatch, answers(), budget=limits.TEARDOWN + 60.0)
    tier.clock.now += 61  # type: ignore[attr-defined]
    with pytest.raises(SetupFailed, match="ran out during setup"):
        tier._cluster()
