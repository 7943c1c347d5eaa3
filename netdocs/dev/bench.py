"""``nox -s bench``: what contributors and readers wait for, as medians of several runs.

Measured: the full strict bilingual build, a rebuild after a one-page edit (as ``mkdocs
serve`` does it), offline validation of every snippet, the ``nox`` suite with warm
environments, the weight of the heaviest page, and Lighthouse scores of a representative
set of pages in both languages. These are measurements, not tests: the budgets are
printed next to them. One profiled build shows where a build's time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pymdownx.superfences import fence_code_format

from netdocs.dev import builtsite
from netdocs.dev.browser import FLAGS, find_chromium
from netdocs.dev.localsite import serve
from netdocs.paths import ROOT

BUILD_BUDGET_S = 5.0
# The project's build against a plain Material build of the same pages (same i18n and search
# plugins and Markdown extensions; no hooks, overrides or other project code).
BUILD_RATIO_BUDGET = 1.25
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 0.98, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
# Where a build's time goes: cumulative time of these functions in one profiled build.
PHASES = {
    "Markdown to HTML, both languages": "mkdocs/commands/build.py:_populate_page",
    "  of which the page calls (snippets, example boxes)": "netdocs/site/pagecache.py:on_page_markdown",
    "  of which pages expanded (not on disk yet)": "netdocs/site/macros.py:expand",
    "  of which snippet manifests checked (not on disk yet)": "netdocs/site/snippetcache.py:_checked",
    "  of which pygments highlighting (not on disk yet)": "pygments/__init__.py:highlight",
    "pages: Material templates and search indexing": "mkdocs/commands/build.py:_build_page",
    "  of which the search plugin parses each page": "material/plugins/search/plugin.py:add_entry_from_context",
    "  of which jieba segments Chinese": "material/plugins/search/plugin.py:_segment_chinese",
    "jieba dictionary trimmed to the site's words": "netdocs/site/hooks.py:on_env",
    "publish snippets, bundles, Mermaid; split index": "netdocs/site/hooks.py:on_post_build",
    "load config and plugins": "mkdocs/config/base.py:load_config",
}


@dataclass
class Figure:
    name: str
    runs: list[float]
    unit: str = "s"
    note: str = ""

    def line(self) -> str:
        spread = f"(min {min(self.runs):.2f}, max {max(self.runs):.2f}, {len(self.runs)} runs)"
        value = f"{statistics.median(self.runs):8.2f} {self.unit}"
        return f"  {self.name:<40}{value}  {spread}  {self.note}".rstrip()


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}


def timed(command: list[str], cwd: Path = ROOT) -> float:
    """Wall time of a command that must succeed; its output is shown only when it fails."""
    return timed_with_cpu(command, cwd)[0]


def timed_with_cpu(command: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """Wall time and CPU time (user + system, the process and its children) of a command that
    must succeed. On a shared machine the CPU time hardly depends on the others' load."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env(), capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-60:])
        raise SystemExit(f"bench: `{' '.join(command)}` failed:\n{tail}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def repeat(runs: int, measure: Callable[[], float], warm_up: bool = True) -> list[float]:
    if warm_up:
        measure()
    return [measure() for _ in range(runs)]


def build_command(site: Path, config: Path = ROOT / "mkdocs.yml", strict: bool = True) -> list[str]:
    check = ["--strict"] if strict else []
    return [sys.executable, "-m", "mkdocs", "build", *check, "--clean", "-f", str(config), "--site-dir", str(site)]


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as data: ``!ENV [NAME, default]`` is its default, a Python name its dotted name."""


_ConfigLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: suffix)


def plain_config(scratch: Path) -> Path:
    """mkdocs.yml as a plain Material site: the same pages, nav, i18n and search plugins and
    Markdown extensions, without hooks (page calls, code cache, diagrams, Chinese typography),
    template overrides, extra CSS or project code (diagrams use Material's own Mermaid fence).
    Snippet calls stay as literal text."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    config["docs_dir"] = str(ROOT / "docs")
    # Not strict: without the project's hooks, Chinese headings lack their English twins' ids,
    # and links to those ids warn. Strictness costs no time; the warnings are not measured.
    config["strict"] = False
    for key in ("hooks", "extra_css"):
        config.pop(key, None)
    config["theme"].pop("custom_dir", None)
    for extension in config["markdown_extensions"]:
        for fence in (
            extension.get("pymdownx.superfences", {}).get("custom_fences", []) if isinstance(extension, dict) else []
        ):
            fence["format"] = fence_code_format
    path = scratch / "plain-mkdocs.yml"
    path.write_text(yaml.dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def paired_builds(runs: int, scratch: Path) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Project and plain builds, alternated in one loop so machine load falls on both alike, and
    each goes first in every other pair (a build right after another finds the machine in a
    different state): per run ((wall, cpu) of ours, (wall, cpu) of the plain build)."""
    plain = plain_config(scratch)
    ours = lambda: timed_with_cpu(build_command(scratch / "site"))  # noqa: E731
    theirs = lambda: timed_with_cpu(build_command(scratch / "plain-site", plain, strict=False))  # noqa: E731
    ours(), theirs()  # warm-up: caches, bytecode, the page cache
    pairs = []
    for run in range(runs):
        if run % 2:
            plain_run = theirs()
            pairs.append((ours(), plain_run))
        else:
            pairs.append((ours(), theirs()))
    return pairs


def rebuild_times(runs: int, scratch: Path) -> list[float]:
    """Build once, then edit one page and build again, in one process as ``mkdocs serve`` does."""
    docs = scratch / "docs"
    shutil.copytree(ROOT / "docs", docs)
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from mkdocs.commands.build import build\n"
        "from mkdocs.config import load_config\n"
        "docs, site, page, runs = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])\n"
        "def once():\n"
        "    build(load_config(str(Path.cwd() / 'mkdocs.yml'), docs_dir=str(docs), site_dir=site, strict=True))\n"
        "once()\n"
        "for n in range(runs):\n"
        "    page.write_text(page.read_text(encoding='utf-8') + f'\\n<!-- bench edit {n} -->\\n', encoding='utf-8')\n"
        "    start = time.perf_counter(); once(); print(time.perf_counter() - start)\n"
    )
    page = docs / "services" / "clusterip.md"
    command = [sys.executable, "-c", script, str(docs), str(scratch / "site"), str(page), str(runs)]
    result = subprocess.run(command, cwd=ROOT, env=env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit("bench: rebuild failed:\n" + "\n".join(result.stderr.strip().splitlines()[-20:]))
    return [float(line) for line in result.stdout.split()]


def profile_build(scratch: Path) -> list[tuple[str, float]]:
    """One build under cProfile (in this process): seconds per phase, scaled to real time."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.update(env())
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(scratch / "profiled"), strict=True))
    profiler.disable()
    profiled = time.perf_counter() - start
    # pstats rows: (file, line, function) -> (calls, primitive calls, own time, cumulative time, callers)
    rows = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    out = []
    for label, where in PHASES.items():
        path, name = where.split(":")
        cumulative = sum(row[3] for (file, _, func), row in rows.items() if file.endswith(path) and func == name)
        out.append((label, cumulative / profiled))
    return out


def page_weights(site: builtsite.Site) -> list[tuple[int, int, str]]:
    """(gzip bytes, raw bytes, url) of each page's first load: the HTML and what it links."""
    weights = []
    for page in site.pages:
        html = page.html
        files = {page.file}
        for _, url in builtsite.resources(html):
            if not builtsite.is_external(url) and not url.startswith("data:"):
                target = (page.file.parent / url.split("?")[0]).resolve()
                if target.is_file():
                    files.add(target)
        raw = sum(f.stat().st_size for f in files)
        packed = sum(len(gzip.compress(f.read_bytes(), 6)) for f in files)
        weights.append((packed, raw, page.url))
    return sorted(weights, reverse=True)


def diagram_offset(html: str) -> int | None:
    """How far into the article the first diagram starts (characters), or None without one."""
    article, diagram = html.find("<article"), html.find('class="mermaid"')
    return diagram - article if 0 <= article < diagram else None


# Pages a reader reaches for, measured whatever their weight.
ALWAYS = ("", "network-policy/")
HEAVIEST_DIAGRAMS = 4


def diagram_weight(site: builtsite.Site, page: builtsite.Page) -> int:
    """Bytes of a page's drawings (SVG, netdocs/site/diagrams.py): what its diagrams cost to
    fetch, parse and lay out."""
    folder = site.root / builtsite.DRAWINGS_AT
    return sum((folder / f"{key}.svg").stat().st_size for key in builtsite.drawn_keys(page.html))


def representative(site: builtsite.Site, heaviest: str) -> list[builtsite.Page]:
    """The home page, network-policy, the heaviest page, the most diagram-first page and the pages
    with the heaviest diagrams, each with its other-language twin."""
    english = [p for p in site.pages if p.lang == "en"]
    offsets = {p.url: at for p in english if (at := diagram_offset(p.html)) is not None}
    diagram_first = min(offsets, key=offsets.__getitem__, default=None)
    by_diagrams = sorted(english, key=lambda p: diagram_weight(site, p), reverse=True)[:HEAVIEST_DIAGRAMS]
    chosen: list[str] = []
    for url in [*ALWAYS, heaviest, diagram_first, *(p.url for p in by_diagrams)]:
        if url is None or url not in {p.url for p in site.pages}:
            continue
        page = site.page(url)
        for twin in [page.url, *page.alternates.values()]:
            if twin not in chosen:
                chosen.append(twin)
    return [site.page(url) for url in chosen]


def lighthouse(url: str, chrome: str, out: Path) -> dict[str, Any]:
    """Scores per category, bytes loaded, and per category the weighted audits that cost points."""
    flags = " ".join(FLAGS)
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={flags}",
    ]
    result = subprocess.run(
        command, env={**env(), "CHROME_PATH": chrome}, capture_output=True, text=True, check=False, timeout=300
    )
    if result.returncode != 0 or not out.is_file():
        raise SystemExit(f"bench: Lighthouse failed on {url}:\n{result.stderr.strip()[-2000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    scores: dict[str, Any] = {name: report["categories"][name]["score"] for name in CATEGORIES}
    scores["weight"] = report["audits"]["total-byte-weight"]["numericValue"]
    scores["tbt"] = report["audits"]["total-blocking-time"]["numericValue"]
    # Lighthouse's measure of the machine's speed during the run: low on a loaded machine,
    # whose slower main thread its simulated throttling (4x CPU) takes for the page's.
    scores["cpu index"] = report["environment"]["benchmarkIndex"]
    scores["version"] = report["lighthouseVersion"]
    for name in CATEGORIES:  # the weighted audits that cost points, per category
        scores[f"{name}:failing"] = [
            ref["id"]
            for ref in report["categories"][name]["auditRefs"]
            if ref.get("weight")
            and (report["audits"][ref["id"]].get("score") is not None)
            and report["audits"][ref["id"]]["score"] < 1
        ]
    return scores


def build_figures(runs: int, scratch: Path) -> list[Figure]:
    """The project's build against the plain Material build, paired run by run, in wall and CPU time."""
    pairs = paired_builds(runs, scratch)
    build_runs, plain_runs = [ours[0] for ours, _ in pairs], [plain[0] for _, plain in pairs]
    verdict = "within" if statistics.median(build_runs) <= BUILD_BUDGET_S else "OVER"
    ratios = [ours[0] / plain[0] for ours, plain in pairs]
    ratio_verdict = "within" if statistics.median(ratios) <= BUILD_RATIO_BUDGET else "OVER"
    cpu_ratios = [ours[1] / plain[1] for ours, plain in pairs]
    cpu_verdict = "within" if statistics.median(cpu_ratios) <= BUILD_RATIO_BUDGET else "OVER"
    return [
        Figure("full strict bilingual build", build_runs, note=f"budget {BUILD_BUDGET_S:.0f} s on 2 CPUs: {verdict}"),
        Figure("plain Material build, same pages", plain_runs, note="paired with the build above, run by run"),
        Figure(
            "build / plain Material build",
            ratios,
            unit="x",
            note=f"budget {BUILD_RATIO_BUDGET:.2f}x: {ratio_verdict}",
        ),
        Figure("  the same in CPU time (user + system)", cpu_ratios, unit="x", note=f"{cpu_verdict}; load-proof"),
    ]


def timings(runs: int, scratch: Path, with_nox: bool = True) -> list[Figure]:
    validate = [sys.executable, "-m", "netdocs", "validate", "snippets"]
    figures = [
        *build_figures(runs, scratch),
        Figure("rebuild after a one-page edit", rebuild_times(runs, scratch / "rebuild")),
        Figure("offline validation of all snippets", repeat(runs, lambda: timed(validate))),
    ]
    if with_nox:
        nox = shutil.which("nox") or "nox"
        timed([nox, "--reuse-existing-virtualenvs"])  # warm-up: create or update the environments
        figures.append(Figure("nox suite, warm environments (nox -R)", repeat(runs, lambda: timed([nox, "-R"]), False)))
    return figures


def lighthouse_table(site: builtsite.Site, pages: list[builtsite.Page], runs: int, scratch: Path) -> list[str]:
    """Print median scores per page, with total blocking time (the metric long pages lose points
    on), Lighthouse's CPU index and the load average (to tell a slow page from a busy machine);
    return the scores below target, with the audits that failed."""
    chrome = find_chromium()
    print(f"\nLighthouse (mobile, simulated slow 4G, default 4x CPU slowdown), median of {runs} runs per page;")
    print("  targets: " + ", ".join(f"{name} >= {target:.2f}" for name, target in TARGETS.items()))
    heads = ("perf", "a11y", "best pr.", "seo", "TBT ms", "KiB", "CPU index", "load")
    print(f"  {'page':<36}" + "".join(f"{head:>10}" for head in heads))
    below: list[str] = []
    versions: set[str] = set()
    with serve(site.root) as base:
        for page in pages:
            results = [lighthouse(base + page.url, chrome, scratch / f"lh-{n}.json") for n in range(runs)]
            versions |= {r["version"] for r in results}
            medians = {name: statistics.median(r[name] for r in results) for name in (*CATEGORIES, "tbt", "cpu index")}
            weight = statistics.median(r["weight"] for r in results)
            scores = "".join(f"{medians[name]:>10.2f}" for name in CATEGORIES)
            load = os.getloadavg()[0]
            extra = f"{medians['tbt']:>10.0f}{weight / 1024:>10.0f}{medians['cpu index']:>10.0f}{load:>10.1f}"
            print(f"  /{page.url:<35}{scores}{extra}")
            for name, target in TARGETS.items():
                if medians[name] < target:
                    failing = sorted({a for r in results for a in r[f"{name}:failing"]})
                    below.append(f"/{page.url} {name} {medians[name]:.2f} < {target:.2f} ({', '.join(failing)})")
    print(f"  Lighthouse {', '.join(sorted(versions))}")
    return below


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s bench --", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median reported); default 5")
    parser.add_argument("--lighthouse-runs", type=int, help="Lighthouse runs per page; default --runs")
    parser.add_argument("--skip-nox", action="store_true", help="leave out the nox suite (minutes per run)")
    parser.add_argument("--builds-only", action="store_true", help="only the build against the plain Material build")
    args = parser.parse_args(argv)
    runs = max(1, args.runs)
    lighthouse_runs = max(1, args.lighthouse_runs or runs)
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"netdocs bench: {os.cpu_count()} CPUs (load average {load}), Python {platform.python_version()}, "
        f"Node {node}, medians of {runs}"
    )
    with tempfile.TemporaryDirectory(prefix="netdocs-bench-") as tmp:
        scratch = Path(tmp)
        if args.builds_only:
            for figure in build_figures(runs, scratch):
                print(figure.line())
            print("load average at the end: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
            return 0
        for figure in timings(runs, scratch, with_nox=not args.skip_nox):
            print(figure.line())
        site = builtsite.load(scratch / "site")
        packed, raw, heaviest = page_weights(site)[0]
        print(
            f"  {'heaviest page':<40}{packed / 1024:8.1f} KiB  gzip on first load (HTML, CSS, scripts), "
            f"{raw / 1024:.0f} KiB uncompressed: /{heaviest}"
        )
        print("\nWhere a build's time goes (one profiled build, share of its time):")
        for label, share in profile_build(scratch):
            print(f"  {label:<52}{share:6.0%}")
        below = lighthouse_table(site, representative(site, heaviest), lighthouse_runs, scratch)
    print("\n" + ("All Lighthouse targets met." if not below else "Below target:\n  " + "\n  ".join(below)))
    print("load average at the end: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
