"""The session around the examples (finding 9): whatever fails after the cluster exists, logs are
exported and the cluster is deleted, and the session ends with one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from netdocs.kind.pytest_plugin import run_session
from netdocs.kind.tier import Options, SetupFailed


class FakeTier:
    def __init__(self, tmp_path: Path, fail: BaseException | None, keep: bool = False) -> None:
        self.options = Options(report=tmp_path / "kind.json", logs=tmp_path / "logs", keep=keep)
        self.fail = fail
        self.created = False
        self.outcomes: list[object] = []
        self.done: list[str] = []

    def setup(self) -> None:
        self.created = True
        if self.fail:
            raise self.fail

    def judge_validator(self) -> None:
        self.done.append("judge")

    def run_all(self, selected: list[object], also: list[object]) -> None:
        self.done.append("examples")

    def report(self) -> object:
        raise AssertionError("not reached in these tests")

    def export_logs(self) -> None:
        self.done.append("logs")

    def delete(self) -> None:
        self.done.append("delete")


@pytest.mark.parametrize(
    ("fail", "line"),
    [
        (SetupFailed("add-on cloud-provider-kind: docker run failed"), "add-on cloud-provider-kind: docker run failed"),
        (KeyError("serverVersion"), "unexpected KeyError: 'serverVersion' (logs in"),
    ],
)
def test_a_failure_after_the_cluster_exists_still_exports_logs_and_deletes(
    tmp_path: Path, fail: BaseException, line: str
) -> None:
    tier = FakeTier(tmp_path, fail)
    problem = run_session(tier, [])  # type: ignore[arg-type]
    assert problem is not None
    assert problem.startswith(line)
    assert "\n" not in problem
    assert tier.done == ["logs", "delete"]


def test_keep_keeps_the_cluster_but_still_exports_the_logs(tmp_path: Path) -> None:
    tier = FakeTier(tmp_path, RuntimeError("boom"), keep=True)
    run_session(tier, [])  # type: ignore[arg-type]
    assert tier.done == ["logs"]


def test_an_interrupt_still_deletes_the_cluster(tmp_path: Path) -> None:
    """Ctrl-C on a laptop: no logs wanted, but no cluster left behind either."""
    tier = FakeTier(tmp_path, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        run_session(tier, [])  # type: ignore[arg-type]
    assert tier.done == ["delete"]
