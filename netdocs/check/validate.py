"""Validate files and folders with the same checks the site's own snippets pass.

Files are grouped by folder, and each folder is one example: its manifests are checked one
by one (schemas, API lifecycle, values) and together (cross-object rules), its shell steps
with shellcheck and against the pinned kubectl. A folder with ``example.toml`` is a site
example: its ``breaks`` excuse deliberate faults and its kind plan says which steps run
unattended.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from netdocs.check import breaks, kubectl, manifests, schemas, semantics, shell
from netdocs.check.findings import Finding
from netdocs.check.rules import Rule
from netdocs.check.yamldocs import load
from netdocs.examples import META_FILE, Meta
from netdocs.paths import display

YAML_SUFFIXES = (".yaml", ".yml")
SHELL_SUFFIXES = (".sh",)


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    ranges: dict[str, set[str]] = field(default_factory=dict)  # example folder -> compatible minors


def collect(paths: list[Path]) -> tuple[list[Path], list[Path], list[Finding]]:
    """(manifests, shell scripts, input problems) from files and folders given by a user."""
    yamls: list[Path] = []
    scripts: list[Path] = []
    problems: list[Finding] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            mine = [p for p in found if p.suffix in YAML_SUFFIXES]
            sh = [p for p in found if p.suffix in SHELL_SUFFIXES]
            if not mine and not sh:
                problems.append(
                    Finding(display(path), 1, 1, Rule.INPUT, "folder has no *.yaml, *.yml or *.sh files to check")
                )
            yamls += mine
            scripts += sh
        elif path.is_file():
            (scripts if path.suffix in SHELL_SUFFIXES else yamls).append(path)
        elif path.exists():
            problems.append(Finding(display(path), 1, 1, Rule.INPUT, "not a regular file or folder"))
        else:
            problems.append(Finding(display(path), 1, 1, Rule.INPUT, "no such file or folder"))
    return list(dict.fromkeys(yamls)), list(dict.fromkeys(scripts)), problems


def _kind_steps(folder: Path) -> set[str]:
    """Shell files the kind tier runs unattended: every step and the cleanup."""
    meta = breaks.meta(folder)
    if not isinstance(meta, Meta):
        return set()
    return {*meta.kind.steps, *([meta.kind.cleanup] if meta.kind.cleanup else [])}


def _example(folder: Path, yamls: list[Path], scripts: list[Path], reports: dict) -> tuple[list[Finding], set[str]]:
    """Findings of one example folder (the given files in it) and its compatible minors."""
    findings = breaks.meta_problems(folder)
    minors = set(schemas.MINORS)
    documents = []
    for path in yamls:
        report = reports[path]
        findings += report.findings
        minors &= report.minors
        documents += report.documents
    closed = (folder / META_FILE).is_file()
    given = {*yamls, *scripts}
    if closed:  # a site example: its other manifests are context even when not given
        documents += [doc for path in _files(folder, YAML_SUFFIXES) if path not in given for doc in load(path)[0]]
    names = {display(path) for path in yamls}
    findings += [f for f in semantics.check(documents, closed) if f.file in names]
    steps = _kind_steps(folder)
    for script in scripts:
        findings += kubectl.check_script(script, script.name in steps)
    findings = breaks.excuse(findings, breaks.declared(folder))
    if closed and given >= {*_files(folder, YAML_SUFFIXES), *_files(folder, SHELL_SUFFIXES)}:
        findings += breaks.unused(folder, findings)  # only a whole example shows every break
    return findings, minors if yamls else set()


def _files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in suffixes and p.is_file())


def run(paths: list[Path]) -> Result:
    yamls, scripts, problems = collect(paths)
    result = Result(findings=problems)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(shell.shellcheck, scripts)  # shellcheck runs while Python checks manifests
        reports = manifests.check_files(yamls)
        checked = pending.result()
    folders: dict[Path, tuple[list[Path], list[Path]]] = defaultdict(lambda: ([], []))
    for path in yamls:
        folders[path.parent][0].append(path)
    for path in scripts:
        folders[path.parent][1].append(path)
    for folder, (folder_yamls, folder_scripts) in sorted(folders.items()):
        mine = [f for f in checked if f.file in {display(p) for p in folder_scripts}]
        findings, minors = _example(folder, folder_yamls, folder_scripts, reports)
        result.findings += breaks.excuse(mine, breaks.declared(folder)) + findings
        if folder_yamls:
            result.ranges[display(folder)] = minors
    result.findings = sorted(set(result.findings))
    return result


def validate_paths(paths: list[Path]) -> list[Finding]:
    return run(paths).findings
