"""What a reader does on the site, as small steps the browser tests share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from netdocs.dev import builtsite

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
# Makes the closed shadow roots Material draws a diagram into open, so tests can look at the
# SVG of a diagram drawn in the browser (drawings put in by the build are open already).
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attach.call(this, { ...init, mode: "open" }); };
"""
# Two frames: layout, then what resize and intersection observers do. A page that draws no
# frames (hidden, or a starved renderer) goes on after half a second instead of waiting forever.
NEXT_FRAME = """() => new Promise(done => {
    requestAnimationFrame(() => requestAnimationFrame(done));
    setTimeout(done, 500);
})"""

# Every drawn diagram has its drawing: netdocs.js fetches one as it nears the screen, and all
# of them when the reader presses Ctrl+F (or Cmd+F) to find a word.
DRAWINGS_SHOWN = """() => [...document.querySelectorAll("div.mermaid[data-diagram]")]
    .filter(host => host.shadowRoot?.querySelector("svg")?.childElementCount > 0).length"""
_ALL_DRAWN = f"""() => ({DRAWINGS_SHOWN})() === document.querySelectorAll("div.mermaid[data-diagram]").length"""


async def drawings_problems(page: Page, find: bool = False) -> list[str]:
    """Wait until every diagram has its drawing, after pressing Ctrl+F if ``find``; a problem
    if one never arrives."""
    if find:
        await page.keyboard.press("Control+f")
    try:
        await page.wait_for_function(_ALL_DRAWN, timeout=TIMEOUT_MS)
    except PlaywrightTimeout:
        return [
            f"not every diagram had its drawing {TIMEOUT_MS // 1000} s after {'Ctrl+F' if find else 'coming into view'}"
        ]
    return []


@dataclass
class Visit:
    """A page in a fresh browser context, with everything it asked for and complained about."""

    page: Page
    origin: str
    requests: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    step: str = "loading the page"  # what the visit is doing, for a report of where it got stuck

    def problems(self, allow_status: tuple[int, ...] = ()) -> list[str]:
        """Console errors, page errors, failed local requests and requests to other hosts."""
        failed = [f for f in self.failed if not any(f.startswith(f"{s} ") for s in allow_status)]
        return (
            [f"console: {e}" for e in self.errors]
            + [f"failed: {f}" for f in failed]
            + [f"external request: {u}" for u in self.external]
        )


_INITIALIZER = re.compile(r'class="md-search-result__meta">\s*([^<]+?)\s*<')
TIMEOUT_MS = 15_000


async def open_page(visit: Visit, base_url: str, target: builtsite.Page, search: bool = False) -> None:
    """Load a page (and, with ``search``, wait until the search index is ready).

    A page that never gets there fails with what went wrong on the way (refused external
    requests, console errors), not with a bare timeout.
    """
    try:
        await visit.page.goto(base_url + target.url, wait_until="load", timeout=TIMEOUT_MS)
        if search:
            await wait_for_search(visit.page, target)
    except PlaywrightTimeout as exc:
        problems = "\n  ".join(visit.problems()) or "nothing recorded"
        reason = exc.message.splitlines()[0]
        raise AssertionError(f"/{target.url} did not get ready ({reason}):\n  {problems}") from None


async def wait_for_search(page: Page, target: builtsite.Page) -> None:
    """The search worker has loaded the language's index (the meta line leaves "Initializing")."""
    match = _INITIALIZER.search(target.html)
    assert match, f"{target.url or '/'}: no search box on the page"
    await page.wait_for_function(
        "init => document.querySelector('.md-search-result__meta').textContent.trim() !== init",
        arg=match.group(1),
        timeout=TIMEOUT_MS,
    )


def site_path(url: str, base_url: str) -> str:
    """A result or link URL as a site-relative page URL: no query, no fragment, no origin."""
    path = urlsplit(url).path
    return path.removeprefix(urlsplit(base_url).path)
