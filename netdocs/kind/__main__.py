"""``python -m netdocs.kind config|preflight|plan|reference``.

The cluster config, what this machine lacks, what a run will do with its worst-case budget
(no Docker needed), or the check-type reference table CONTRIBUTING.md carries.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from netdocs.examples import load_examples
from netdocs.kind import addons, checktypes, plan, preflight, selftest
from netdocs.kind.clusterconfig import render


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m netdocs.kind", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("config", help="print the kind cluster config (kind/cluster.yaml is exactly this)")
    sub.add_parser("preflight", help="check this machine for the kind tier; one line per problem")
    planning = sub.add_parser("plan", help="each example's calls and waits, their limits, and the run's budget")
    planning.add_argument("--workers", type=int, default=plan.DEFAULT_WORKERS, help="examples at once")
    planning.add_argument("-k", dest="select", default="", help="only examples whose name contains this")
    planning.add_argument("--budget", type=float, default=None, help="the run's budget in minutes (kind.yml's)")
    sub.add_parser("reference", help="the check types and their retry policies, as a Markdown table")
    args = parser.parse_args(argv)
    if args.command == "config":
        sys.stdout.write(render())
        return 0
    if args.command == "plan":
        sys.stdout.write(run_plan(args.workers, args.select, args.budget))
        return 0
    if args.command == "reference":
        sys.stdout.write(checktypes.reference_table())
        return 0
    found = preflight.problems(preflight.gather())
    for line in found:
        print(f"kind tier: {line}", file=sys.stderr)
    return 1 if found else 0


def run_plan(workers: int, select: str = "", budget: float | None = None) -> str:
    examples = [e for e in load_examples() if select in e.name]
    with tempfile.TemporaryDirectory() as folder:
        probes = [plan.example_plan(e) for e in selftest.examples(Path(folder))]
        stages = addons.install_plan(
            cluster="netdocs",
            kubectl=("kubectl",),
            kind="kind",
            images=addons.images_to_preload(p for e in load_examples() for p in e.manifests),
            socket="/var/run/docker.sock",
            arch="amd64",
            archives=Path(folder),
            rest_of_gateway_api=Path(folder) / "rest.yaml",
        )
    setup = plan.setup_items(stages)
    return plan.render([plan.example_plan(e) for e in examples], probes, setup, workers, budget)


if __name__ == "__main__":
    sys.exit(main())
