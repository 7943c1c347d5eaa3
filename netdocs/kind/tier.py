"""The kind tier for one session: preflight, cluster, add-ons, capabilities, examples, logs, report.

``tests/cluster/kind_examples.py`` drives it through the pytest plugin; everything it runs is
logged under ``reports/kind-logs/``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import get_args

from netdocs import pins
from netdocs.examples import Capability, Example, load_examples
from netdocs.kind import addons, preflight, selftest
from netdocs.kind.clusterconfig import write_config
from netdocs.kind.commands import CommandFailed, Commands, Kubectl
from netdocs.kind.report import CheckResult, ExampleResult, Report
from netdocs.kind.retry import CONVERGE, Clock, Observation, SystemClock, until
from netdocs.kind.runner import Access, ExampleRun, Outcome
from netdocs.kind.waits import condition

# What examples may require (``kind.requires``); setup verifies each one before any example runs.
CAPABILITIES = set(get_args(Capability))


class SetupFailed(Exception):
    """The cluster could not be made ready; one line saying which part and why."""


@dataclass
class Options:
    report: Path
    logs: Path
    name: str = pins.CLUSTER_NAME
    keep: bool = False
    latest: bool = False


@dataclass
class Tier:
    options: Options
    clock: Clock = field(default_factory=SystemClock)
    kind: str = "kind"
    kind_version: str = pins.KIND_VERSION
    node_image: str | None = pins.NODE_IMAGE
    capabilities: set[str] = field(default_factory=set)
    examples: list[ExampleResult] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    created: bool = False

    def __post_init__(self) -> None:
        self.state = preflight.cache_dir() / self.options.name
        self.kubeconfig = self.state / "kubeconfig"
        self.commands = Commands(self.options.logs / "cluster.log")
        self.kubectl = Kubectl(self.commands, self.kubeconfig)

    # --- setup ---------------------------------------------------------------------------

    def setup(self) -> None:
        facts = preflight.gather()
        if found := preflight.problems(facts):
            raise SetupFailed("\n".join(found))
        cache = preflight.cache_dir()
        if self.options.latest:
            self.kind_version = preflight.latest_kind_version()
            self.node_image = None  # the newest release's own default image
        self.kind = preflight.ensure_kind(self.kind_version, cache, facts.host_os, facts.arch)
        self.state.mkdir(parents=True, exist_ok=True)
        self._cluster()
        self.created = True
        self._addons(facts.arch)
        self._verify()
        self._probe()
        if missing := CAPABILITIES - self.capabilities:
            raise SetupFailed(f"the cluster does not provide {', '.join(sorted(missing))}")

    def _cluster(self) -> None:
        config = write_config(self.state / "cluster.yaml", self.node_image)
        name = self.options.name
        existing = self.commands.run([self.kind, "get", "clusters"]).stdout.split()
        # A kept cluster is reused only when it runs the image this run asks for.
        if name in existing and (self.node_image is None or self._running_image() != self.node_image):
            self.commands.run([self.kind, "delete", "cluster", "--name", name], timeout=300)
            existing.remove(name)
        if name in existing:
            kubeconfig = self.commands.run([self.kind, "get", "kubeconfig", "--name", name]).stdout
            self.kubeconfig.write_text(kubeconfig, encoding="utf-8")
        else:
            create = [self.kind, "create", "cluster", "--name", name, "--config", str(config)]
            self.commands.run([*create, "--kubeconfig", str(self.kubeconfig), "--wait", "300s"], timeout=900)

    def _running_image(self) -> str:
        node = f"{self.options.name}-control-plane"
        return self.commands.run(["docker", "inspect", node, "--format", "{{.Config.Image}}"]).stdout.strip()

    def _addons(self, arch: str) -> None:
        host = self.commands.run(["docker", "context", "inspect", "--format", "{{.Endpoints.docker.Host}}"])
        try:
            socket = addons.socket_path(host.stdout.strip())
        except ValueError as exc:
            raise SetupFailed(str(exc)) from None
        images = addons.images_to_preload(p for e in load_examples() for p in e.manifests)
        archives = Path(tempfile.mkdtemp(prefix="netdocs-kind-images-"))
        self.commands.run(["docker", "rm", "--force", pins.CLOUD_PROVIDER_KIND_CONTAINER], check=False)
        plan = addons.install_plan(
            cluster=self.options.name,
            kubectl=self.kubectl.base,
            kind=self.kind,
            images=images,
            socket=socket,
            arch=arch,
            archives=archives,
        )
        try:
            for stage in plan:
                for command in stage.commands:
                    self.commands.run(command, timeout=900)
        except CommandFailed as exc:
            raise SetupFailed(f"add-on {stage.name}: {exc}") from None
        finally:
            shutil.rmtree(archives, ignore_errors=True)
        # The Envoy image cloud-provider-kind runs for each load balancer, pulled once up front
        # (an optimisation: the provider pulls it itself when this subcommand is not there).
        listed = self.commands.run(
            ["docker", "run", "--rm", pins.CLOUD_PROVIDER_KIND_IMAGE, "list-images"], check=False
        )
        for image in listed.stdout.split() if listed.returncode == 0 else []:
            self.commands.run(["docker", "pull", image], timeout=900, check=False)

    def _wait(self, what: str, check: Callable[[], Observation]) -> None:
        verdict = until(check, CONVERGE, self.clock)
        if not verdict.passed:
            raise SetupFailed(f"{what}: {verdict.detail}")

    def _verify(self) -> None:
        """The add-ons did what the examples rely on; each verified capability is recorded."""
        for crd in pins.GATEWAY_API_CRDS:
            annotations = self.kubectl.json("crd", crd)["metadata"].get("annotations", {})
            bundle = annotations.get("gateway.networking.k8s.io/bundle-version")
            channel = annotations.get("gateway.networking.k8s.io/channel")
            if (bundle, channel) != (pins.GATEWAY_API_VERSION, pins.GATEWAY_API_CHANNEL):
                raise SetupFailed(f"CRD {crd} is Gateway API {bundle} ({channel}), expected {pins.GATEWAY_API_VERSION}")

        def gateway_class() -> Observation:
            found = self.kubectl("get", "gatewayclass", pins.GATEWAY_CLASS, "-o", "json", "--ignore-not-found")
            accepted = bool(found.stdout.strip()) and condition(json.loads(found.stdout), "Accepted")
            return Observation(accepted, f"GatewayClass {pins.GATEWAY_CLASS} accepted: {accepted}")

        def ingress_class() -> Observation:
            found = self.kubectl("get", "ingressclass", pins.INGRESS_CLASS, "-o", "name", "--ignore-not-found")
            return Observation(bool(found.stdout.strip()), f"IngressClass {pins.INGRESS_CLASS} exists")

        self._wait("cloud-provider-kind Gateway API", gateway_class)
        self.capabilities.add("gateway-api")
        self._wait("cloud-provider-kind Ingress", ingress_class)
        self.capabilities.add("ingress")
        zones = {
            n["metadata"]["labels"].get("topology.kubernetes.io/zone") for n in self.kubectl.json("nodes")["items"]
        }
        if not set(pins.ZONES) <= zones:
            raise SetupFailed(f"worker zone labels {sorted(z for z in zones if z)}, expected {list(pins.ZONES)}")
        self.capabilities.add("zones")

    def _probe(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="netdocs-kind-probe-"))
        try:
            opened, denied = selftest.examples(folder)
            first = self._run(opened)
            if not first.passed:
                raise SetupFailed(f"the cluster probe failed (LoadBalancer or Service): {first.summary()}")
            self.capabilities.add("loadbalancer")
            second = self._run(denied)
            if not second.passed:
                raise SetupFailed(f"NetworkPolicy is not enforced on this cluster: {second.summary()}")
            self.capabilities.add("networkpolicy")
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    # --- examples ------------------------------------------------------------------------

    def _access(self) -> Access:
        return Access(
            kubeconfig=self.kubeconfig,
            cluster=self.options.name,
            logs=self.options.logs,
            capabilities=self.capabilities,
            clock=self.clock,
            docker=self.commands,
        )

    def _run(self, example: Example) -> Outcome:
        return ExampleRun(example, self._access(), keep_failed=self.options.keep).run()

    def run(self, example: Example) -> Outcome:
        outcome = self._run(example)
        self.examples.append(outcome.example)
        self.checks.extend(outcome.checks)
        return outcome

    # --- the end ---------------------------------------------------------------------------

    def report(self) -> Report:
        server = json.loads(self.kubectl("version", "-o", "json").stdout)["serverVersion"]["gitVersion"]
        return Report(
            kind_version=self.kind_version,
            node_image=self.node_image or self._running_image(),
            kubernetes_version=server,
            date=datetime.now(UTC),
            addons={
                "gateway_api": f"{pins.GATEWAY_API_VERSION} ({pins.GATEWAY_API_CHANNEL})",
                "cloud_provider_kind": pins.CLOUD_PROVIDER_KIND_IMAGE,
                "kubectl": pins.KUBECTL_VERSION,
                "verified": ", ".join(sorted(self.capabilities)),
            },
            examples=self.examples,
            checks=self.checks,
        )

    def export_logs(self) -> None:
        """What a failure needs to be understood: kind's node logs and the provider's."""
        target = self.options.logs
        self.commands.run(
            [self.kind, "export", "logs", str(target / "cluster"), "--name", self.options.name], check=False
        )
        names = [pins.CLOUD_PROVIDER_KIND_CONTAINER, *self._load_balancer_containers()]
        for name in names:
            logs = self.commands.run(["docker", "logs", name], check=False, timeout=120)
            (target / f"{name}.log").write_text(logs.stdout + logs.stderr, encoding="utf-8")

    def _load_balancer_containers(self) -> list[str]:
        listed = self.commands.run(["docker", "ps", "--all", "--format", "{{.Names}}"], check=False).stdout.split()
        return [n for n in listed if n.startswith(pins.LB_CONTAINER_PREFIX)]

    def delete(self) -> None:
        """The cluster, its provider, and the load balancers the provider ran for it."""
        self.commands.run([self.kind, "delete", "cluster", "--name", self.options.name], check=False, timeout=300)
        self.commands.run(["docker", "rm", "--force", pins.CLOUD_PROVIDER_KIND_CONTAINER], check=False)
        for label in pins.LB_LABELS:
            template = f'{{{{.Names}}}} {{{{.Label "{label}"}}}}'
            listed = self.commands.run(
                ["docker", "ps", "--all", "--filter", f"label={label}", "--format", template], check=False
            ).stdout.splitlines()
            mine = [
                name
                for name, _, owner in (line.partition(" ") for line in listed)
                if owner.startswith(f"{self.options.name}/")
            ]
            if mine:
                self.commands.run(["docker", "rm", "--force", *mine], check=False)
