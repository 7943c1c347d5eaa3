"""What a run will do and how long it can take at worst, without Docker: ``nox -s kind -- --plan``.

Every number is a limit the tier enforces (:mod:`netdocs.kind.limits`, the retry policies of
:mod:`netdocs.kind.retry`), so the budget is a bound, not an estimate: each example gets a
deadline (its stages' limits added up, at most ``limits.EXAMPLE_CAP``) plus its cleanup. Examples
run concurrently on ``--workers`` threads, each in its own namespace; an example that touches
cluster-wide state (:func:`cluster_wide`) runs alone, after the others.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from typing import Any

from netdocs.examples import Example
from netdocs.kind import limits
from netdocs.kind.addons import Stage
from netdocs.kind.checktypes import CHECK_TYPES, NEGATIVE_CALLS
from netdocs.kind.retry import BLOCKED, REACHABLE
from netdocs.kind.runner import applied, objects_of, programs
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


def _pod_spec(obj: dict[str, Any]) -> dict[str, Any]:
    spec = obj.get("spec") or {}
    return spec if obj.get("kind") == "Pod" else ((spec.get("template") or {}).get("spec") or {})


def cluster_wide(example: Example) -> str | None:
    """Why the example touches state other examples share (so it runs alone), or ``None``.

    Read from every manifest in its folder, whether applied first or by a step.
    """
    for obj in objects_of(example.manifests):
        if not isinstance(obj, dict):
            continue
        kind, name, spec = obj.get("kind"), (obj.get("metadata") or {}).get("name"), obj.get("spec") or {}
        if kind in CLUSTER_SCOPED:
            return f"{kind} {name} is cluster-scoped"
        if kind == "Service" and (fixed := [p["nodePort"] for p in spec.get("ports") or [] if "nodePort" in p]):
            return f"Service {name} asks for nodePort {fixed[0]}, which the whole cluster shares"
        if kind == "Service" and spec.get("externalIPs"):
            return f"Service {name} captures {spec['externalIPs'][0]} on every node"
        pod = _pod_spec(obj)
        if pod.get("hostNetwork"):
            return f"{kind} {name} uses the nodes' own network (hostNetwork)"
        if any("hostPort" in p for c in pod.get("containers") or [] for p in c.get("ports") or []):
            return f"{kind} {name} takes a hostPort on the nodes"
    return None


@dataclass(frozen=True)
class Item:
    what: str
    seconds: float


@dataclass(frozen=True)
class ExamplePlan:
    name: str
    items: list[Item]
    alone: str | None  # why it runs alone, or None

    @property
    def limits_sum(self) -> float:
        return sum(item.seconds for item in self.items)

    @property
    def deadline(self) -> float:
        """What the runner gives the example before its cleanup."""
        return min(self.limits_sum, limits.EXAMPLE_CAP)

    @property
    def worst(self) -> float:
        return self.deadline + limits.CLEANUP


def _check_item(check: Any) -> Item:
    kind = CHECK_TYPES[check.type]
    seconds = limits.CHECK_RESOLVE + (limits.WAIT if kind.waits_for_endpoints else 0)
    if check.negative:
        how = f"{NEGATIVE_CALLS} calls per exec, until all are {check.negative}"
        seconds += BLOCKED.timeout + limits.EXEC
    elif getattr(check, "repeated", False):
        how = f"1 call until it answers, then one exec of {check.round_size} calls decides"
        seconds += REACHABLE.timeout + 2 * limits.EXEC
    else:
        how = "1 call per exec, until it holds"
        seconds += REACHABLE.timeout + limits.EXEC
    return Item(f"check {check.id} ({check.type} from {check.origin}): {how}", seconds)


def example_plan(example: Example) -> ExamplePlan:
    files = applied(example)
    items = [Item("namespace: apply it, set the context", 2 * limits.KUBECTL)]
    if files:
        items.append(Item(f"apply {len(files)} file(s): server-side dry run, then apply", 2 * limits.KUBECTL))
    items += [Item(f"wait {w}", limits.WAIT) for w in wait_plan(objects_of(files))]
    items += [Item(f"step {path.name}", limits.STEP) for path in programs(example)]
    later = [p for p in example.manifests if p not in files]
    items += [Item(f"wait {w} (if a step created it)", limits.WAIT) for w in wait_plan(objects_of(later))]
    items += [_check_item(check) for check in example.meta.checks]
    return ExamplePlan(example.name, items, cluster_wide(example))


def setup_items(stages: list[Stage], probes: list[ExamplePlan]) -> list[Item]:
    """Setup's limits: cluster, each add-on stage, verification, and the capability probes."""
    return [
        Item("kind create cluster", limits.CREATE_CLUSTER),
        *(Item(f"add-on {s.name}: {len(s.commands)} commands of {s.limit:.0f} s", s.worst) for s in stages),
        Item("Envoy image of the load balancers: list and pull", limits.LIST_IMAGES + limits.ENVOY_PULL),
        Item("verify: GatewayClass and IngressClass of cloud-provider-kind", 2 * limits.VERIFY),
        Item(
            f"capability probes {', '.join(p.name for p in probes)}, side by side",
            max((p.worst for p in probes), default=0),
        ),
    ]


def makespan(seconds: list[float], workers: int) -> float:
    """Longest-first onto the least-loaded worker: when the last of them is done."""
    loads = [0.0] * max(1, workers)
    for duration in sorted(seconds, reverse=True):
        heapq.heappush(loads, heapq.heappop(loads) + duration)
    return max(loads)


@dataclass(frozen=True)
class Budget:
    setup: float
    shared: float
    alone: float
    teardown: float
    cap: float | None  # the run's --budget, in seconds

    @property
    def every_limit(self) -> float:
        """The run's length if every wait and call took its full limit."""
        return self.setup + self.shared + self.alone + self.teardown

    @property
    def minutes(self) -> int:
        """The bound: every limit hit, or the run's budget, whichever is smaller."""
        bound = self.every_limit if self.cap is None else min(self.every_limit, self.cap)
        return math.ceil(bound / 60)


def budget(plans: list[ExamplePlan], setup: list[Item], workers: int, cap_minutes: float | None) -> Budget:
    return Budget(
        setup=sum(item.seconds for item in setup),
        # the validator's server-side judge runs beside the namespaced examples
        shared=makespan([limits.SERVER_DRY_RUN, *(p.worst for p in plans if not p.alone)], workers),
        alone=sum(p.worst for p in plans if p.alone),
        teardown=limits.TEARDOWN,
        cap=cap_minutes * 60 if cap_minutes else None,
    )


def render(plans: list[ExamplePlan], setup: list[Item], workers: int, cap_minutes: float | None = None) -> str:
    """The plan as text: setup, each example's calls and waits with their limits, the budget."""
    out = ["setup:"]
    out += [f"  {item.seconds:6.0f} s  {item.what}" for item in setup]
    for plan in plans:
        how = f"runs alone: {plan.alone}" if plan.alone else "runs concurrently"
        capped = f" (capped at {limits.EXAMPLE_CAP:.0f} s)" if plan.limits_sum > limits.EXAMPLE_CAP else ""
        out.append(f"{plan.name}: worst {plan.worst:.0f} s = {plan.deadline:.0f} s{capped} + cleanup; {how}")
        out += [f"  {item.seconds:6.0f} s  {item.what}" for item in plan.items]
    total = budget(plans, setup, workers, cap_minutes)
    out.append(
        f"every limit hit: setup {total.setup:.0f} s + concurrent examples (and the must-fail cases'"
        f" server-side dry run, {limits.SERVER_DRY_RUN:.0f} s) on {workers} workers "
        f"{total.shared:.0f} s + examples that run alone {total.alone:.0f} s + teardown {total.teardown:.0f} s "
        f"= {math.ceil(total.every_limit / 60)} min"
    )
    if total.cap is not None and total.cap < total.every_limit:
        out.append(
            f"--budget {cap_minutes:g}: no example starts unless its worst case fits before teardown; "
            "one that does not is reported skipped (not started), never passed"
        )
    out.append(f"budget: {total.minutes} min")
    return "\n".join(out) + "\n"
