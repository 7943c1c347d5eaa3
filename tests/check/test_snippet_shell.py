"""Every shell step passes shellcheck and the kubectl checks (commands, flags, files, no TTY in kind steps)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netdocs.check import breaks, kubectl
from netdocs.check.shell import shellcheck
from netdocs.examples import load_examples
from netdocs.paths import display

STEPS = [
    pytest.param(path, path.name in breaks.unattended(ex.folder), id=display(path))
    for ex in load_examples()
    for path in ex.scripts
]


@pytest.mark.parametrize(("path", "kind_runs"), STEPS)
def test_shell_step_passes_shellcheck(path: Path, kind_runs: bool) -> None:
    findings = shellcheck([path])
    assert not findings, "\n".join(map(str, findings))


@pytest.mark.parametrize(("path", "kind_runs"), STEPS)
def test_kubectl_commands_exist_in_the_pinned_kubectl(path: Path, kind_runs: bool) -> None:
    findings = kubectl.check_script(path, kind_runs)
    assert not findings, f"(kubectl {kubectl.version()})\n" + "\n".join(map(str, findings))
