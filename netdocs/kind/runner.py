"""One example on the cluster: namespace, dry run, apply, wait, steps, checks, cleanup.

Every stage either completes or fails the example with one line naming the stage; every
stage gets at most what is left of the example's deadline (:mod:`netdocs.kind.limits`). The
namespace is always deleted afterwards (unless ``--keep`` asks to keep a failed one for
debugging), and what the example created must be gone: its objects after ``cleanup.sh``,
its namespace, and the load-balancer containers cloud-provider-kind ran for it.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from netdocs.check.steplints import controls, pre_applied
from netdocs.check.yamldocs import load
from netdocs.examples import Example
from netdocs.kind import limits, loadbalancers
from netdocs.kind.checkrun import CheckContext, run_check
from netdocs.kind.commands import CommandFailed, Commands, Kubectl
from netdocs.kind.placeholders import NotReady, gateway_address, load_balancer_address
from netdocs.kind.report import CheckResult, ExampleResult
from netdocs.kind.retry import Clock, Deadline, Observation, Policy, Verdict, require
from netdocs.kind.waits import WaitKind, condition, endpoints_converged, label_selector, route_accepted, wait_plan

if TYPE_CHECKING:
    from netdocs.kind.plan import ExamplePlan

PSA = "pod-security.kubernetes.io"
FIELD_MANAGER = "netdocs-kind"


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
    """What is applied before the steps: ``kind.apply``, else every manifest no step applies itself."""
    return [example.folder / name for name in pre_applied(example.folder, example.meta)]


# A step that waits for workloads or controllers: kubectl's own waits (a retry loop for something
# quick, such as a policy loading, fits its calls' allowance).
_WAITS = re.compile(r"rollout status|kubectl wait\b|\.watch\(")
# What a step calls: a command in a shell step, an API call in a Python one.
_CALLS = re.compile(
    r"\b(?:kubectl|curl|docker|dig|nslookup|kind|openssl|nc)\b|\.(?:list|read|create|patch|delete)_\w+\("
)
# A call that may time out by design waits out its --max-time.
_MAX_TIME = re.compile(r"--max-time[ =](\d+)")


def step_limit(path: Path) -> tuple[str, limits.Limit]:
    """A step's limit from what it does: its calls (and their --max-time), and one convergence window
    if it waits for workloads. Returns how it was derived, and the limit."""
    text = "\n".join(
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")
    )
    calls = len(_CALLS.findall(text))
    timeouts = sum(int(n) for n in _MAX_TIME.findall(text))
    seconds = limits.STEP_BASE.seconds + calls * limits.STEP_CALL.seconds + timeouts
    typical = limits.STEP_BASE.typical + calls * limits.STEP_CALL.typical
    how = f"{calls} calls" + (f", {timeouts} s of --max-time" if timeouts else "")
    if _WAITS.search(text):
        seconds, typical, how = seconds + limits.WAIT.seconds, typical + limits.WAIT.typical, f"waits; {how}"
    return how, limits.Limit(seconds, typical, f"{limits.STEP_CALL.why} ({how})", limits.STEP_CALL.basis)


def program_argv(path: Path) -> list[str]:
    """Shell steps stop at the first failing command; a command expected to fail says so."""
    if path.suffix == ".py":
        return [sys.executable, path.name]
    return ["bash", "-eo", "pipefail", path.name]


def step_env(kubeconfig: Path) -> dict[str, str]:
    """What a step or cleanup script sees: the example's kubeconfig, and this environment's kubectl first."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return {**os.environ, "KUBECONFIG": str(kubeconfig), "PATH": path}


def objects_of(paths: list[Path]) -> list[Any]:
    return [doc.data for path in paths for doc in load(path)[0]]


@dataclass
class Access:
    """What the runner needs from the cluster fixture."""

    kubeconfig: Path
    cluster: str
    logs: Path
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
    def __init__(
        self,
        example: Example,
        access: Access,
        keep_failed: bool = False,
        token: str | None = None,
        plan: ExamplePlan | None = None,
    ) -> None:
        from netdocs.kind.plan import example_plan  # the plan reads this module's view of an example

        self.example = example
        self.access = access
        self.keep_failed = keep_failed
        self.plan = plan or example_plan(example)
        self.seconds = self.plan.deadline
        self.deadline = Deadline.after(access.clock, self.seconds)
        self.window = self.deadline  # the current wait stage's window (:meth:`_window`)
        self.failure: StageFailed | None = None  # the first stage that failed (:meth:`run`, :meth:`finish`)
        self.duration = 0.0
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

    def _until(self, stage: str, what: str, attempt: Callable[[], Observation], policy: Policy) -> None:
        require(what, attempt, self.deadline.cap(policy), self.access.clock, lambda line: StageFailed(stage, line))

    def create_namespace(self) -> None:
        level = self.example.meta.kind.pod_security
        shutil.copyfile(self.access.kubeconfig, self.kubeconfig)
        manifest = yaml.safe_dump(namespace_manifest(self.namespace, level))
        cluster = self.kubectl.in_namespace(None)
        cluster("apply", "-f", "-", stdin=manifest, timeout=self.deadline.seconds(limits.KUBECTL.seconds))
        # Steps stay namespace-agnostic: the context's namespace is the example's.
        seconds = self.deadline.seconds(limits.LOCAL.seconds)
        cluster("config", "set-context", "--current", f"--namespace={self.namespace}", timeout=seconds)

    def apply(self) -> None:
        files = [arg for path in applied(self.example) for arg in ("-f", str(path))]
        if not files:
            return
        server_side = ("apply", "--server-side", f"--field-manager={FIELD_MANAGER}")
        self.kubectl(*server_side, "--dry-run=server", *files, timeout=self.deadline.seconds(limits.KUBECTL.seconds))
        self.kubectl(*server_side, *files, timeout=self.deadline.seconds(limits.KUBECTL.seconds))

    def wait(self) -> None:
        self._wait_for(applied(self.example), only_existing=False, window=self._window("wait"))

    def settle(self) -> None:
        """After the steps: wait for what they created, as for what was applied before them."""
        before = set(applied(self.example))
        later = [p for p in self.example.manifests if p not in before]
        self._wait_for(later, only_existing=True, window=self._window("settle"))

    def _window(self, stage: str) -> Deadline:
        """One window for every wait of a stage: what was applied together converges side by side."""
        from netdocs.kind.plan import wait_limit

        return Deadline.after(self.access.clock, min(wait_limit(self.plan, stage), self.deadline.left()))

    def _wait_for(self, paths: list[Path], *, only_existing: bool, window: Deadline) -> None:
        """Wait for the objects in ``paths`` within ``window``; with ``only_existing``, for those that
        exist (a step may leave a manifest unapplied on purpose, e.g. one it only dry-runs)."""
        self.window = window
        waits = self._waits()
        for item in wait_plan(objects_of(paths)):
            if only_existing and not self.kubectl("get", item.name, "--ignore-not-found", "-o", "name").stdout.strip():
                continue
            resource, _, name = item.name.partition("/")
            waits[item.what](resource, name)

    def _waits(self) -> dict[WaitKind, Callable[[str, str], None]]:
        """How each kind of wait is done: kubectl's own wait, or polling the object's status."""

        def poll(read: Callable[[str, str], Observation]) -> Callable[[str, str], None]:
            def waiting(resource: str, name: str) -> None:
                what = f"{resource}/{name}"
                policy = self.window.cap(limits.WAIT_POLICY)
                self._until("wait", what, lambda: read(resource, name), policy)

            return waiting

        return {
            "pod-ready": lambda resource, name: self._blocking("wait", "--for=condition=Ready", f"pod/{name}"),
            "rollout": lambda resource, name: self._blocking("rollout", "status", f"{resource}/{name}"),
            "endpoints": poll(lambda resource, name: self._endpoints(name)),
            "lb-address": poll(lambda resource, name: self._address(resource, name, load_balancer_address)),
            "gateway-programmed": poll(lambda resource, name: self._programmed(name)),
            "route-accepted": poll(
                lambda resource, name: Observation(*route_accepted(self.kubectl.get(resource, name)))
            ),
            "ingress-address": poll(lambda resource, name: self._address(resource, name, load_balancer_address)),
        }

    def _blocking(self, *args: str) -> None:
        """kubectl's own wait (rollout status, wait --for), bounded by what is left of the deadline."""
        seconds = min(self.window.seconds(limits.WAIT.seconds), self.deadline.seconds(limits.WAIT.seconds))
        self.kubectl(*args, f"--timeout={max(1.0, seconds - 2):.0f}s", timeout=seconds)

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
        env = step_env(self.kubeconfig)
        for path in programs(self.example):
            timeout = self.deadline.seconds(step_limit(path)[1].seconds)
            try:
                self.commands.run(program_argv(path), cwd=self.example.folder, env=env, timeout=timeout)
            except CommandFailed as exc:
                raise StageFailed("steps", f"{path.name}: {exc}") from None

    def checks(self) -> None:
        """Positive checks side by side, then negatives side by side: a negative is judged only once a
        control proved its path open. Checks only read (curl, dig, nc), so they cannot disturb each other."""
        checks = self.example.meta.checks
        for phase in ([c for c in checks if not c.negative], [c for c in checks if c.negative]):
            with ThreadPoolExecutor(max_workers=limits.CHECKS_AT_ONCE) as pool:
                for future in [pool.submit(self._check, check) for check in phase]:
                    future.result()
        failed = [c.check for c in self.results.values() if c.result == "fail"]
        if failed:
            raise StageFailed("checks", f"{len(failed)} of {len(self.results)} checks failed: {', '.join(failed)}")

    def _check(self, check: Any) -> None:
        checks = self.example.meta.checks
        proven = [c.id for c in controls(check, checks) if self.results[c.id].result == "pass"]
        if check.negative and not proven:
            names = ", ".join(c.id for c in controls(check, checks)) or "none"
            verdict = Verdict(False, 0, 0.0, f"not judged: no control passed ({names}), so the path is not proven open")
        else:
            ctx = CheckContext(self.kubectl, self.commands, self.namespace, self.access.clock, self.deadline)
            verdict = run_check(check, ctx)
        said = f"# check {check.id} ({check.type} from {check.origin}): {'pass' if verdict.passed else 'fail'}"
        self.commands.note(f"{said}: {verdict.detail}")
        self.results[check.id] = CheckResult(
            example=self.example.name,
            check=check.id,
            result="pass" if verdict.passed else "fail",
            duration=round(verdict.elapsed, 2),
            detail=verdict.detail,
        )

    def cleanup(self) -> None:
        """The example's cleanup.sh removes what it made, then the namespace's deletion is asked for.

        That the namespace and load balancers are gone is confirmed by :meth:`confirm_gone`."""
        plan = self.example.meta.kind
        manifests = [arg for path in self.example.manifests for arg in ("-f", str(path))]
        if plan.cleanup:
            script = self.example.folder / plan.cleanup
            try:
                self.commands.run(
                    program_argv(script),
                    cwd=self.example.folder,
                    env=step_env(self.kubeconfig),
                    timeout=limits.CLEANUP_SCRIPT.seconds,
                )
            except CommandFailed as exc:
                raise StageFailed("cleanup", f"{plan.cleanup}: {exc}") from None
            leftovers = Deadline.after(self.access.clock, limits.LEFTOVERS.seconds)
            self._gone(leftovers, f"objects left after {plan.cleanup}", manifests)
        cluster = self.kubectl.in_namespace(None)
        cluster("delete", "namespace", self.namespace, "--wait=false", timeout=limits.KUBECTL.seconds)

    def confirm_gone(self) -> None:
        """Nothing stays: the namespace, the cluster-scoped objects, the load-balancer containers."""
        deadline = Deadline.after(self.access.clock, limits.GONE.seconds)
        manifests = [arg for path in self.example.manifests for arg in ("-f", str(path))]
        self._gone(deadline, "namespace", ["namespace", self.namespace])
        self._gone(deadline, "cluster-scoped objects left", manifests)
        require(
            "load-balancer containers left",
            self._no_load_balancers,
            deadline.cap(limits.GONE_POLICY),
            self.access.clock,
            lambda line: StageFailed("cleanup", line),
        )

    def _gone(self, deadline: Deadline, what: str, args: list[str]) -> None:
        if not args:
            return

        def attempt() -> Observation:
            left = self.kubectl.in_namespace(self.namespace)("get", *args, "--ignore-not-found", "-o", "name").stdout
            names = " ".join(left.split())
            return Observation(not names, names or "gone")

        require(
            what,
            attempt,
            deadline.cap(limits.GONE_POLICY),
            self.access.clock,
            lambda line: StageFailed("cleanup", line),
        )

    def _no_load_balancers(self) -> Observation:
        left = loadbalancers.containers(self.access.docker, self.access.cluster, self.namespace)
        return Observation(not left, ", ".join(left) or "none left")

    # --- the whole run ------------------------------------------------------------------

    def run(self, *, defer: bool = False) -> Outcome:
        """Every stage, then :meth:`finish` (the cleanup). With ``defer`` the cleanup is left to the
        caller, which runs :meth:`finish` off the worker; the outcome returned is then provisional."""
        started = time.monotonic()
        self.failure = None
        stages = [self.create_namespace, self.apply, self.wait, self.steps, self.settle, self.checks]
        try:
            for stage in stages:
                if not self.deadline.left():
                    raise StageFailed(stage.__name__.replace("_", "-"), f"the example's {self.seconds:.0f} s are up")
                try:
                    stage()
                except (CommandFailed, NotReady) as exc:
                    raise StageFailed(stage.__name__.replace("_", "-"), str(exc)) from None
        except StageFailed as exc:
            self.failure = exc
        self.duration = round(time.monotonic() - started, 2)
        return self._outcome() if defer else self.finish()

    def finish(self) -> Outcome:
        """Clean up (unless ``--keep`` keeps a failed namespace) and confirm that nothing stays: a
        leftover fails an example that otherwise passed. The example's final outcome."""
        if not (self.failure and self.keep_failed):
            try:
                self.cleanup()
                self.confirm_gone()
            except (StageFailed, CommandFailed, NotReady) as exc:
                self.failure = self.failure or (
                    exc if isinstance(exc, StageFailed) else StageFailed("cleanup", str(exc))
                )
        shutil.rmtree(self.workdir, ignore_errors=True)
        return self._outcome()

    def _outcome(self) -> Outcome:
        failure = self.failure
        kept = f" (namespace {self.namespace} kept)" if failure and self.keep_failed else ""
        result = ExampleResult(
            example=self.example.name,
            result="fail" if failure else "pass",
            duration=self.duration,
            stage=failure.stage if failure else None,
            detail=(failure.detail + kept) if failure else f"namespace {self.namespace}",
        )
        return Outcome(result, list(self.results.values()))
