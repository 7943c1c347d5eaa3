"""The retry logic of the kind tier, on a fake clock: no test here sleeps."""

from __future__ import annotations

from collections.abc import Callable

from fakes import FakeClock  # tests/kind/fakes.py

from netdocs.kind.limits import BLOCKED, REACHABLE
from netdocs.kind.retry import Observation, Policy, until


def scripted(results: list[bool], clock: FakeClock, cost: float = 0.0) -> Callable[[], Observation]:
    """An attempt that returns the scripted results in turn, then keeps failing."""
    calls = iter(results)

    def attempt() -> Observation:
        clock.now += cost
        ok = next(calls, False)
        return Observation(ok, "ok" if ok else "no")

    return attempt


def test_first_success_passes_at_once() -> None:
    clock = FakeClock()
    verdict = until(scripted([True], clock), Policy(timeout=10, interval=2), clock)
    assert (verdict.passed, verdict.attempts, clock.sleeps) == (True, 1, [])


def test_failures_are_retried_until_the_expectation_holds() -> None:
    clock = FakeClock()
    verdict = until(scripted([False, False, True], clock), Policy(timeout=10, interval=2), clock)
    assert verdict.passed
    assert verdict.attempts == 3
    assert clock.sleeps == [2, 2]


def test_gives_up_at_the_deadline_without_a_last_useless_sleep() -> None:
    clock = FakeClock()
    verdict = until(scripted([], clock), Policy(timeout=10, interval=2), clock)
    assert not verdict.passed
    assert verdict.attempts == 6  # at t = 0, 2, 4, 6, 8, 10: none starts after the deadline
    assert clock.now == 10
    assert clock.sleeps == [2] * 5
    assert verdict.detail == "no (6 attempts in 10 s)"


def test_a_negative_gets_a_shorter_deadline_than_a_positive() -> None:
    """A negative is a round of calls per attempt (checktypes); a policy loads within seconds."""
    clock = FakeClock()
    verdict = until(scripted([], clock), BLOCKED, clock)
    assert not verdict.passed
    assert clock.now <= BLOCKED.timeout < REACHABLE.timeout


def test_slow_attempts_count_against_the_deadline() -> None:
    clock = FakeClock()
    starts: list[float] = []
    attempt = scripted([], clock, cost=4.0)

    def timed() -> Observation:
        starts.append(clock.now)
        return attempt()

    verdict = until(timed, Policy(timeout=10, interval=1), clock)
    assert not verdict.passed
    assert starts == [0, 5, 10]  # each attempt takes 4 s; none starts after the 10 s deadline
