"""The node process behind the Gateway API validators (netdocs/check/gateway_api.py): one per
Python process, replaced when it dies, and a failure that names its cause."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest

from netdocs.check import gateway_api
from netdocs.check.shell import ToolMissing
from netdocs.check.validate import run
from netdocs.paths import TESTS

EXAMPLE = TESTS / "check" / "corpora" / "gateway-api" / "examples" / "standard" / "basic-http.yaml"


def test_one_node_process_answers_every_run() -> None:
    run([EXAMPLE])
    first = gateway_api._VALIDATORS._process
    assert first is not None
    run([EXAMPLE])
    assert gateway_api._VALIDATORS._process is first
    assert first.poll() is None


def test_a_process_that_died_is_replaced() -> None:
    run([EXAMPLE])
    dead = gateway_api._VALIDATORS._process
    assert dead is not None
    dead.kill()
    dead.wait()
    assert run([EXAMPLE]).findings == run([EXAMPLE]).findings
    assert gateway_api._VALIDATORS._process not in (None, dead)


def test_a_runner_that_fails_is_named_by_its_last_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken.mjs"
    broken.write_text('console.error("SyntaxError: the validators could not load"); process.exit(1);\n')
    validators = gateway_api._Validators()
    monkeypatch.setattr(gateway_api, "RUNNER", broken)
    with pytest.raises(ToolMissing, match="failed to run with node: SyntaxError: the validators could not load"):
        validators.ask("[]")
    assert validators._process is None


def test_a_runner_that_never_answers_is_stopped_at_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    silent = tmp_path / "silent.mjs"
    silent.write_text("setInterval(() => {}, 1000);\n")
    validators = gateway_api._Validators()
    monkeypatch.setattr(gateway_api, "RUNNER", silent)
    monkeypatch.setattr(validators, "LIMIT_S", 0.5)
    with pytest.raises(ToolMissing, match=r"no answer within 0.5 s"):
        validators.ask("[]")
    # Nothing of it is left running, though `node` may be a launcher with node as its child
    # (a killed process takes a moment to go).
    deadline = time.monotonic() + 5
    while running(str(silent)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running(str(silent)) == []


def running(marker: str) -> list[str]:
    """The command lines of live processes that mention ``marker`` (Linux's /proc)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if marker in text:
                found.append(text)
    return found
