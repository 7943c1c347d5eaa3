"""``python -m netdocs validate PATH...``: one line per finding; exit 1 when any is an error.

stdout carries only findings (``file:line:col: severity[rule]: message``), so it can be piped
or diffed; the compatible Kubernetes versions of each example and the totals go to stderr.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from netdocs.check.findings import errors
from netdocs.check.manifests import version_range
from netdocs.check.shell import ToolMissing
from netdocs.check.validate import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="netdocs", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser(
        "validate",
        help="check Kubernetes manifests and shell steps offline",
        description="Check manifests (*.yaml, *.yml) and shell steps (*.sh); each folder is one example.",
    )
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    args = parser.parse_args(argv)
    gc.disable()  # a short run that builds many small objects: collection pauses are pure cost
    try:
        result = run(args.paths)
    except ToolMissing as exc:
        print(f"netdocs: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a person gets one line, never a traceback
        print(
            f"netdocs: internal error ({type(exc).__name__}: {exc}); please report it with the input", file=sys.stderr
        )
        return 1
    finally:
        gc.enable()
    for finding in result.findings:
        print(finding)
    for folder, minors in sorted(result.ranges.items()):
        print(f"{folder}/: valid for Kubernetes {version_range(minors)}", file=sys.stderr)
    bad = errors(result.findings)
    print(f"{len(bad)} error(s), {len(result.findings) - len(bad)} warning(s)", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
