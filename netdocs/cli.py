"""``python -m netdocs validate PATH...``: one line per finding.

Exit status: 0 valid (warnings and notes allowed), 1 invalid (any error), 2 could not check
(a path that cannot be read, a tool missing, an internal error) with no error found.

stdout carries only findings, as ``file:line:col: severity[rule]: message`` (``--format text``),
one JSON document (``--format json``) or GitHub Actions workflow commands that annotate the
lines (``--format github``); the compatible Kubernetes versions of each folder without errors
and the totals go to stderr.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from pathlib import Path

from netdocs.check.findings import Finding, Severity, errors
from netdocs.check.manifests import version_range
from netdocs.check.shell import ToolMissing
from netdocs.check.validate import Result, run

VALID, INVALID, UNCHECKED = 0, 1, 2
GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def _github(finding: Finding) -> str:
    """A workflow command: GitHub shows it as an annotation on that line of the changed file."""

    def escape(text: str, *, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    where = f"file={escape(finding.file, prop=True)},line={finding.line},col={finding.col}"
    title = escape(finding.rule, prop=True)
    return f"::{GITHUB_LEVELS[finding.severity]} {where},title={title}::{escape(finding.message)}"


def _valid_for(result: Result) -> dict[str, str]:
    """Compatible minors of each folder in which no error was found."""
    failed = {f.file.rpartition("/")[0] for f in errors(result.findings)}
    return {folder: version_range(minors) for folder, minors in sorted(result.ranges.items()) if folder not in failed}


def _print(result: Result, fmt: str) -> None:
    bad = errors(result.findings)
    counts = {s.value: sum(f.severity is s for f in result.findings) for s in Severity}
    if fmt == "json":
        findings = [
            {"file": f.file, "line": f.line, "column": f.col, "severity": f.severity.value, "rule": f.rule}
            | {"message": f.message}
            for f in result.findings
        ]
        print(json.dumps({"findings": findings, "valid_for": _valid_for(result), "counts": counts}, indent=1))
    else:
        for finding in result.findings:
            print(_github(finding) if fmt == "github" else finding)
    sys.stdout.flush()  # findings first, then the summary, also when both go to one terminal
    for folder, versions in _valid_for(result).items():
        print(f"{folder}/: valid for Kubernetes {versions}", file=sys.stderr)
    print(
        f"{len(bad)} error(s), {counts['warning']} warning(s), {counts['note']} note(s)"
        + (f"; {len(result.unchecked)} path(s) could not be checked" if result.unchecked else ""),
        file=sys.stderr,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="netdocs", description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser(
        "validate",
        help="check Kubernetes manifests and shell steps offline",
        description=(
            "Check manifests (*.yaml, *.yml) and shell steps (*.sh). A folder with example.toml is one "
            "self-contained example; other files are judged as the API server would, each beside the others given."
        ),
    )
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    check.add_argument(
        "--self-contained",
        action="store_true",
        help="the paths are one example: a reference to an object not among them is an error, not a note",
    )
    check.add_argument(
        "--strict", action="store_true", help="a kind with no schema (a CRD not given) is an error, not a warning"
    )
    check.add_argument(
        "--crd",
        action="append",
        type=Path,
        default=[],
        metavar="FILE|DIR",
        help="CustomResourceDefinitions to check custom resources against (repeatable); they are checked too",
    )
    check.add_argument("--format", choices=("text", "json", "github"), default="text", help="output (default: text)")
    args = parser.parse_args(argv)
    gc.disable()  # a short run that builds many small objects: collection pauses are pure cost
    try:
        result = run(args.paths, self_contained=args.self_contained, strict=args.strict, crds=args.crd)
    except ToolMissing as exc:
        print(f"netdocs: could not check: {exc}", file=sys.stderr)
        return UNCHECKED
    except Exception as exc:  # a person gets one line, never a traceback
        print(
            f"netdocs: internal error ({type(exc).__name__}: {exc}); please report it with the input", file=sys.stderr
        )
        return UNCHECKED
    finally:
        gc.enable()
    _print(result, args.format)
    if errors([f for f in result.findings if f not in result.unchecked]):
        return INVALID
    return UNCHECKED if result.unchecked else VALID


if __name__ == "__main__":
    sys.exit(main())
