"""The kind tier for one session: preflight, cluster, add-ons, capabilities, examples, logs, report.

``tests/cluster/kind_examples.py`` drives it through the pytest plugin; everything it runs is
logged under ``reports/kind-logs/``. Setup fails the whole run only when there is no cluster
at all (preflight, kind, ``kind create``). Everything after that is recorded: each capability
an example may require is verified or carries the reason it could not be, and an example whose
``kind.requires`` names a missing capability is reported "skipped: needs X", while every other
example runs. Examples run concurrently in their own namespaces; those that touch shared
state run apart, after the others (:mod:`netdocs.kind.plan`).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import get_args

from netdocs import pins
from netdocs.examples import Capability, Example, load_examples
from netdocs.kind import addons, limits, loadbalancers, preflight, selftest, serverside
from netdocs.kind.clusterconfig import write_config
from netdocs.kind.commands import CommandFailed, Commands, Kubectl
from netdocs.kind.plan import SERVER_DRY_RUN, apart, example_plan, pool_order
from netdocs.kind.report import CheckResult, ExampleResult, Finding, Report
from netdocs.kind.retry import Clock, Deadline, Observation, Policy, SystemClock, require
from netdocs.kind.runner import Access, ExampleRun, Outcome
from netdocs.kind.waits import condition

# What examples may require (``kind.requires``); setup verifies each one before any example runs.
CAPABILITIES = set(get_args(Capability))
VERIFIED = "verified"


class SetupFailed(Exception):
    """The cluster could not be made ready; one line saying which part and why."""


class CapabilityMissing(Exception):
    """One capability could not be verified; the examples that need it are skipped."""


@dataclass
class Options:
    report: Path
    logs: Path
    name: str = pins.CLUSTER_NAME
    keep: bool = False
    latest: bool = False
    workers: int = 1
    budget: float | None = None  # seconds: no example starts unless its worst case fits in what is left


def commit() -> str:
    """The commit under test: GitHub's GITHUB_SHA, else git's HEAD, else "unknown"."""
    if sha := os.environ.get("GITHUB_SHA", "").strip():
        return sha
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return done.stdout.strip() if done.returncode == 0 else "unknown"


def skipped(example: Example, why: str, stage: str = "requires") -> Outcome:
    """The outcome of an example that did not run, and why: a capability it ``requires``, or the run's
    ``budget`` (it was not started)."""
    result = ExampleResult(example=example.name, result="skipped", duration=0, stage=stage, detail=why)
    checks = [
        CheckResult(example=example.name, check=c.id, result="skipped", duration=0, detail=why)
        for c in example.meta.checks
    ]
    return Outcome(result, checks)


@dataclass
class Tier:
    options: Options
    clock: Clock = field(default_factory=SystemClock)
    kind: str = "kind"
    kind_version: str = pins.KIND_VERSION
    node_image: str | None = pins.NODE_IMAGE
    capabilities: dict[str, str] = field(default_factory=dict)  # capability -> VERIFIED or why not
    outcomes: list[Outcome] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    addons_note: str = "not run"  # how the server-side dry run of the must-fail cases went
    created: bool = False
    probed: dict[str, threading.Event] = field(default_factory=dict)  # set once a capability's probe is done
    pending: list[Future[Outcome]] = field(default_factory=list)  # namespace deletions still to confirm

    def __post_init__(self) -> None:
        self.started = self.clock.monotonic()
        # the run's budget, less the teardown that must still fit: setup and examples stay inside it
        spendable = None if self.options.budget is None else self.options.budget - limits.TEARDOWN
        self.deadline = None if spendable is None else Deadline.after(self.clock, spendable)
        self.state = preflight.cache_dir() / self.options.name
        self.kubeconfig = self.state / "kubeconfig"
        self.commands = Commands(self.options.logs / "cluster.log")
        self.kubectl = Kubectl(self.commands, self.kubeconfig)

    def _seconds(self, limit: float) -> float:
        """A setup command's timeout: its limit, or what is left of the run's budget."""
        if self.deadline is None:
            return limit
        if not self.deadline.left():
            raise SetupFailed(f"the run's budget of {self.options.budget or 0:.0f} s ran out during setup")
        return self.deadline.seconds(limit)

    def _policy(self, policy: Policy) -> Policy:
        return policy if self.deadline is None else self.deadline.cap(policy)

    @property
    def verified(self) -> set[str]:
        return {cap for cap, state in self.capabilities.items() if state == VERIFIED}

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
        with ThreadPoolExecutor(max_workers=1) as beside:
            release = beside.submit(self._release)  # downloads that need no cluster, beside `kind create`
            try:
                self._cluster()
            except CommandFailed as exc:
                raise SetupFailed(f"kind create cluster: {exc}") from None
            self.created = True
            for capability, why in self._addons(facts.arch, release).items():
                self.capabilities.setdefault(capability, why)
        self._verify()

    def _record(self, capability: str, verify: Callable[[], None]) -> None:
        if capability in self.capabilities:  # an add-on it depends on already failed
            return
        try:
            verify()
        except (CapabilityMissing, CommandFailed) as exc:
            self.capabilities[capability] = str(exc)
        else:
            self.capabilities[capability] = VERIFIED

    def _cluster(self) -> None:
        config = write_config(self.state / "cluster.yaml", self.node_image)
        name = self.options.name
        existing = self.commands.run([self.kind, "get", "clusters"]).stdout.split()
        # A kept cluster is reused only when it runs the image this run asks for.
        if name in existing and (self.node_image is None or self._running_image() != self.node_image):
            self.commands.run(
                [self.kind, "delete", "cluster", "--name", name], timeout=self._seconds(limits.DELETE.seconds)
            )
            existing.remove(name)
        if name in existing:
            kubeconfig = self.commands.run([self.kind, "get", "kubeconfig", "--name", name]).stdout
            self.kubeconfig.write_text(kubeconfig, encoding="utf-8")
        else:
            create = [self.kind, "create", "cluster", "--name", name, "--config", str(config)]
            wait = f"{limits.CREATE_CLUSTER.seconds - 30:.0f}s"
            argv = [*create, "--kubeconfig", str(self.kubeconfig), "--wait", wait]
            self.commands.run(argv, timeout=self._seconds(limits.CREATE_CLUSTER.seconds))

    def _running_image(self) -> str:
        node = f"{self.options.name}-control-plane"
        return self.commands.run(["docker", "inspect", node, "--format", "{{.Config.Image}}"]).stdout.strip()

    def _release(self) -> str:
        """The CRDs of the pinned Gateway API release that its standard install lacks (:func:`addons.crds_beyond`)."""
        return addons.crds_beyond(
            preflight.fetch(pins.GATEWAY_API_URL).decode(),
            preflight.fetch(pins.GATEWAY_API_EXPERIMENTAL_URL).decode(),
        )

    def _addons(self, arch: str, release: Future[str] | None = None) -> dict[str, str]:
        """Install the add-ons; the capabilities a failed add-on takes away, with the reason.

        ``release`` is :meth:`_release` already under way (setup starts it beside ``kind create``)."""
        host = self.commands.run(["docker", "context", "inspect", "--format", "{{.Endpoints.docker.Host}}"])
        try:
            socket = addons.socket_path(host.stdout.strip())
        except ValueError as exc:
            raise SetupFailed(str(exc)) from None
        images = addons.images_to_preload(p for e in load_examples() for p in e.manifests)
        archives = Path(tempfile.mkdtemp(prefix="netdocs-kind-images-"))
        rest = archives / "gateway-api-rest.yaml"
        self.commands.run(["docker", "rm", "--force", pins.CLOUD_PROVIDER_KIND_CONTAINER], check=False)
        plan = addons.install_plan(
            cluster=self.options.name,
            kubectl=self.kubectl.base,
            kind=self.kind,
            images=images,
            socket=socket,
            arch=arch,
            archives=archives,
            rest_of_gateway_api=rest,
        )
        lost: dict[str, str] = {}
        try:
            try:
                rest.write_text(release.result() if release else self._release(), encoding="utf-8")
            except preflight.PreflightError as exc:
                lost["gateway-api"] = f"Gateway API {pins.GATEWAY_API_VERSION}: {exc}"
            lanes: dict[str, list[addons.Stage]] = {}
            for stage in plan:
                lanes.setdefault(stage.lane, []).append(stage)

            def lane(stages: list[addons.Stage]) -> None:
                for stage in stages:
                    if stage.name == "gateway-api-crds" and "gateway-api" in lost:
                        continue
                    try:
                        for command, limit in zip(stage.commands, stage.timeouts, strict=True):
                            self.commands.run(command, timeout=self._seconds(limit.seconds))
                    except CommandFailed as exc:
                        for capability in stage.provides:
                            lost.setdefault(capability, f"add-on {stage.name}: {exc}")

            # independent lanes side by side: the API server's add-ons, the nodes' images, the Envoy image
            with ThreadPoolExecutor(max_workers=len(lanes) + 1) as pool:
                done = [pool.submit(lane, stages) for stages in lanes.values()]
                done.append(pool.submit(self._envoy))
                for future in done:
                    future.result()
        finally:
            shutil.rmtree(archives, ignore_errors=True)
        return lost

    def _envoy(self) -> None:
        """The Envoy image cloud-provider-kind runs for each load balancer, pulled once up front
        (an optimisation: the provider pulls it itself when this subcommand is not there)."""
        listed = self.commands.run(
            ["docker", "run", "--rm", pins.CLOUD_PROVIDER_KIND_IMAGE, "list-images"],
            check=False,
            timeout=self._seconds(limits.LIST_IMAGES.seconds),
        )
        for image in listed.stdout.split() if listed.returncode == 0 else []:
            self.commands.run(["docker", "pull", image], timeout=self._seconds(limits.PULL.seconds), check=False)

    def _wait(self, what: str, check: Callable[[], Observation]) -> None:
        require(what, check, self._policy(limits.VERIFY_POLICY), self.clock, CapabilityMissing)

    def _verify(self) -> None:
        """The add-ons did what the examples rely on; each capability is verified or says why not."""

        def gateway_api() -> None:
            def gateway_class() -> Observation:
                found = self.kubectl("get", "gatewayclass", pins.GATEWAY_CLASS, "-o", "json", "--ignore-not-found")
                accepted = bool(found.stdout.strip()) and condition(json.loads(found.stdout), "Accepted")
                return Observation(accepted, f"GatewayClass {pins.GATEWAY_CLASS} accepted: {accepted}")

            self._wait("cloud-provider-kind Gateway API", gateway_class)
            # After the provider started: it adds the CRDs of its own release that are missing.
            crds = self.kubectl.json("crd")["items"]
            if foreign := addons.foreign_crds(crds, pins.GATEWAY_API_VERSION):
                raise CapabilityMissing(
                    f"Gateway API CRDs not at the validated {pins.GATEWAY_API_VERSION}: {', '.join(foreign)}"
                )
            for crd in pins.GATEWAY_API_CRDS:
                channel = (
                    self.kubectl.json("crd", crd)["metadata"]
                    .get("annotations", {})
                    .get("gateway.networking.k8s.io/channel")
                )
                if channel != pins.GATEWAY_API_CHANNEL:
                    raise CapabilityMissing(f"CRD {crd} is channel {channel}, expected {pins.GATEWAY_API_CHANNEL}")

        def ingress() -> None:
            def ingress_class() -> Observation:
                found = self.kubectl("get", "ingressclass", pins.INGRESS_CLASS, "-o", "name", "--ignore-not-found")
                return Observation(bool(found.stdout.strip()), f"IngressClass {pins.INGRESS_CLASS} exists")

            self._wait("cloud-provider-kind Ingress", ingress_class)

        def zones() -> None:
            labels = [n["metadata"]["labels"] for n in self.kubectl.json("nodes")["items"]]
            seen = {label.get("topology.kubernetes.io/zone") for label in labels}
            if not set(pins.ZONES) <= seen:
                raise CapabilityMissing(
                    f"worker zone labels {sorted(z for z in seen if z)}, expected {list(pins.ZONES)}"
                )

        with ThreadPoolExecutor(max_workers=3) as pool:  # independent reads
            done = [
                pool.submit(self._record, cap, verify)
                for cap, verify in (("gateway-api", gateway_api), ("ingress", ingress), ("zones", zones))
            ]
            for future in done:
                future.result()

    # --- examples ------------------------------------------------------------------------

    def _access(self) -> Access:
        return Access(
            kubeconfig=self.kubeconfig,
            cluster=self.options.name,
            logs=self.options.logs,
            clock=self.clock,
            docker=self.commands,
        )

    def _start(self, example: Example, janitor: Executor | None) -> Outcome:
        """Run the example; with a ``janitor``, its namespace's deletion is confirmed there, off the
        worker, and the final outcome is recorded when that is done."""
        runner = ExampleRun(example, self._access(), keep_failed=self.options.keep, plan=example_plan(example))
        if janitor is None:
            return runner.run()
        provisional = runner.run(defer=True)
        self.pending.append(janitor.submit(runner.finish))
        return provisional

    def probe(self, capability: str, example: Example, what: str, janitor: Executor | None = None) -> None:
        """Verify a capability with a probe example (:mod:`netdocs.kind.selftest`); the examples that
        need it wait for this."""

        def verify() -> None:
            if why := self._no_room(example):
                raise CapabilityMissing(f"probe {example.name} {why}")
            outcome = self._start(example, janitor)
            if not outcome.passed:
                raise CapabilityMissing(f"the cluster probe failed ({what}): {outcome.summary()}")

        try:
            self._record(capability, verify)
        finally:
            self.probed.setdefault(capability, threading.Event()).set()

    def run(self, example: Example, janitor: Executor | None = None) -> Outcome:
        """One example, or its skip when setup could not verify what it requires or the run's budget
        has no room for it. An example that needs a probed capability first waits for its probe."""
        for capability in example_plan(example).needs:
            if capability in self.probed:
                self.probed[capability].wait()
        states = {cap: self.capabilities.get(cap, "not verified") for cap in sorted(example.meta.kind.requires)}
        why = "; ".join(f"needs {cap}: {state}" for cap, state in states.items() if state != VERIFIED)
        if why or (why := self._no_room(example)):
            outcome = skipped(example, why, "requires" if why.startswith("needs ") else "budget")
        elif janitor is not None and not example_plan(example).alone:
            return self._start(example, janitor)
        else:
            outcome = self._start(example, None)
        self.outcomes.append(outcome)
        return outcome

    def _no_room(self, example: Example) -> str:
        """Why the example may not start (its worst case no longer fits the run's budget), or ""."""
        worst = example_plan(example).settled
        if self.deadline is None or worst <= self.deadline.left():
            return ""
        return f"not started: the run's budget has {self.deadline.left():.0f} s left, its worst case is {worst:.0f} s"

    def judge_validator(self) -> None:
        """Every must-fail case through the real API server (:mod:`netdocs.kind.serverside`)."""
        if (
            self.deadline is not None
            and self.deadline.left() < limits.SERVER_DRY_RUN.seconds + 2 * limits.KUBECTL.seconds
        ):
            self.addons_note = "not run: the run's budget had no room"
            return
        namespace = f"nd-serverside-{secrets.token_hex(2)}"
        cluster = self.kubectl
        cluster("create", "namespace", namespace, timeout=limits.KUBECTL.seconds)
        within = Deadline.after(self.clock, limits.SERVER_DRY_RUN.seconds)

        def dry_run(path: Path) -> tuple[int, str]:
            if not within.left():
                return 0, "not sent: the dry runs' time was up"
            args = ("apply", "--dry-run=server", "--namespace", namespace, "-f", str(path))
            done = cluster(*args, check=False, timeout=within.seconds(limits.KUBECTL.seconds))
            return done.returncode, done.stderr

        all_cases = serverside.cases()
        try:
            self.findings, unsent = serverside.judge(all_cases, dry_run, "gateway-api" in self.verified)
        finally:
            cluster("delete", "namespace", namespace, "--wait=false", check=False, timeout=limits.KUBECTL.seconds)
        sent = len(all_cases) - len(unsent)
        self.addons_note = f"{sent} must-fail cases sent, {len(self.findings)} disagreements" + (
            f", {len(unsent)} not sent ({unsent[0]}{', ...' if len(unsent) > 1 else ''})" if unsent else ""
        )

    def run_all(self, examples: Iterable[Example], also: Iterable[Callable[[], None]] = ()) -> dict[str, Outcome]:
        """Every example, in the order :func:`netdocs.kind.plan.pool_order` gives and the plan adds up:
        the capability probes, ``also`` (the validator's judge, which must not meet a cluster-wide
        admission policy) and the namespaced examples on the pool, each cleaned up off the workers;
        then those touching shared state, in the batches :func:`netdocs.kind.plan.apart` gives, each
        cleaned up before the next batch. All cleanups are done before the report."""
        chosen = {e.name: e for e in examples}
        plans = {name: example_plan(e) for name, e in chosen.items()}
        folder = Path(tempfile.mkdtemp(prefix="netdocs-kind-probe-"))
        try:
            opened, denied = selftest.examples(folder)
            probes = {
                opened.name: ("loadbalancer", opened, "LoadBalancer or Service"),
                denied.name: ("networkpolicy", denied, "NetworkPolicy"),
            }
            self.probed = {capability: threading.Event() for capability, _, _ in probes.values()}
            order = pool_order(list(plans.values()), [example_plan(opened), example_plan(denied)])
            janitor = ThreadPoolExecutor(max_workers=max(1, self.options.workers))
            try:
                with ThreadPoolExecutor(max_workers=max(1, self.options.workers)) as pool:
                    futures = []
                    for name in order:
                        if name == SERVER_DRY_RUN:
                            futures += [pool.submit(task) for task in also]
                        elif name in probes:
                            futures.append(pool.submit(self.probe, *probes[name], janitor))
                        else:
                            futures.append(pool.submit(self.run, chosen[name], janitor))
                    for future in futures:
                        future.result()
                # then the examples touching shared state: a batch at a time, side by side within it
                for batch in apart(list(plans.values()), self.options.workers):
                    with ThreadPoolExecutor(max_workers=len(batch)) as pool:
                        for future in [pool.submit(self.run, chosen[p.name]) for p in batch]:
                            future.result()
                for pending in self.pending:
                    outcome = pending.result()
                    if outcome.example.example in chosen:
                        self.outcomes.append(outcome)
                    elif not outcome.passed:  # a probe's leftovers: in the log, not in the report
                        self.commands.note(f"# {outcome.summary()}")
            finally:
                janitor.shutdown(wait=True)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return {o.example.example: o for o in self.outcomes if o.example.example in chosen}

    # --- the end ---------------------------------------------------------------------------

    def report(self) -> Report:
        server = json.loads(self.kubectl("version", "-o", "json").stdout)["serverVersion"]["gitVersion"]
        return Report(
            commit=commit(),
            kind_version=self.kind_version,
            node_image=self.node_image or self._running_image(),
            kubernetes_version=server,
            date=datetime.now(UTC),
            addons={
                "gateway_api": f"{pins.GATEWAY_API_VERSION} ({pins.GATEWAY_API_CHANNEL}, and the rest of its CRDs)",
                "cloud_provider_kind": pins.CLOUD_PROVIDER_KIND_IMAGE,
                "kubectl": pins.KUBECTL_VERSION,
                "workers": str(self.options.workers),
                "server_dry_run": self.addons_note,
            },
            capabilities={cap: self.capabilities.get(cap, "not verified") for cap in sorted(CAPABILITIES)},
            examples=[o.example for o in self.outcomes],
            checks=[c for o in self.outcomes for c in o.checks],
            findings=self.findings,
        )

    def export_logs(self) -> None:
        """What a failure needs to be understood: kind's node logs and the provider's."""
        target = self.options.logs
        self.commands.run(
            [self.kind, "export", "logs", str(target / "cluster"), "--name", self.options.name],
            check=False,
            timeout=limits.EXPORT_LOGS.seconds,
        )
        within = Deadline.after(self.clock, limits.PROVIDER_LOGS.seconds)
        names = [pins.CLOUD_PROVIDER_KIND_CONTAINER, *loadbalancers.containers(self.commands, self.options.name)]
        for name in names:
            logs = self.commands.run(["docker", "logs", name], check=False, timeout=within.seconds(30))
            (target / f"{name}.log").write_text(logs.stdout + logs.stderr, encoding="utf-8")

    def delete(self) -> None:
        """The cluster, its provider, and the load balancers the provider ran for it, within DELETE."""
        within = Deadline.after(self.clock, limits.DELETE.seconds)
        self.commands.run(
            [self.kind, "delete", "cluster", "--name", self.options.name],
            check=False,
            timeout=within.seconds(limits.DELETE.seconds),
        )
        self.commands.run(
            ["docker", "rm", "--force", pins.CLOUD_PROVIDER_KIND_CONTAINER],
            check=False,
            timeout=within.seconds(limits.KUBECTL.seconds),
        )
        if mine := loadbalancers.containers(self.commands, self.options.name):
            self.commands.run(
                ["docker", "rm", "--force", *mine], check=False, timeout=within.seconds(limits.KUBECTL.seconds)
            )
