"""Retries with a deadline, and a clock the tests can drive (no sleeps in the offline suite).

A cluster converges: a Service answers a few seconds after its Pods are Ready, a policy
blocks a moment after it is created. So a check is retried until it holds; a negative is a
round of several calls that must all be that negative, so one lost packet cannot pass for a
policy (``netdocs.kind.checktypes``; the policies' limits are in ``netdocs.kind.limits``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass(frozen=True)
class Observation:
    """One attempt: did the expectation hold, and what was seen (shown when it never does)."""

    ok: bool
    detail: str


@dataclass(frozen=True)
class Policy:
    timeout: float
    interval: float = 2.0


@dataclass(frozen=True)
class Verdict:
    passed: bool
    attempts: int
    elapsed: float
    detail: str


def until(attempt: Callable[[], Observation], policy: Policy, clock: Clock) -> Verdict:
    """Attempt until an observation holds, or the deadline passes.

    The first attempt always runs; no sleep follows the last one.
    """
    start = clock.monotonic()
    attempts = 0
    while True:
        seen = attempt()
        attempts += 1
        elapsed = clock.monotonic() - start
        if seen.ok:
            return Verdict(True, attempts, elapsed, seen.detail)
        if elapsed + policy.interval > policy.timeout:
            return Verdict(False, attempts, elapsed, f"{seen.detail} ({attempts} attempts in {elapsed:.0f} s)")
        clock.sleep(policy.interval)


def require(
    what: str, attempt: Callable[[], Observation], policy: Policy, clock: Clock, fail: Callable[[str], Exception]
) -> None:
    """Wait until ``attempt`` holds; else raise ``fail("<what>: <last thing seen>")``."""
    verdict = until(attempt, policy, clock)
    if not verdict.passed:
        raise fail(f"{what}: {verdict.detail}")


@dataclass(frozen=True)
class Deadline:
    """An example's time limit: every wait and command it runs gets at most what is left.

    This is what makes the worst case of a run a number (``netdocs.kind.plan``): no stage can
    outlast the example's deadline, however its own limits add up.
    """

    clock: Clock
    at: float

    @classmethod
    def after(cls, clock: Clock, seconds: float) -> Deadline:
        return cls(clock, clock.monotonic() + seconds)

    def left(self) -> float:
        return max(0.0, self.at - self.clock.monotonic())

    def cap(self, policy: Policy) -> Policy:
        return replace(policy, timeout=min(policy.timeout, self.left()))

    def seconds(self, limit: float) -> float:
        """A command's timeout: its own limit, or what is left (at least one second)."""
        return max(1.0, min(limit, self.left()))
