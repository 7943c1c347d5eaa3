"""One example on the cluster: namespace, dry run, apply, wait, steps, checks, cleanup.

Every stage either completes or fails the example with one line naming the stage; the
namespace is always deleted afterwards (unless ``--keep`` asks to keep a failed one for
debugging), and what the example created must be gone: its objects after ``cleanup.sh``,
its namespace, and the load-balancer containers cloud-provider-kind ran for it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from netdocs import pins
from netdocs.check.yamldocs import load
from netdocs.examples import Example
from netdocs.kind.checkrun import CheckContext, run_check
from netdocs.kind.commands import CommandFailed, Commands, Kubectl
from netdocs.kind.placeholders import NotReady, gateway_address, load_balancer_address
from netdocs.kind.report import CheckResult, ExampleResult
from netdocs.kind.retry import CONVERGE, Clock, Observation, until
from netdocs.kind.waits import Wait, condition, endpoints_converged, label_selector, route_accepted, wait_plan

PSA = "pod-security.kubernetes.io"
FIELD_MANAGER = "netdocs-kind"
STEP_TIMEOUT = 600


class StageFailed(Exception):
    def __init__(self, stage: str, detail: str) -> None:
        super().__init__(f"{stage}: {detail}")
        self.stage = stage
        self.detail = detail


def namespace_name(example: str, token: str) -> str:
    """``nd-<example>-<token>``: unique per run, a valid DNS label (63 characters at most)."""
    head = f"nd-{example}"[: 62 - len(token)].rstrip("-")
    return f"{head}-{token}"


def namespace_manifest(name: str, level: str) -> dict[str, Any]:
    """The example's namespace, with Pod Security admission enforcing ``level`` (and warning)."""
    labels = {f"{PSA}/{mode}": level for mode in ("enforce", "warn", "audit")}
    labels[f"{PSA}/enforce-version"] = "latest"
    labels["app.kubernetes.io/managed-by"] = FIELD_MANAGER
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}}


def programs(example: Example) -> list[Path]:
    """What runs, in order: the plan's steps, then Python examples it neither runs nor excuses."""
    plan = example.meta.kind
    listed = [example.folder / name for name in plan.steps]
    extra = [p for p in example.python_files if p.name not in plan.steps and p.name not in plan.manual]
    return [*listed, *extra]


def applied(example: Example) -> list[Path]:
    plan = example.meta.kind
    if plan.apply is None:
        return example.manifests
    return [example.folder / name for name in plan.apply]


def program_argv(path: Path) -> list[str]:
    """Shell steps stop at the first failing command; a command expected to fail says so."""
    if path.suffix == ".py":
        return [sys.executable, path.name]
    return ["bash", "-eo", "pipefail", path.name]


def objects_of(paths: list[Path]) -> list[Any]:
    return [doc.data for path in paths for doc in load(path)[0]]


@dataclass
class Access:
    """What the runner needs from the cluster fixture."""

    kubeconfig: Path
    cluster: str
    logs: Path
    capabilities: set[str]
    clock: Clock
    docker: Commands = field(default_factory=Commands)


@dataclass
class Outcome:
    example: ExampleResult
    checks: list[CheckResult]

    @property
    def passed(self) -> bool:
        return self.example.result == "pass"

    def summary(self) -> str:
        lines = [f"{self.example.example}: {self.example.stage}: {self.example.detail}"]
        lines += [f"  check {c.check}: {c.detail}" for c in self.checks if c.result == "fail"]
        return "\n".join(lines)


class ExampleRun:
    def __init__(self, example: Example, access: Access, keep_failed: bool = False, token: str | None = None) -> None:
        self.example = example
        self.access = access
        self.keep_failed = keep_failed
        self.namespace = namespace_name(example.name, token or secrets.token_hex(2))
        self.commands = Commands(access.logs / f"{example.name}.log")
        self.workdir = Path(tempfile.mkdtemp(prefix=f"netdocs-kind-{example.name}-"))
        self.kubeconfig = self.workdir / "kubeconfig"
        self.kubectl = Kubectl(self.commands, self.kubeconfig, self.namespace)
        self.results = {
            c.id: CheckResult(example=example.name, check=c.id, result="not-run", duration=0)
            for c in example.meta.checks
        }

    # --- stages ----------------------------------------------------------------------

    def _until(self, what: str, attempt: Callable[[], Observation]) -> None:
        verdict = until(attempt, CONVERGE, self.access.clock)
        if not verdict.passed:
            raise StageFailed("wait", f"{what}: {verdict.detail}")

    def requires(self) -> None:
        missing = sorted(set(self.example.meta.kind.requires) - self.access.capabilities)
        if missing:
            raise StageFailed("requires", f"the cluster does not provide {', '.join(missing)}")

    def create_namespace(self) -> None:
        level = self.example.meta.kind.pod_security
        shutil.copyfile(self.access.kubeconfig, self.kubeconfig)
        manifest = yaml.safe_dump(namespace_manifest(self.namespace, level))
        self.kubectl.in_namespace(None)("apply", "-f", "-", stdin=manifest)
        # Steps stay namespace-agnostic: the context's namespace is the example's.
        self.kubectl.in_namespace(None)("config", "set-context", "--current", f"--namespace={self.namespace}")

    def apply(self) -> None:
        files = [arg for path in applied(self.example) for arg in ("-f", str(path))]
        if not files:
            return
        self.kubectl("apply", "--server-side", "--dry-run=server", f"--field-manager={FIELD_MANAGER}", *files)
        self.kubectl("apply", "--server-side", f"--field-manager={FIELD_MANAGER}", *files)

    def wait(self) -> None:
        for item in wait_plan(objects_of(applied(self.example))):
            self._wait(item)

    def _wait(self, item: Wait) -> None:
        resource, _, name = item.name.partition("/")
        if item.what == "rollout":
            self.kubectl("rollout", "status", item.name, "--timeout=180s", timeout=200)
        elif item.what == "pod-ready":
            self.kubectl("wait", "--for=condition=Ready", item.name, "--timeout=180s", timeout=200)
        elif item.what == "endpoints":
            self._until(str(item), lambda: self._endpoints(name))
        elif item.what in ("lb-address", "ingress-address"):
            self._until(str(item), lambda: self._address(resource, name, load_balancer_address))
        elif item.what == "gateway-programmed":
            self._until(str(item), lambda: self._programmed(name))
        elif item.what == "route-accepted":
            self._until(str(item), lambda: Observation(*route_accepted(self.kubectl.get(resource, name))))

    def _endpoints(self, service: str) -> Observation:
        selector = self.kubectl.get("service", service)["spec"].get("selector") or {}
        pods = self.kubectl.json("pods", "-l", label_selector(selector))["items"]
        slices = self.kubectl.json("endpointslices", "-l", f"kubernetes.io/service-name={service}")["items"]
        return Observation(*endpoints_converged(pods, slices))

    def _address(self, resource: str, name: str, read: Callable[[dict[str, Any]], str]) -> Observation:
        try:
            return Observation(True, read(self.kubectl.get(resource, name)))
        except NotReady as exc:
            return Observation(False, str(exc))

    def _programmed(self, name: str) -> Observation:
        gateway = self.kubectl.get("gateway.gateway.networking.k8s.io", name)
        if not condition(gateway, "Programmed"):
            return Observation(False, f"Gateway {name} is not Programmed yet")
        return self._address("gateway.gateway.networking.k8s.io", name, gateway_address)

    def steps(self) -> None:
        env = {
            **os.environ,
            "KUBECONFIG": str(self.kubeconfig),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        for path in programs(self.example):
            try:
                self.commands.run(program_argv(path), cwd=self.example.folder, env=env, timeout=STEP_TIMEOUT)
            except CommandFailed as exc:
                raise StageFailed("steps", f"{path.name}: {exc}") from None

    def checks(self) -> None:
        ctx = CheckContext(self.kubectl, self.commands, self.namespace, self.access.clock)
        for check in self.example.meta.checks:
            self.commands.note(f"# check {check.id} ({check.type} from {check.origin})")
            verdict = run_check(check, ctx)
            self.commands.note(f"# check {check.id}: {'pass' if verdict.passed else 'fail'}: {verdict.detail}")
            self.results[check.id] = CheckResult(
                example=self.example.name,
                check=check.id,
                result="pass" if verdict.passed else "fail",
                duration=round(verdict.elapsed, 2),
                detail=verdict.detail,
            )
        failed = [c.check for c in self.results.values() if c.result == "fail"]
        if failed:
            raise StageFailed("checks", f"{len(failed)} of {len(self.results)} checks failed: {', '.join(failed)}")

    def cleanup(self) -> None:
        """The example's cleanup.sh removes what it made; then the namespace goes; nothing stays."""
        plan = self.example.meta.kind
        manifests = [arg for path in self.example.manifests for arg in ("-f", str(path))]
        if plan.cleanup:
            env = {**os.environ, "KUBECONFIG": str(self.kubeconfig)}
            env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
            try:
                self.commands.run(program_argv(self.example.folder / plan.cleanup), cwd=self.example.folder, env=env)
            except CommandFailed as exc:
                raise StageFailed("cleanup", f"{plan.cleanup}: {exc}") from None
            self._gone(f"objects left after {plan.cleanup}", manifests)
        cluster = self.kubectl.in_namespace(None)
        cluster("delete", "namespace", self.namespace, "--wait=true", "--timeout=300s", timeout=320)
        self._gone("namespace", ["namespace", self.namespace])
        self._gone("cluster-scoped objects left", manifests)
        verdict = until(self._no_load_balancers, CONVERGE, self.access.clock)
        if not verdict.passed:
            raise StageFailed("cleanup", verdict.detail)

    def _gone(self, what: str, args: list[str]) -> None:
        if not args:
            return

        def attempt() -> Observation:
            left = self.kubectl.in_namespace(self.namespace)("get", *args, "--ignore-not-found", "-o", "name").stdout
            names = " ".join(left.split())
            return Observation(not names, f"{what}: {names}" if names else "gone")

        verdict = until(attempt, CONVERGE, self.access.clock)
        if not verdict.passed:
            raise StageFailed("cleanup", verdict.detail)

    def _no_load_balancers(self) -> Observation:
        left = []
        for label in pins.LB_LABELS:
            listed = self.access.docker.run(
                ["docker", "ps", "--all", "--filter", f"label={label}", "--format", f'{{{{.Label "{label}"}}}}'],
                timeout=60,
            ).stdout.split()
            left += [v for v in listed if v.split("/")[:2] == [self.access.cluster, self.namespace]]
        return Observation(not left, f"load-balancer containers left: {', '.join(left)}" if left else "none left")

    # --- the whole run ------------------------------------------------------------------

    def run(self) -> Outcome:
        start = time.monotonic()
        failure: StageFailed | None = None
        stages = [self.requires, self.create_namespace, self.apply, self.wait, self.steps, self.checks]
        try:
            for stage in stages:
                try:
                    stage()
                except (CommandFailed, NotReady) as exc:
                    raise StageFailed(stage.__name__.replace("_", "-"), str(exc)) from None
        except StageFailed as exc:
            failure = exc
        if not (failure and self.keep_failed) and not (failure and failure.stage == "requires"):
            try:
                self.cleanup()
            except (StageFailed, CommandFailed, NotReady) as exc:
                failure = failure or (exc if isinstance(exc, StageFailed) else StageFailed("cleanup", str(exc)))
        shutil.rmtree(self.workdir, ignore_errors=True)
        kept = f" (namespace {self.namespace} kept)" if failure and self.keep_failed else ""
        result = ExampleResult(
            example=self.example.name,
            result="fail" if failure else "pass",
            duration=round(time.monotonic() - start, 2),
            stage=failure.stage if failure else None,
            detail=(failure.detail + kept) if failure else f"namespace {self.namespace}",
        )
        return Outcome(result, list(self.results.values()))
