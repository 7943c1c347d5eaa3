"""Validate files and folders with the same checks the site's own snippets pass.

Every manifest is checked alone (schemas, API lifecycle, values), then together with the
others in its scope (cross-object rules); shell steps with shellcheck and against the pinned
kubectl. The scope of the cross-object rules:

* a folder with ``example.toml`` is a self-contained site example (a closed world): its
  ``breaks`` excuse deliberate faults, and its kind plan says which steps run unattended;
* every other file given is judged as the API server would judge it, beside all the other
  files given (an open world): a reference to an object not among them is a note;
* with ``self_contained``, those other files are one closed example instead.
"""

from __future__ import annotations

import os
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from netdocs.check import breaks, kubectl, manifests, schemas, semantics, shell, steplints
from netdocs.check.findings import Finding
from netdocs.check.rules import Rule
from netdocs.check.yamldocs import Document, load
from netdocs.examples import META_FILE, Meta
from netdocs.paths import display

YAML_SUFFIXES = (".yaml", ".yml")
SHELL_SUFFIXES = (".sh",)


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    ranges: dict[str, set[str]] = field(default_factory=dict)  # folder -> compatible minors
    unchecked: list[Finding] = field(default_factory=list)  # input that could not be read at all


def _unreadable(path: Path) -> str | None:
    """Why ``path`` cannot be read, or None: missing, a loop of symbolic links, not a file or folder."""
    try:
        os.stat(path)
    except OSError as exc:
        if path.is_symlink():
            return f"symbolic link that leads nowhere readable ({exc.strerror}); fix or remove the link"
        return "no such file or folder"
    if not (path.is_file() or path.is_dir()):
        return "not a regular file or folder"
    return None


def _walk(folder: Path) -> list[Path]:
    """Files below ``folder`` (hidden ones left out); links are followed, each real folder once."""
    out: list[Path] = []
    seen: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        here = Path(root)
        stat = here.stat()
        if (stat.st_dev, stat.st_ino) in seen:  # a link back up the tree: walked already
            dirs.clear()
            continue
        seen.add((stat.st_dev, stat.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out += [here / f for f in files if not f.startswith(".")]
    return sorted(out)


def collect(paths: list[Path]) -> tuple[list[Path], list[Path], list[Finding]]:
    """(manifests, shell scripts, input that cannot be checked) from files and folders given by a user."""
    yamls: list[Path] = []
    scripts: list[Path] = []
    problems: list[Finding] = []
    for path in paths:
        if (why := _unreadable(path)) is not None:
            problems.append(Finding(display(path), 1, 1, Rule.INPUT, why))
        elif path.is_dir():
            wanted = [p for p in _walk(path) if p.suffix in (*YAML_SUFFIXES, *SHELL_SUFFIXES)]
            broken = {p: why for p in wanted if (why := _unreadable(p)) is not None}
            problems += [Finding(display(p), 1, 1, Rule.INPUT, why) for p, why in broken.items()]
            mine = [p for p in wanted if p.suffix in YAML_SUFFIXES and p not in broken]
            sh = [p for p in wanted if p.suffix in SHELL_SUFFIXES and p not in broken]
            if not wanted:
                problems.append(
                    Finding(display(path), 1, 1, Rule.INPUT, "folder has no *.yaml, *.yml or *.sh files to check")
                )
            yamls += mine
            scripts += sh
        else:
            (scripts if path.suffix in SHELL_SUFFIXES else yamls).append(path)
    return list(dict.fromkeys(yamls)), list(dict.fromkeys(scripts)), problems


def _files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in suffixes and p.is_file())


Reports = dict[Path, manifests.ManifestReport]


def _documents(yamls: list[Path], reports: Reports) -> list[Document]:
    return [doc for path in yamls for doc in reports[path].documents]


def _example(
    folder: Path, yamls: list[Path], scripts: list[Path], reports: Reports, linted: list[Finding]
) -> list[Finding]:
    """Findings of one site example folder (the given files in it), its breaks excused once."""
    given = {*yamls, *scripts}
    documents = _documents(yamls, reports)
    documents += [doc for path in _files(folder, YAML_SUFFIXES) if path not in given for doc in load(path)[0]]
    names = {display(path) for path in yamls}
    findings = breaks.meta_problems(folder) + [f for path in yamls for f in reports[path].findings] + linted
    findings += [f for f in semantics.check(documents, closed=True) if f.file in names]
    steps = breaks.unattended(folder)
    if isinstance(plan := breaks.meta(folder), Meta):
        shown = {*names, *map(display, scripts), display(folder / META_FILE)}
        findings += [f for f in steplints.check(folder, plan, documents) if f.file in shown]
    for script in scripts:
        findings += kubectl.check_script(script, script.name in steps)
    findings = breaks.excuse(findings, breaks.declared(folder))
    if given >= {*_files(folder, YAML_SUFFIXES), *_files(folder, SHELL_SUFFIXES)}:
        findings += breaks.unused(folder, findings)  # only a whole example shows every break
    return findings


def _loose(yamls: list[Path], scripts: list[Path], reports: Reports, closed: bool) -> list[Finding]:
    """Findings of the files outside site examples, checked beside each other."""
    findings = [f for path in yamls for f in reports[path].findings]
    findings += semantics.check(_documents(yamls, reports), closed=closed)
    return findings + [f for script in scripts for f in kubectl.check_script(script, False)]


def run(
    paths: list[Path], *, self_contained: bool = False, strict: bool = False, crds: list[Path] | None = None
) -> Result:
    """Every finding for the given files and folders, and the compatible minors of each folder.

    ``crds``: files or folders with CustomResourceDefinitions that serve custom resources in
    ``paths``; they are checked like the paths (a CRD among the paths serves its kinds too).
    """
    yamls, scripts, unchecked = collect([*paths, *(crds or [])])
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(shell.shellcheck, scripts)  # shellcheck runs while Python checks manifests
        reports = manifests.check_files(yamls, strict=strict)
        linted = pending.result()
    folders: dict[Path, tuple[list[Path], list[Path]]] = defaultdict(lambda: ([], []))
    for path in yamls:
        folders[path.parent][0].append(path)
    for path in scripts:
        folders[path.parent][1].append(path)
    result = Result(findings=list(unchecked), unchecked=unchecked)
    loose: tuple[list[Path], list[Path]] = ([], [])
    for folder, (folder_yamls, folder_scripts) in sorted(folders.items()):
        if folder_yamls:
            result.ranges[display(folder)] = set(schemas.MINORS).intersection(
                *(reports[path].minors for path in folder_yamls)
            )
        if (folder / META_FILE).is_file():
            mine = {display(p) for p in folder_scripts}
            result.findings += _example(
                folder, folder_yamls, folder_scripts, reports, [f for f in linted if f.file in mine]
            )
        else:
            loose[0].extend(folder_yamls)
            loose[1].extend(folder_scripts)
    mine = {display(p) for p in loose[1]}
    result.findings += _loose(*loose, reports, closed=self_contained) + [f for f in linted if f.file in mine]
    result.findings = sorted(set(result.findings))
    return result
