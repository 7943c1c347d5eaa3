"""Browser fixtures: the built site on loopback under its sub-path, and headless Chromium.

Every request the browser makes is recorded; any request to a host other than the local
server is refused, as if the network were cut, and reported by the tests. The site under
test is ``$NETDOCS_SITE_DIR`` (``nox -s browser`` builds it first) or a fresh strict build.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from actions import DESKTOP, OPEN_SHADOW_ROOTS, TIMEOUT_MS, Visit
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Request, Route, sync_playwright

from netdocs.dev import builtsite
from netdocs.dev.browser import ChromiumMissing, launch
from netdocs.dev.localsite import serve


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``page_url``: every page of the built site, so pages are covered as they land."""
    if "page_url" in metafunc.fixturenames:
        urls = [page.url for page in builtsite.built().pages]
        metafunc.parametrize("page_url", urls, ids=[u.strip("/") or "home" for u in urls])


@pytest.fixture(scope="session")
def site() -> builtsite.Site:
    return builtsite.built()


@pytest.fixture(scope="session")
def base_url(site: builtsite.Site) -> Iterator[str]:
    prefix = urlsplit(site.url).path
    with serve(site.root, prefix) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        try:
            browser = launch(playwright)
        except ChromiumMissing as exc:
            pytest.exit(str(exc), returncode=1)
        yield browser
        browser.close()


def _record(visit: Visit, context: BrowserContext) -> None:
    def route(route: Route) -> None:
        url = route.request.url
        if url.startswith((visit.origin, "data:", "blob:")):
            route.continue_()
        else:
            visit.external.append(url)
            route.abort("blockedbyclient")

    def finished(request: Request) -> None:
        response = request.response()
        if response is not None and response.status >= 400:
            visit.failed.append(f"{response.status} {request.url}")

    def console(message: ConsoleMessage) -> None:
        # Refused external requests are reported as such, not again as console noise.
        if message.type == "error" and not re.search(r"ERR_BLOCKED_BY_CLIENT", message.text):
            visit.errors.append(message.text)

    def failed(request: Request) -> None:
        # Refused external requests are listed apart; requests cut short because the test
        # navigated on (ERR_ABORTED) did not fail.
        if request.url.startswith(visit.origin) and "ERR_ABORTED" not in (request.failure or ""):
            visit.failed.append(f"{request.failure} {request.url}")

    context.route("**/*", route)
    context.on("request", lambda request: visit.requests.append(request.url))
    context.on("requestfinished", finished)
    context.on("requestfailed", failed)
    context.on("console", console)
    context.on("weberror", lambda error: visit.errors.append(f"uncaught: {error.error}"))


def _new_visit(browser: Browser, base_url: str) -> tuple[BrowserContext, Visit]:
    """A fresh context (clipboard allowed, desktop size) whose page has not navigated yet."""
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(base_url))
    context = browser.new_context(viewport=DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    context.add_init_script(OPEN_SHADOW_ROOTS)
    record = Visit(context.new_page(), origin)
    _record(record, context)
    return context, record


@pytest.fixture
def visit(browser: Browser, base_url: str) -> Iterator[Visit]:
    context, record = _new_visit(browser, base_url)
    yield record
    context.close()


class Preloader:
    """Pages load ahead of their test, each in its own context of the one browser: while one
    page is checked, the browser loads the next ones, so pages load in parallel and each page
    is visited once."""

    AHEAD = 2

    def __init__(self, browser: Browser, base_url: str, urls: list[str]) -> None:
        self.browser, self.base_url, self.urls = browser, base_url, urls
        self.started: dict[str, tuple[BrowserContext, Visit]] = {}

    def _start(self, url: str) -> None:
        context, record = _new_visit(self.browser, self.base_url)
        record.page.goto(self.base_url + url, wait_until="commit", timeout=TIMEOUT_MS)
        self.started[url] = (context, record)

    def take(self, url: str) -> tuple[BrowserContext, Visit]:
        """The visit of ``url`` (loading or loaded); the next pages start loading."""
        if url not in self.started:
            self._start(url)
        at = self.urls.index(url) if url in self.urls else len(self.urls)
        for following in self.urls[at + 1 : at + 1 + self.AHEAD]:
            if following not in self.started:
                self._start(following)
        return self.started.pop(url)

    def close(self) -> None:
        for context, _ in self.started.values():
            context.close()


@pytest.fixture(scope="session")
def preloader(browser: Browser, base_url: str, site: builtsite.Site) -> Iterator[Preloader]:
    loader = Preloader(browser, base_url, [page.url for page in site.pages])
    yield loader
    loader.close()


@pytest.fixture
def loaded(preloader: Preloader, page_url: str) -> Iterator[Visit]:
    """``page_url`` in its own context, loading since an earlier test (see Preloader)."""
    context, record = preloader.take(page_url)
    yield record
    context.close()
