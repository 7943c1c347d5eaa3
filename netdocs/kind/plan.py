"""What a run will do and how long it can take, without Docker: ``nox -s kind -- --plan``.

Every number is a limit the tier enforces (:mod:`netdocs.kind.limits`), so the run's worst
case is a bound, not an estimate. Each example's deadline is the sum of its stages' limits,
derived from what it does: one convergence window for what it applies, one per step (longer
for a step that waits), and its checks, which run side by side (positives, then negatives).

The run, as :mod:`netdocs.kind.tier` does it and :func:`schedule` adds it up: setup (the
cluster, then three add-on lanes side by side, then verification), then one pool of
``--workers`` threads taking, in :func:`pool_order`, the two capability probes, the validator's
server-side dry run and every namespaced example (an example that needs a probed capability
waits for its probe); a namespaced example's cleanup runs off the workers. Then the examples
that touch shared state (:func:`claims`) run apart from the others, in batches
(:func:`apart`): one with a cluster-scoped object alone, the others side by side when what
they claim on the nodes is disjoint. Then the teardown.

The ``typical:`` line adds up the typical durations beside the limits instead: an estimate,
never a measurement.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from netdocs.examples import Example
from netdocs.kind import limits
from netdocs.kind.addons import Stage
from netdocs.kind.checktypes import CHECK_TYPES, round_calls
from netdocs.kind.runner import applied, objects_of, programs, step_limit
from netdocs.kind.waits import wait_plan

# Kinds whose objects are not namespaced: two examples creating them would meet.
CLUSTER_SCOPED = {
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "GatewayClass",
    "IngressClass",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
    "MutatingWebhookConfiguration",
    "Namespace",
    "PriorityClass",
    "RuntimeClass",
    "StorageClass",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
}
DEFAULT_WORKERS = 6
PROBED = ("loadbalancer", "networkpolicy")  # capabilities a probe example verifies, beside the first examples
SERVER_DRY_RUN = "server-side dry run of the must-fail cases"


def _pod_spec(obj: dict[str, Any]) -> dict[str, Any]:
    spec = obj.get("spec") or {}
    return spec if obj.get("kind") == "Pod" else ((spec.get("template") or {}).get("spec") or {})


EXCLUSIVE = "a cluster-scoped object"  # the claim that conflicts with every other
_PORT_ARG = re.compile(r"^--(?:http-)?port=(\d+)$")


def _listens(obj: dict[str, Any]) -> set[str]:
    """The node ports a host-network Pod listens on: its declared ports and its ``--port=`` arguments."""
    found = set()
    for container in _pod_spec(obj).get("containers") or []:
        found |= {str(p["containerPort"]) for p in container.get("ports") or [] if "containerPort" in p}
        found |= {m.group(1) for a in container.get("args") or [] if (m := _PORT_ARG.match(str(a)))}
    return found


def claims(example: Example) -> dict[str, str]:
    """What the example takes that other examples share, each with why: node ports (a fixed
    ``nodePort``, a ``hostPort``, a host-network listener), an ``externalIPs`` address, or
    :data:`EXCLUSIVE` for a cluster-scoped object (an admission policy, a default class: it can
    change what any other example sees). Read from every manifest, whether applied first or by a step."""
    found: dict[str, str] = {}
    for obj in objects_of(example.manifests):
        if not isinstance(obj, dict):
            continue
        kind, name, spec = obj.get("kind"), (obj.get("metadata") or {}).get("name"), obj.get("spec") or {}
        if kind in CLUSTER_SCOPED:
            found.setdefault(EXCLUSIVE, f"{kind} {name} is cluster-scoped")
        if kind == "Service":
            for port in spec.get("ports") or []:
                if "nodePort" in port:
                    why = f"Service {name} asks for nodePort {port['nodePort']}, which the whole cluster shares"
                    found.setdefault(f"node port {port['nodePort']}", why)
                for address in spec.get("externalIPs") or []:
                    why = f"Service {name} captures {address} on every node"
                    found.setdefault(f"address {address}:{port.get('port')}", why)
        pod = _pod_spec(obj)
        if pod.get("hostNetwork"):
            why = f"{kind} {name} uses the nodes' own network (hostNetwork)"
            for port in _listens(obj) or {"(any)"}:
                found.setdefault(f"node port {port}" if port != "(any)" else EXCLUSIVE, why)
        for container in pod.get("containers") or []:
            for port in container.get("ports") or []:
                if "hostPort" in port:
                    found.setdefault(f"node port {port['hostPort']}", f"{kind} {name} takes a hostPort on the nodes")
    return found


def cluster_wide(example: Example) -> str | None:
    """Why the example touches state other examples share (so it runs apart from them), or ``None``."""
    found = claims(example)
    return found.get(EXCLUSIVE) or next(iter(found.values()), None)


@dataclass(frozen=True)
class Item:
    what: str
    seconds: float  # its limit
    typical: float = 0.0  # its typical duration (an estimate)
    detail: tuple[str, ...] = ()  # what it is made of (checks side by side)


def makespan(seconds: list[float], workers: int) -> float:
    """Longest-first onto the least-loaded worker: when the last of them is done."""
    loads = [0.0] * max(1, workers)
    for duration in sorted(seconds, reverse=True):
        heapq.heappush(loads, heapq.heappop(loads) + duration)
    return max(loads)


def check_limit(check: Any) -> tuple[str, float, float]:
    """How a check runs, its limit and its typical duration (see :mod:`netdocs.kind.checktypes`)."""
    calls, per_call, per_call_typical = round_calls(check)
    seconds = limits.CHECK_RESOLVE.seconds
    typical = limits.CHECK_RESOLVE.typical
    if CHECK_TYPES[check.type].waits_for_endpoints:
        seconds += limits.ENDPOINTS.seconds
        typical += limits.ENDPOINTS.typical
    one = limits.round_limit(1, limits.CALL.seconds)
    if check.negative:
        how = f"{calls} calls per exec, until all are {check.negative}"
        seconds += limits.BLOCKED.timeout + limits.round_limit(calls, per_call)
        typical += limits.round_typical(calls, per_call_typical)
    elif getattr(check, "repeated", False):
        how = f"1 call until it answers, then one exec of {calls} calls decides"
        seconds += limits.REACHABLE.timeout + one + limits.round_limit(calls, per_call)
        typical += limits.round_typical(1, per_call_typical) + limits.round_typical(calls, per_call_typical)
    else:
        how = "1 call per exec, until it holds"
        seconds += limits.REACHABLE.timeout + one
        typical += limits.round_typical(1, per_call_typical)
    return f"check {check.id} ({check.type} from {check.origin}): {how}", seconds, typical


@dataclass(frozen=True)
class ExamplePlan:
    name: str
    items: list[Item]
    alone: str | None  # why it runs apart from the namespaced examples (:func:`claims`), or None
    needs: tuple[str, ...] = ()  # probed capabilities it requires: it waits for their probes
    has_cleanup: bool = True
    claims: frozenset[str] = frozenset()  # what it takes that others share (:func:`claims`)

    @property
    def deadline(self) -> float:
        """What the runner gives the example before its cleanup: its stages' limits added up."""
        return sum(item.seconds for item in self.items)

    @property
    def typical_run(self) -> float:
        return sum(item.typical for item in self.items)

    def _cleanup(self, pick: Callable[[limits.Limit], float]) -> float:
        """cleanup.sh and its leftovers, the namespace's deletion, and confirming that all is gone."""
        script = pick(limits.CLEANUP_SCRIPT) + pick(limits.LEFTOVERS) if self.has_cleanup else 0.0
        return script + pick(limits.KUBECTL) + pick(limits.GONE)

    @property
    def cleanup(self) -> float:
        """Cleanup on the worker: all of it for an example that runs apart (the next one must not
        meet its state), none for a namespaced one (the tier cleans up beside the next example)."""
        return self._cleanup(lambda limit: limit.seconds) if self.alone else 0.0

    @property
    def worst(self) -> float:
        """How long it can hold its worker."""
        return self.deadline + self.cleanup

    @property
    def tail(self) -> float:
        """After it frees its worker: its cleanup, off the workers."""
        return 0.0 if self.alone else self._cleanup(lambda limit: limit.seconds)

    @property
    def settled(self) -> float:
        return self.worst + self.tail

    @property
    def typical(self) -> float:
        return self.typical_run + (self._cleanup(lambda limit: limit.typical) if self.alone else 0.0)

    @property
    def typical_tail(self) -> float:
        return 0.0 if self.alone else self._cleanup(lambda limit: limit.typical)


def _checks(example: Example) -> list[Item]:
    """The checks stage: positives side by side, then negatives (judged once a control passed)."""
    out = []
    for phase, chosen in (
        ("positive", [c for c in example.meta.checks if not c.negative]),
        ("negative", [c for c in example.meta.checks if c.negative]),
    ):
        if not chosen:
            continue
        each = [check_limit(c) for c in chosen]
        out.append(
            Item(
                f"{len(chosen)} {phase} check(s), side by side ({limits.CHECKS_AT_ONCE} at most at once)",
                makespan([s for _, s, _ in each], limits.CHECKS_AT_ONCE),
                makespan([t for _, _, t in each], limits.CHECKS_AT_ONCE),
                tuple(f"{s:4.0f} s  {what}" for what, s, _ in each),
            )
        )
    return out


def example_plan(example: Example) -> ExamplePlan:
    files = applied(example)
    k, local = limits.KUBECTL, limits.LOCAL
    items = [Item("namespace: apply it, set the context", k.seconds + local.seconds, k.typical + local.typical)]
    if files:
        items.append(Item(f"apply {len(files)} file(s): server-side dry run, then apply", 2 * k.seconds, 2 * k.typical))
    if waits := wait_plan(objects_of(files)):
        listed = ", ".join(map(str, waits))
        items.append(Item(f"wait, one window for what was applied together: {listed}", *_pair(limits.WAIT)))
    steps_wait = False
    for path in programs(example):
        how, limit = step_limit(path)
        steps_wait = steps_wait or how.startswith("waits")
        items.append(Item(f"step {path.name} ({how})", *_pair(limit)))
    later = [p for p in example.manifests if p not in files]
    if waits := wait_plan(objects_of(later)):
        limit = limits.SETTLE if steps_wait else limits.WAIT
        listed = ", ".join(map(str, waits))
        items.append(Item(f"settle, one window for what the steps created (if they did): {listed}", *_pair(limit)))
    items += _checks(example)
    needs = tuple(c for c in PROBED if c in example.meta.kind.requires)
    return ExamplePlan(
        example.name, items, cluster_wide(example), needs, bool(example.meta.kind.cleanup), frozenset(claims(example))
    )


def _pair(limit: limits.Limit) -> tuple[float, float]:
    return limit.seconds, limit.typical


def wait_limit(plan: ExamplePlan, stage: str) -> float:
    """The window of the plan's ``wait`` or ``settle`` stage (what the runner gives it)."""
    return next((item.seconds for item in plan.items if item.what.startswith(f"{stage},")), limits.WAIT.seconds)


# --- setup --------------------------------------------------------------------------------------


def envoy_lane() -> list[Item]:
    return [
        Item("list the load balancers' Envoy image", *_pair(limits.LIST_IMAGES)),
        Item("pull it", *_pair(limits.PULL)),
    ]


def setup_items(stages: list[Stage]) -> list[Item]:
    """Setup's limits: the cluster, then the add-on lanes side by side (the longest counts), then verification."""
    lanes: dict[str, list[Item]] = {}
    for stage in stages:
        lanes.setdefault(stage.lane, []).append(
            Item(f"add-on {stage.name}: {len(stage.commands)} commands", stage.worst, stage.typical)
        )
    lanes["envoy"] = envoy_lane()
    detail = tuple(
        f"{sum(i.seconds for i in items):4.0f} s  lane {lane}: " + "; ".join(i.what for i in items)
        for lane, items in lanes.items()
    )
    fetches = 2 * limits.FETCH.seconds, 2 * limits.FETCH.typical
    create = (
        limits.CREATE_CLUSTER.seconds + limits.QUERIES.seconds,
        limits.CREATE_CLUSTER.typical + limits.QUERIES.typical,
    )
    return [
        Item(f"preflight: {limits.PREFLIGHT_QUERIES} local queries", *_pair(limits.PREFLIGHT)),
        Item("the kind binary: from the workflow's cache, else downloaded", *_pair(limits.FETCH)),
        Item(
            "kind create cluster and 3 quick queries; beside it, the Gateway API release's 2 files",
            max(create[0], fetches[0]),
            max(create[1], fetches[1]),
        ),
        Item(
            f"add-ons in {len(lanes)} lanes side by side",
            max(sum(i.seconds for i in items) for items in lanes.values()),
            max(sum(i.typical for i in items) for items in lanes.values()),
            detail,
        ),
        Item("verify: GatewayClass, IngressClass and zones, side by side", *_pair(limits.VERIFY)),
    ]


# --- the run ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One task of the pool: it holds a worker for ``seconds`` (waiting for ``after`` first)."""

    name: str
    seconds: float
    after: tuple[str, ...] = ()
    tail: float = 0.0  # off the worker, once it is done


def pool_order(plans: list[ExamplePlan], probes: list[ExamplePlan]) -> list[str]:
    """The order the pool takes its tasks: probes, the dry run, then the namespaced examples, longest
    first, those that wait for a probe last (so that no worker idles while a probe runs)."""
    together = [p for p in plans if not p.alone]
    free = sorted((p for p in together if not p.needs), key=lambda p: -p.worst)
    waiting = sorted((p for p in together if p.needs), key=lambda p: -p.worst)
    return [*(p.name for p in probes), SERVER_DRY_RUN, *(p.name for p in free), *(p.name for p in waiting)]


def schedule(jobs: list[Job], workers: int) -> tuple[float, float]:
    """As the pool runs them, in order: each job goes to the first free worker and starts once
    what it waits for is done. Returns (when the last worker is free, when the last tail ends)."""
    loads = [0.0] * max(1, workers)
    done: dict[str, float] = {}
    last = tails = 0.0
    for job in jobs:
        free = heapq.heappop(loads)
        start = max([free, *(done[name] for name in job.after if name in done)])
        done[job.name] = end = start + job.seconds
        heapq.heappush(loads, end)
        last, tails = max(last, end), max(tails, end + job.tail)
    return last, tails


PROBE_OF = {"loadbalancer": "probe-open", "networkpolicy": "probe-deny"}


def apart(plans: list[ExamplePlan], workers: int) -> list[list[ExamplePlan]]:
    """The examples that touch shared state, in batches that run one after another, after the pool.

    One with :data:`EXCLUSIVE` runs alone; the others share a batch (up to ``workers``) when what
    they claim is disjoint: distinct node ports and addresses cannot meet."""
    batches: list[list[ExamplePlan]] = []
    for plan in sorted((p for p in plans if p.alone), key=lambda p: -p.worst):
        if EXCLUSIVE not in plan.claims:
            for batch in batches:
                taken = frozenset().union(*(p.claims for p in batch))
                if EXCLUSIVE not in taken and not plan.claims & taken and len(batch) < max(1, workers):
                    batch.append(plan)
                    break
            else:
                batches.append([plan])
        else:
            batches.append([plan])
    return batches


@dataclass(frozen=True)
class Budget:
    setup: float
    shared: float  # until the pool's last worker is free
    alone: float
    tails: float  # until the last namespace deletion is confirmed (from the pool's start)
    teardown: float
    cap: float | None  # the run's --budget, in seconds

    @property
    def every_limit(self) -> float:
        """The run's length if every wait and call took its full limit."""
        return self.setup + max(self.shared + self.alone, self.tails) + self.teardown

    @property
    def minutes(self) -> int:
        """The bound: every limit hit, or the run's budget, whichever is smaller."""
        bound = self.every_limit if self.cap is None else min(self.every_limit, self.cap)
        return math.ceil(bound / 60)


def budget(
    plans: list[ExamplePlan],
    probes: list[ExamplePlan],
    setup: list[Item],
    workers: int,
    *,
    cap_minutes: float | None = None,
    typical: bool = False,
) -> Budget:
    """The run's limits added up as the tier runs them (or, with ``typical``, its typical durations)."""

    def hold(p: ExamplePlan) -> float:
        return p.typical if typical else p.worst

    def tail(p: ExamplePlan) -> float:
        return p.typical_tail if typical else p.tail

    by_name = {p.name: p for p in [*plans, *probes]}
    jobs = []
    for name in pool_order(plans, probes):
        if name == SERVER_DRY_RUN:
            dry, k = limits.SERVER_DRY_RUN, limits.KUBECTL  # and its namespace's creation and deletion
            jobs.append(Job(name, dry.typical + 2 * k.typical if typical else dry.seconds + 2 * k.seconds))
            continue
        p = by_name[name]
        jobs.append(Job(name, hold(p), tuple(PROBE_OF[c] for c in p.needs), tail(p)))
    shared, tails = schedule(jobs, workers)
    return Budget(
        setup=sum(item.typical if typical else item.seconds for item in setup),
        shared=shared,
        alone=sum(max(hold(p) for p in batch) for batch in apart(plans, workers)),
        tails=tails,
        teardown=limits.KUBECTL.typical + limits.DELETE.typical if typical else limits.TEARDOWN,
        cap=cap_minutes * 60 if cap_minutes else None,
    )


TYPICAL_TARGET_MINUTES = 10


def _why_longer(plans: list[ExamplePlan], typical: Budget) -> str:
    """What keeps the typical run above the target: the largest parts, in order."""
    alone = [p for p in plans if p.alone]
    parts = sorted(
        [
            (typical.setup, "setup (mostly kind create cluster)"),
            (typical.shared, "the concurrent examples"),
            (typical.alone, f"{len(alone)} examples that touch shared state, apart from the others"),
        ],
        reverse=True,
    )
    return ", then ".join(f"{what} {seconds / 60:.1f} min" for seconds, what in parts if seconds)


@dataclass
class Rendered:
    lines: list[str] = field(default_factory=list)

    def add(self, item: Item) -> None:
        self.lines.append(f"  {item.seconds:6.0f} s  {item.what}")
        self.lines += [f"            {line}" for line in item.detail]


def render(
    plans: list[ExamplePlan],
    probes: list[ExamplePlan],
    setup: list[Item],
    workers: int,
    cap_minutes: float | None = None,
) -> str:
    """The plan as text: setup, each example's stages with their limits, the bound and the typical run."""
    out = Rendered(["setup:"])
    for item in setup:
        out.add(item)
    for plan in [*probes, *plans]:
        how = f"runs apart: {plan.alone}" if plan.alone else "runs concurrently"
        if plan.needs:
            how += f", after the probe of {' and '.join(plan.needs)}"
        cleanup = (
            f"cleanup {plan.cleanup:.0f} s" if plan.alone else f"then its cleanup {plan.tail:.0f} s off the workers"
        )
        out.lines.append(
            f"{plan.name}: worst {plan.worst:.0f} s = deadline {plan.deadline:.0f} s"
            f"{' + ' if plan.alone else ', '}{cleanup} (typical {plan.typical + plan.typical_tail:.0f} s); {how}"
        )
        for item in plan.items:
            out.add(item)
    total = budget(plans, probes, setup, workers, cap_minutes=cap_minutes)
    usual = budget(plans, probes, setup, workers, typical=True)
    out.lines.append(
        f"every limit hit: setup {total.setup:.0f} s + probes, the must-fail cases' server-side dry run"
        f" ({limits.SERVER_DRY_RUN.seconds:.0f} s) and concurrent examples on {workers} workers {total.shared:.0f} s"
        f" + examples that touch shared state, {len(apart(plans, workers))} batches one after another"
        f" {total.alone:.0f} s"
        + (
            f" (namespace deletions confirmed by {total.tails:.0f} s)"
            if total.tails > total.shared + total.alone
            else ""
        )
        + f" + teardown {total.teardown:.0f} s = {math.ceil(total.every_limit / 60)} min"
    )
    minutes = usual.every_limit / 60
    line = (
        f"typical: about {math.ceil(minutes)} min (setup {usual.setup:.0f} s + pool {usual.shared:.0f} s"
        f" + apart {usual.alone:.0f} s + teardown {usual.teardown:.0f} s), an estimate from the typical"
        " durations in netdocs/kind/limits.py, not a measurement"
    )
    if minutes > TYPICAL_TARGET_MINUTES:
        line += f"; above {TYPICAL_TARGET_MINUTES} min because of {_why_longer(plans, usual)}"
    out.lines.append(line)
    if total.cap is not None and total.cap < total.every_limit:
        out.lines.append(
            f"--budget {cap_minutes:g}: no example starts unless its worst case fits before teardown; "
            "one that does not is reported skipped (not started), never passed"
        )
    out.lines.append(f"budget: {total.minutes} min")
    return "\n".join(out.lines) + "\n"
