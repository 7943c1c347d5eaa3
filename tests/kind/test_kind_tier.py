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

from netdocs import pins
from netdocs.kind import preflight
from netdocs.kind.clusterconfig import CONFIG_FILE
from netdocs.kind.commands import CommandFailed, Kubectl, Result
from netdocs.kind.preflight import Facts
from netdocs.kind.tier import CAPABILITIES, Options, SetupFailed, Tier

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
    tier = Tier(Options(report=tmp_path / "kind.json", logs=tmp_path / "logs", **options))
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


def test_add_ons_run_in_order_and_a_failure_names_the_add_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def answer(argv: list[str]) -> Answer:
        if argv[:3] == ["docker", "context", "inspect"]:
            return 0, "unix:///var/run/docker.sock\n", ""
        if "list-images" in argv:
            return 1, "", "flag provided but not defined"  # an older provider: tolerated
        return 0, "", ""

    tier, fake = make_tier(tmp_path, monkeypatch, answer)
    tier._addons("amd64")
    order = [
        i
        for i, argv in enumerate(fake.ran)
        if pins.GATEWAY_API_URL in argv or "--network" in argv or "image-archive" in argv
    ]
    kinds = [
        "crds" if pins.GATEWAY_API_URL in fake.ran[i] else "provider" if "--network" in fake.ran[i] else "load"
        for i in order
    ]
    assert kinds[:2] == ["crds", "provider"]
    assert set(kinds[2:]) == {"load"}

    def broken(argv: list[str]) -> Answer:
        if argv[:3] == ["docker", "context", "inspect"]:
            return 0, "unix:///var/run/docker.sock\n", ""
        if "--network" in argv:
            return 125, "", "docker: Error response from daemon: network kind not found."
        return 0, "", ""

    tier, fake = make_tier(tmp_path / "b", monkeypatch, broken)
    with pytest.raises(
        SetupFailed, match=r"^add-on cloud-provider-kind: `docker run .*` exited 125: docker: Error response"
    ):
        tier._addons("amd64")


def test_a_remote_docker_daemon_is_refused_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tier, _ = make_tier(tmp_path, monkeypatch, lambda argv: (0, "tcp://10.0.0.5:2376\n", ""))
    with pytest.raises(SetupFailed, match="cloud-provider-kind needs the daemon's unix socket"):
        tier._addons("amd64")


def crd(bundle: str) -> str:
    annotations = {"gateway.networking.k8s.io/bundle-version": bundle, "gateway.networking.k8s.io/channel": "standard"}
    return json.dumps({"metadata": {"annotations": annotations}})


def test_verification_refuses_other_gateway_api_crds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tier, _ = make_tier(tmp_path, monkeypatch, lambda argv: (0, crd("v1.2.0"), ""))
    expected = re.escape(f"is Gateway API v1.2.0 (standard), expected {pins.GATEWAY_API_VERSION}")
    with pytest.raises(SetupFailed, match=expected):
        tier._verify()


def test_verification_records_capabilities(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nodes = {"items": [{"metadata": {"labels": {"topology.kubernetes.io/zone": z}}} for z in ("zone-a", "zone-b")]}
    accepted = {"status": {"conditions": [{"type": "Accepted", "status": "True"}]}}

    def answer(argv: list[str]) -> Answer:
        if "crd" in argv:
            return 0, crd(pins.GATEWAY_API_VERSION), ""
        if "gatewayclass" in argv:
            return 0, json.dumps(accepted), ""
        if "ingressclass" in argv:
            return 0, "ingressclass.networking.k8s.io/cloud-provider-kind\n", ""
        if "nodes" in argv:
            return 0, json.dumps(nodes), ""
        raise AssertionError(argv)

    tier, _ = make_tier(tmp_path, monkeypatch, answer)
    tier._verify()
    assert tier.capabilities == {"gateway-api", "ingress", "zones"}


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


def test_setup_refuses_a_cluster_missing_a_capability(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tier, _ = make_tier(tmp_path, monkeypatch, answers())
    monkeypatch.setattr(preflight, "gather", lambda: Facts(host_os="linux", arch="amd64"))
    monkeypatch.setattr(preflight, "problems", lambda facts: [])
    monkeypatch.setattr(preflight, "ensure_kind", lambda *args, **kw: "/cache/kind")
    for step in ("_cluster", "_addons", "_probe"):
        monkeypatch.setattr(tier, step, lambda *args: None)
    monkeypatch.setattr(tier, "_verify", lambda: tier.capabilities.update({"gateway-api", "ingress", "zones"}))
    with pytest.raises(SetupFailed, match=r"^the cluster does not provide loadbalancer, networkpolicy$"):
        tier.setup()
    assert {"gateway-api", "ingress", "zones", "loadbalancer", "networkpolicy"} == CAPABILITIES
