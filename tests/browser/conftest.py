"""Browser fixtures: the built site on loopback under its sub-path, and one headless Chromium.

The browser is driven through Playwright's async API on one event loop for the whole session
(``async def`` tests run on it), so many pages of the one browser load and are checked side
by side: ``page_problems`` checks every page once, PARALLEL at a time. Every request the
browser makes is recorded; any request to a host other than the local server is refused, as
if the network were cut, and reported by the tests. The site under test is
``$NETDOCS_SITE_DIR`` when given, else the current build in site/ or a fresh one (builtsite.built).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import re
from collections.abc import Awaitable, Callable, Iterator
from urllib.parse import urlsplit

import pytest
from actions import DESKTOP, OPEN_SHADOW_ROOTS, Visit
from pagechecks import page_problems
from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Request, Response, Route, async_playwright
from playwright.async_api import Error as PlaywrightError

from netdocs.dev import builtsite
from netdocs.dev.browser import ChromiumMissing, launch
from netdocs.dev.localsite import serve

# Pages checked at once. The work is the browser's (layout, scripts), so a few more than the
# two cores keep both busy while others wait on the loopback server or a frame.
PARALLEL = 4
# No step of the suite waits without an end: a page's checks, a test, opening or closing a
# context. A run that hits one says where; the browser tests after it are not run (the browser
# may have stopped answering), so the run ends in minutes instead of hanging until CI kills it.
PAGE_LIMIT_S, TEST_LIMIT_S, CONTEXT_LIMIT_S = 120, 120, 15
STUCK: list[str] = []  # what got stuck first


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``page_url``: every page of the built site, so pages are covered as they land."""
    if "page_url" in metafunc.fixturenames:
        urls = [page.url for page in builtsite.built().pages]
        metafunc.parametrize("page_url", urls, ids=[u.strip("/") or "home" for u in urls])


@pytest.fixture(scope="session")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """The event loop the browser lives on, for the whole session."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """``async def`` tests run to completion on the session's loop (they use its browser)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    assert "loop" in pyfuncitem.funcargs, f"{pyfuncitem.nodeid}: an async test must use the browser's fixtures"
    if STUCK:
        pytest.fail(f"not run: {STUCK[0]} first", pytrace=False)
    args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    try:
        pyfuncitem.funcargs["loop"].run_until_complete(asyncio.wait_for(pyfuncitem.obj(**args), TEST_LIMIT_S))
    except TimeoutError:
        STUCK.append(f"{pyfuncitem.nodeid} got stuck")
        pytest.fail(f"{pyfuncitem.nodeid} did not finish within {TEST_LIMIT_S} s", pytrace=False)
    return True


@pytest.fixture(scope="session")
def site() -> builtsite.Site:
    return builtsite.built()


@pytest.fixture(scope="session")
def base_url(site: builtsite.Site) -> Iterator[str]:
    prefix = urlsplit(site.url).path
    with serve(site.root, prefix) as url:
        yield url


@pytest.fixture(scope="session")
def browser(loop: asyncio.AbstractEventLoop) -> Iterator[Browser]:
    playwright = loop.run_until_complete(async_playwright().start())
    try:
        browser = loop.run_until_complete(launch(playwright))
    except ChromiumMissing as exc:
        loop.run_until_complete(playwright.stop())
        pytest.exit(str(exc), returncode=1)
    yield browser
    with contextlib.suppress(TimeoutError, PlaywrightError):
        loop.run_until_complete(asyncio.wait_for(browser.close(), CONTEXT_LIMIT_S))
    loop.run_until_complete(playwright.stop())


async def _record(visit: Visit, context: BrowserContext) -> None:
    async def refuse(route: Route) -> None:
        visit.external.append(route.request.url)
        await route.abort("blockedbyclient")

    def answered(response: Response) -> None:
        if response.status >= 400:
            visit.failed.append(f"{response.status} {response.url}")

    def console(message: ConsoleMessage) -> None:
        # Refused external requests are reported as such, not again as console noise.
        if message.type == "error" and not re.search(r"ERR_BLOCKED_BY_CLIENT", message.text):
            visit.errors.append(message.text)

    def failed(request: Request) -> None:
        # Refused external requests are listed apart; requests cut short because the test
        # navigated on (ERR_ABORTED) did not fail.
        if request.url.startswith(visit.origin) and "ERR_ABORTED" not in (request.failure or ""):
            visit.failed.append(f"{request.failure} {request.url}")

    # Only what is not the local site comes to Python: the pattern is matched in Playwright's driver.
    await context.route(re.compile(rf"^(?!{re.escape(visit.origin)}|data:|blob:)"), refuse)
    context.on("request", lambda request: visit.requests.append(request.url))
    context.on("response", answered)
    context.on("requestfailed", failed)
    context.on("console", console)
    context.on("weberror", lambda error: visit.errors.append(f"uncaught: {error.error}"))


async def new_visit(browser: Browser, base_url: str) -> tuple[BrowserContext, Visit]:
    """A fresh context (clipboard allowed, desktop size) whose page has not navigated yet."""
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(base_url))
    context = await browser.new_context(viewport=DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    await context.add_init_script(OPEN_SHADOW_ROOTS)
    record = Visit(await context.new_page(), origin)
    await _record(record, context)
    return context, record


async def opened(browser: Browser, base_url: str) -> tuple[BrowserContext, Visit]:
    """new_visit within CONTEXT_LIMIT_S; a browser that gives no context is what got stuck."""
    try:
        return await asyncio.wait_for(new_visit(browser, base_url), CONTEXT_LIMIT_S)
    except TimeoutError:
        STUCK.append(f"the browser gave no new context within {CONTEXT_LIMIT_S} s")
        raise


async def close(context: BrowserContext) -> None:
    """Close a context; one the browser no longer answers for is left to the browser's end."""
    with contextlib.suppress(TimeoutError, PlaywrightError):
        await asyncio.wait_for(context.close(), CONTEXT_LIMIT_S)


@pytest.fixture
def visit(browser: Browser, base_url: str, loop: asyncio.AbstractEventLoop) -> Iterator[Visit]:
    context, record = loop.run_until_complete(opened(browser, base_url))
    yield record
    loop.run_until_complete(close(context))


@pytest.fixture
def more_visits(
    browser: Browser, base_url: str, loop: asyncio.AbstractEventLoop
) -> Iterator[Callable[[], Awaitable[Visit]]]:
    """For a test that loads pages side by side: each call, a visit in a fresh context."""
    contexts: list[BrowserContext] = []

    async def another() -> Visit:
        context, record = await opened(browser, base_url)
        contexts.append(context)
        return record

    yield another
    for context in contexts:
        loop.run_until_complete(close(context))


def held_until(done: asyncio.Event) -> Callable[[Route], Awaitable[None]]:
    """A route that answers nothing until ``done``, then drops the request.

    The page checks hold the search index: netdocs.js requests it once the browser is idle,
    and building it in Material's search worker costs as much as the rest of a page's checks.
    test_search.py loads it and searches."""

    async def hold(route: Route) -> None:
        await done.wait()
        with contextlib.suppress(PlaywrightError):
            await route.abort()

    return hold


@pytest.fixture(scope="session")
def checked_pages(
    request: pytest.FixtureRequest,
    browser: Browser,
    base_url: str,
    site: builtsite.Site,
    loop: asyncio.AbstractEventLoop,
) -> dict[str, list[str]]:
    """What is wrong with each page the run selected (pagechecks.page_problems), every page
    visited once in its own context, PARALLEL at a time in the one browser.

    A page whose checks take over PAGE_LIMIT_S is reported with the step it was stuck at, and
    the pages not started by then are reported as not checked: a browser that stops answering
    ends the run in minutes with one cause, not with every page waiting out its limit."""
    selected = {item.callspec.params.get("page_url") for item in request.session.items if hasattr(item, "callspec")}
    targets = [page for page in site.pages if page.url in selected]
    slots = asyncio.Semaphore(PARALLEL)

    async def check(target: builtsite.Page) -> list[str]:
        async with slots:
            if STUCK:
                return [f"not checked: {STUCK[0]} first"]
            try:
                context, record = await opened(browser, base_url)
            except TimeoutError:
                return [f"not checked: {STUCK[0]}"]
            done = asyncio.Event()

            async def checks() -> list[str]:
                await context.route("**/search/search_index.json", held_until(done))
                return await page_problems(record, base_url, target)

            try:
                return await asyncio.wait_for(checks(), PAGE_LIMIT_S)
            except TimeoutError:
                STUCK.append(f"/{target.url} got stuck {record.step}")
                return [*record.problems(), f"did not finish within {PAGE_LIMIT_S} s: stuck {record.step}"]
            except (AssertionError, PlaywrightError) as exc:  # the page's own test reports it
                return [*record.problems(), f"{type(exc).__name__}: {exc}"]
            finally:
                done.set()
                await close(context)

    async def check_all() -> list[list[str]]:
        return await asyncio.gather(*(check(target) for target in targets))

    return dict(zip((p.url for p in targets), loop.run_until_complete(check_all()), strict=True))
