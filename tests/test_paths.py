"""File lists come from git: a contributor's ignored folders (.venv/, site/) are never linted."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

from netdocs.paths import ROOT, project_files


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def test_ignored_folders_are_not_listed(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text(".venv/\nsite/\n", encoding="utf-8")
    for name in ("steps/try.sh", ".venv/lib/virtualenv/activate.sh", "site/copied.sh", "new/untracked.sh"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("echo hi\n", encoding="utf-8")
    _git(tmp_path, "add", "steps/try.sh", ".gitignore")
    listed = [p.relative_to(tmp_path).as_posix() for p in project_files("*.sh", root=tmp_path)]
    assert listed == ["new/untracked.sh", "steps/try.sh"]


def test_outside_git_the_walk_skips_ignored_and_hidden_folders(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("# comment\n.venv/\nnode_modules/\n", encoding="utf-8")
    for name in ("a/b.yaml", ".venv/c.yaml", "node_modules/d.yaml", ".hidden/e.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("a: 1\n", encoding="utf-8")
    listed = [p.relative_to(tmp_path).as_posix() for p in project_files("*.yaml", root=tmp_path)]
    assert listed == ["a/b.yaml"]


def test_lint_lists_files_through_git() -> None:
    source = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    lint = next(n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef) and n.name == "lint")
    body = ast.unparse(lint)
    assert "rglob" not in source, "noxfile.py: list files with owned() (git ls-files), never rglob"
    assert "owned('*.sh')" in body, "noxfile.py lint: shellcheck gets owned('*.sh')"
    assert "owned('*.yaml', '*.yml')" in body, "noxfile.py lint: yamllint gets owned('*.yaml', '*.yml')"
