"""Where things live, resolved from the repository root, never from the working directory.

Standard library only: ``noxfile.py`` loads this file before anything is installed.
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
DOCS = ROOT / "docs"
TESTS = ROOT / "tests"


def display(path: Path) -> str:
    """A path as people read it in messages: relative to the repository when inside it."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except (ValueError, RuntimeError, OSError):  # outside the repository, or a loop of symbolic links
        return str(path)


def project_files(*patterns: str, root: Path = ROOT) -> list[Path]:
    """The files we own that match the glob patterns: tracked or new, never git-ignored.

    A contributor's ``.venv/``, ``site/`` or ``node_modules/`` holds third-party files that
    lint must not judge, so lists come from git, not from walking the tree.
    """
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *patterns],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return _walk_without_ignored(patterns, root)
    return sorted({root / name for name in listed.split("\0") if name and (root / name).is_file()})


def _walk_without_ignored(patterns: tuple[str, ...], root: Path) -> list[Path]:
    """Outside a git checkout (an unpacked archive): skip hidden folders and .gitignore's entries."""
    gitignore = root / ".gitignore"
    ignored = [line.strip().rstrip("/") for line in gitignore.read_text().splitlines()] if gitignore.is_file() else []
    ignored = [p for p in ignored if p and not p.startswith("#")]
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".") and not any(fnmatch.fnmatch(d, p) for p in ignored)]
        for name in files:
            rel = (Path(folder) / name).relative_to(root).as_posix()
            if any(fnmatch.fnmatch(rel, p) for p in patterns) and not any(fnmatch.fnmatch(name, p) for p in ignored):
                found.append(root / rel)
    return sorted(found)
