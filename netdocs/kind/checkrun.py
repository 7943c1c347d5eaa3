"""Run one behaviour check on the cluster: resolve, probe, judge, retry.

Generic over the check types: the origin decides *where* the probe runs (one ``kubectl exec``
per round into the example's Pod, or this machine for ``outside``), and the check type's entry
in :data:`netdocs.kind.checktypes.CHECK_TYPES` decides *what* runs, how it is judged, and how
long and how often it must hold.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from netdocs.behaviour import AnyCheck
from netdocs.kind import limits, probes
from netdocs.kind.checktypes import CHECK_TYPES, Probe, Where
from netdocs.kind.commands import Commands, Kubectl, KubectlLookup
from netdocs.kind.limits import REACHABLE
from netdocs.kind.placeholders import NotReady, first_ready_pod, resolve
from netdocs.kind.retry import Clock, Deadline, Observation, Verdict, until
from netdocs.kind.waits import endpoints_converged, label_selector


@dataclass
class CheckContext:
    kubectl: Kubectl  # pinned to the example's namespace
    commands: Commands
    namespace: str
    clock: Clock
    deadline: Deadline  # the example's: no check outlasts it

    @property
    def lookup(self) -> KubectlLookup:
        return KubectlLookup(self.kubectl)


def _locate(origin: str, ctx: CheckContext) -> Where:
    if origin == "outside":
        return Where(None, None)
    kind, _, name = origin.partition("/")
    pod = first_ready_pod(ctx.lookup.pods_of(name), f"Deployment {name}") if kind == "deploy" else ctx.lookup.pod(name)
    return Where(pod["metadata"]["name"], pod.get("status", {}).get("podIP"))


def _prepare(check: AnyCheck, ctx: CheckContext) -> tuple[Where, AnyCheck] | str:
    """Resolve the origin and every placeholder, waiting for values controllers publish."""
    found: list[tuple[Where, AnyCheck]] = []

    def attempt() -> Observation:
        try:
            where = _locate(check.origin, ctx)
            resolved = check.resolved(lambda text: resolve(text, ctx.lookup, ctx.namespace))
        except (NotReady, ValueError) as exc:
            return Observation(False, str(exc))
        found.append((where, resolved))
        return Observation(True, "resolved")

    verdict = until(attempt, ctx.deadline.cap(limits.RESOLVE_POLICY), ctx.clock)
    return found[-1] if verdict.passed else f"could not resolve the check: {verdict.detail}"


def _wait_for_endpoints(ctx: CheckContext) -> str | None:
    """DNS answers follow EndpointSlices: wait until every Service's ready Pods are endpoints."""

    def attempt() -> Observation:
        for service in ctx.kubectl.json("services")["items"]:
            selector = service.get("spec", {}).get("selector")
            if not selector:
                continue
            name = service["metadata"]["name"]
            pods = ctx.kubectl.json("pods", "-l", label_selector(selector))["items"]
            slices = ctx.kubectl.json("endpointslices", "-l", f"kubernetes.io/service-name={name}")["items"]
            done, detail = endpoints_converged(pods, slices)
            if not done:
                return Observation(False, f"Service {name}: {detail}")
        return Observation(True, "EndpointSlices ready")

    verdict = until(attempt, ctx.deadline.cap(limits.ENDPOINTS_POLICY), ctx.clock)
    return None if verdict.passed else verdict.detail


class Caller:
    """Runs rounds of a probe's call: one ``kubectl exec`` per round in a Pod, or here."""

    def __init__(self, check: AnyCheck, ctx: CheckContext, where: Where) -> None:
        self.check, self.ctx, self.where = check, ctx, where

    def _exec(self, argv: list[str], seconds: float) -> tuple[int, str, str]:
        timeout = self.ctx.deadline.seconds(seconds)
        result = self.ctx.kubectl("exec", self.where.pod or "", "--", *argv, check=False, timeout=timeout)
        return result.returncode, result.stdout, result.stderr

    def round(self, probe: Probe, calls: int) -> list[probes.Answer]:
        """One round; it gets at most :func:`limits.round_limit` (and what is left of the example's deadline)."""
        seconds = limits.round_limit(calls, probe.call_seconds)
        if not self.where.pod:
            if probe.local:
                return [probe.local() for _ in range(calls)]
            within = Deadline.after(self.ctx.clock, seconds)
            runs = [
                self.ctx.commands.run(
                    probe.argv, check=False, timeout=self.ctx.deadline.seconds(within.seconds(seconds))
                )
                for _ in range(calls)
            ]
            return [probe.parse(r.returncode, r.stdout, r.stderr) for r in runs]
        argv = probe.argv if calls == 1 else probes.loop_argv(probe.argv, calls)
        code, out, err = self._exec(argv, seconds)
        if code != 0 and "Error from server (NotFound)" in err:
            # the Pod was replaced (a rollout, a step that deleted it): run from its successor
            try:
                self.where = _locate(self.check.origin, self.ctx)
            except (NotReady, ValueError) as exc:
                return [probes.Answer("error", detail=f"{err.strip()}; {exc}")]
            code, out, err = self._exec(argv, seconds)
        if calls == 1:
            return [probe.parse(code, out, err)]
        return [probe.parse(*call) for call in probes.split_loop(code, out, err)]


def run_check(check: AnyCheck, ctx: CheckContext) -> Verdict:
    started = time.monotonic()
    prepared = _prepare(check, ctx)
    if isinstance(prepared, str):
        return Verdict(False, 0, time.monotonic() - started, prepared)
    where, resolved = prepared
    kind = CHECK_TYPES[check.type]
    if kind.waits_for_endpoints and (waiting := _wait_for_endpoints(ctx)):
        return Verdict(False, 0, time.monotonic() - started, f"EndpointSlices never became ready: {waiting}")
    probe = kind.prepare(resolved, where)
    caller = Caller(check, ctx, where)
    attempts = 0
    if probe.warm_up:
        warm = probe.warm_up
        verdict = until(lambda: warm(caller.round(probe, 1)[0]), ctx.deadline.cap(REACHABLE), ctx.clock)
        if not verdict.passed:
            return replace(verdict, elapsed=time.monotonic() - started, detail=f"never answered: {verdict.detail}")
        attempts = verdict.attempts
        seen = probe.judge(caller.round(probe, probe.calls), caller.where)  # the first complete round decides
        return Verdict(seen.ok, attempts + 1, time.monotonic() - started, seen.detail)
    policy = ctx.deadline.cap(probe.policy)
    verdict = until(lambda: probe.judge(caller.round(probe, probe.calls), caller.where), policy, ctx.clock)
    return Verdict(verdict.passed, verdict.attempts, time.monotonic() - started, verdict.detail)
