"""Before a cluster: what this machine lacks, in one line each; kind installed only if its SHA-256 matches."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from netdocs import pins
from netdocs.kind.docker import docker_problem
from netdocs.kind.preflight import Facts, PreflightError, ensure_kind, latest_kind_version, other_providers, problems
from netdocs.paths import ROOT


def healthy(**changes: object) -> Facts:
    facts = Facts(
        host_os="linux",
        arch="amd64",
        docker=None,
        docker_version="29.1.3",
        docker_api=(1, 52),
        docker_os="linux",
        cgroup_version="2",
        inotify={"max_user_watches": 524288, "max_user_instances": 8192},
        kubectl_version=pins.KUBECTL_VERSION,
        curl=True,
    )
    for key, value in changes.items():
        setattr(facts, key, value)
    return facts


def test_a_ready_machine_has_no_problems() -> None:
    assert problems(healthy()) == []


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        (
            {"docker_api": (1, 47), "docker_version": "27.5.1"},
            "Docker Engine 27.5.1 speaks API (1, 47); the kind tier needs API 1.48",
        ),
        ({"docker_os": "windows"}, "the Docker daemon runs windows containers"),
        ({"cgroup_version": "1"}, "Docker uses cgroup v1; Kubernetes 1.35+ node images need cgroup v2"),
        (
            {"inotify": {"max_user_watches": 8192, "max_user_instances": 512}},
            "fs.inotify.max_user_watches is 8192, kind needs at least 524288",
        ),
        (
            {"inotify": {"max_user_watches": 524288, "max_user_instances": 128}},
            "sudo sysctl -w fs.inotify.max_user_instances=512",
        ),
        ({"kubectl_version": "v1.34.0"}, "found v1.34.0 beside this Python, the kind tier pins kubectl v1.37.1"),
        ({"kubectl_version": None}, "found no kubectl beside this Python"),
        ({"curl": False}, "curl not found"),
    ],
)
def test_each_problem_is_one_line_with_its_fix(changes: dict[str, object], says: str) -> None:
    found = problems(healthy(**changes))
    assert len(found) == 1
    assert says in found[0]
    assert "\n" not in found[0]


def test_without_docker_nothing_else_is_judged() -> None:
    line = "the kind tier needs Docker, and no `docker` command was found: ..."
    assert problems(healthy(docker=line, docker_api=None, cgroup_version="")) == [line]


def test_only_linux_hosts_reach_node_and_load_balancer_addresses() -> None:
    (line,) = problems(healthy(host_os="darwin"))
    assert line.startswith("the kind tier runs on Linux: on darwin the kind nodes and LoadBalancer addresses")


# --- no Docker: one clear line ------------------------------------------------------------


def completed(code: int, out: str = "", err: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.CompletedProcess(["docker"], code, out, err)


def test_no_docker_command() -> None:
    line = docker_problem(which=lambda _: None, run=lambda _: completed(0))
    assert line == (
        "the kind tier needs Docker, and no `docker` command was found: install Docker Engine "
        "(https://docs.docker.com/engine/install/), start it, then run `nox -s kind` again"
    )


def test_docker_daemon_down() -> None:
    said = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"
    line = docker_problem(which=lambda _: "/usr/bin/docker", run=lambda _: completed(1, "", f"Client: ...\n{said}\n"))
    assert line is not None
    assert line.startswith(f"the Docker daemon is not reachable ({said}): start it")
    assert "\n" not in line


def test_docker_daemon_up() -> None:
    assert docker_problem(which=lambda _: "/usr/bin/docker", run=lambda _: completed(0, "29.1.3\n")) is None


def test_nox_kind_without_docker_fails_in_one_line(tmp_path: Path) -> None:
    """What `nox -s kind` runs first (noxfile.py loads this module by path), on a PATH without docker."""
    env = {**os.environ, "PATH": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, str(ROOT / "netdocs" / "kind" / "docker.py")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("nox -s kind: the kind tier needs Docker, and no `docker` command was found")


# --- kind, checked against its pinned SHA-256 ----------------------------------------------

KIND_BYTES = b"\x7fELF pretend kind binary"


def pinned(monkeypatch: pytest.MonkeyPatch, data: bytes = KIND_BYTES) -> None:
    monkeypatch.setitem(pins.KIND_SHA256, ("linux", "amd64"), hashlib.sha256(data).hexdigest())


def never(_: Sequence[str]) -> subprocess.CompletedProcess[str]:
    raise AssertionError("no kind on PATH, nothing to run")


def test_kind_is_downloaded_and_verified(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pinned(monkeypatch)
    urls: list[str] = []

    def get(url: str) -> bytes:
        urls.append(url)
        return KIND_BYTES

    path = ensure_kind(pins.KIND_VERSION, tmp_path, "linux", "amd64", get=get, which=lambda _: None, run=never)
    assert urls == ["https://github.com/kubernetes-sigs/kind/releases/download/v0.33.0/kind-linux-amd64"]
    assert Path(path).read_bytes() == KIND_BYTES
    assert os.access(path, os.X_OK)
    # a second run uses the verified cache
    again = ensure_kind(
        pins.KIND_VERSION, tmp_path, "linux", "amd64", get=lambda _: b"", which=lambda _: None, run=never
    )
    assert again == path


def test_a_tampered_download_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pinned(monkeypatch)
    with pytest.raises(PreflightError, match=r"has SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}: not installing it"):
        ensure_kind(
            pins.KIND_VERSION, tmp_path, "linux", "amd64", get=lambda _: b"evil", which=lambda _: None, run=never
        )
    assert list(tmp_path.iterdir()) == []


def test_kind_on_path_at_the_pinned_version_is_used(tmp_path: Path) -> None:
    def run(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        return completed(0, "kind v0.33.0 go1.26.3 linux/amd64\n")

    found = ensure_kind(
        pins.KIND_VERSION, tmp_path, "linux", "amd64", get=lambda _: b"", which=lambda _: "/usr/local/bin/kind", run=run
    )
    assert found == "/usr/local/bin/kind"


def test_kind_on_path_at_another_version_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pinned(monkeypatch)

    def run(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        return completed(0, "kind v0.29.0 go1.24.2 linux/amd64\n")

    found = ensure_kind(
        pins.KIND_VERSION,
        tmp_path,
        "linux",
        "amd64",
        get=lambda _: KIND_BYTES,
        which=lambda _: "/usr/bin/kind",
        run=run,
    )
    assert found == str(tmp_path / "kind-v0.33.0-linux-amd64")


def test_a_newer_release_is_checked_against_its_published_checksum(tmp_path: Path) -> None:
    digest = hashlib.sha256(KIND_BYTES).hexdigest()
    url = "https://github.com/kubernetes-sigs/kind/releases/download/v0.34.0/kind-linux-arm64"
    files = {url: KIND_BYTES, f"{url}.sha256sum": f"{digest}  kind-linux-arm64\n".encode()}
    path = ensure_kind("v0.34.0", tmp_path, "linux", "arm64", get=files.__getitem__, which=lambda _: None, run=never)
    assert Path(path).read_bytes() == KIND_BYTES


def test_a_platform_kind_does_not_publish_is_one_line() -> None:
    with pytest.raises(PreflightError, match=r"kind v0\.33\.0 publishes no binary for linux/s390x"):
        ensure_kind(
            pins.KIND_VERSION,
            Path("/nonexistent"),
            "linux",
            "s390x",
            get=lambda _: b"",
            which=lambda _: None,
            run=never,
        )


# --- laptop hosts (finding 10) and the weekly run's GitHub API call (finding 9) -------------


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"wsl": True}, "this is WSL2, where cloud-provider-kind tunnels load balancers"),
        ({"rootless": True}, "Docker runs rootless: the kind nodes' and load balancers' container addresses"),
        (
            {"other_providers": ["container ccm-dev"]},
            "another cloud-provider-kind is running (container ccm-dev); it has no leader election",
        ),
    ],
)
def test_laptop_hosts_the_tier_cannot_use_are_refused_with_the_reason(changes: dict[str, object], says: str) -> None:
    found = problems(healthy(**changes))
    assert len(found) == 1
    assert says in found[0]
    assert "\n" not in found[0]


def test_another_cloud_provider_kind_is_found_as_a_container_or_a_process() -> None:
    containers = (
        f"{pins.CLOUD_PROVIDER_KIND_CONTAINER} {pins.CLOUD_PROVIDER_KIND_IMAGE}\n"
        "ccm-dev registry.k8s.io/cloud-provider-kind/cloud-controller-manager:v0.10.0\n"
        "netdocs-control-plane kindest/node:v1.37.0\n"
    )
    processes = ["bash (pid 12)", "cloud-provider- (pid 4242)", "cloud-provider- (pid 77)"]
    found = other_providers(containers, processes, own_pid="77")
    assert found == ["container ccm-dev", "process cloud-provider- (pid 4242)"]


def test_github_api_errors_are_one_line_and_use_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import urllib.error
    import urllib.request

    seen: list[dict[str, str]] = []

    def refuse(request: urllib.request.Request, timeout: float) -> object:
        seen.append(dict(request.header_items()))
        raise urllib.error.HTTPError(request.full_url, 403, "rate limit exceeded", {}, io.BytesIO())  # type: ignore[arg-type]

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    with pytest.raises(
        PreflightError, match=r"^https://api\.github\.com/.*: HTTP 403 rate limit exceeded; set GITHUB_TOKEN"
    ):
        latest_kind_version()
    monkeypatch.setenv("GITHUB_TOKEN", "t0ken")
    with pytest.raises(PreflightError, match=r"HTTP 403 rate limit exceeded$"):
        latest_kind_version()
    assert seen[-1]["Authorization"] == "Bearer t0ken"

    def offline(request: urllib.request.Request, timeout: float) -> object:
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(PreflightError, match="Name or service not known: check the network"):
        latest_kind_version()
    with pytest.raises(PreflightError, match="no tag_name"):
        latest_kind_version(get=lambda url: b"{}")
