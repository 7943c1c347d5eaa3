"""Python client examples (``snippets/*/*.py``): linted with ruff and run offline with pytest-examples.

The convention (CONTRIBUTING.md, "Python examples"): cluster access happens only in
``main()``, called under ``if __name__ == "__main__":``; the rest of the file is an offline
demonstration that prints its results, each followed by the expected output as ``#>``
comments. pytest-examples loads a file as ``__main__``, so the tests pass ``__name__`` =
``OFFLINE`` to run the offline part only. Each file first runs in a subprocess with an
empty kubeconfig, so an exception or an accidental cluster call is a plain test failure
(pytest-examples 0.0.18 turns an exception inside an example into an INTERNALERROR).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_examples import CodeExample, EvalExample

from netdocs.examples import load_examples
from netdocs.paths import ROOT, display

OFFLINE = "offline"
EXAMPLES = [path for example in load_examples() for path in example.files if path.suffix == ".py"]


def _configured(eval_example: EvalExample) -> EvalExample:
    eval_example.set_config(line_length=120, target_version="py311", ruff_line_length=120, isort=True, upgrade=True)
    return eval_example


def _code(path: Path) -> CodeExample:
    return CodeExample.create(path.read_text(encoding="utf-8"), path=path)


def test_there_are_python_examples() -> None:
    assert EXAMPLES, "no snippets/*/*.py found: the Python example tests would check nothing"


@pytest.mark.parametrize("path", EXAMPLES, ids=display)
def test_follows_the_convention(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert 'if __name__ == "__main__":' in source, f"{display(path)}: call main() only under the __main__ guard"
    assert "#> " in source, f"{display(path)}: show the offline part's output as '#> ' comments under its prints"


@pytest.mark.parametrize("path", EXAMPLES, ids=display)
def test_lints_clean(path: Path, eval_example: EvalExample) -> None:
    _configured(eval_example).lint_ruff(_code(path))


@pytest.mark.parametrize("path", EXAMPLES, ids=display)
def test_offline_part_runs_and_prints_what_it_says(path: Path, eval_example: EvalExample, tmp_path: Path) -> None:
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUBERNETES_")}
    env |= {"KUBECONFIG": str(kubeconfig), "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    run = f"import runpy; runpy.run_path({str(path)!r}, run_name={OFFLINE!r})"
    result = subprocess.run(
        [sys.executable, "-c", run], capture_output=True, text=True, env=env, cwd=path.parent, timeout=60, check=False
    )
    assert result.returncode == 0, f"{display(path)} failed offline (no cluster here):\n{result.stderr[-3000:]}"
    _configured(eval_example).run_print_check(_code(path), module_globals={"__name__": OFFLINE})
