"""Site-wide behaviour in Chromium: the bilingual 404 page under the sub-path, dark mode, diagrams."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from actions import PHONE, TIMEOUT_MS, Visit, open_page
from pagechecks import reader_copy_and_download_problems
from playwright.async_api import Route

from netdocs.dev import builtsite

# A drawn diagram as the build puts it in a page (netdocs.site.diagrams.put_drawings).
DRAWN = re.compile(
    r'<div class="mermaid" data-diagram="\w+">'
    r'<template shadowrootmode="open">.*?</template></div>',
    re.S,
)


@pytest.mark.parametrize("missing", ["no-such-page/", "zh/no-such-page/", "services/no/such/page.html"])
async def test_missing_page_gets_the_bilingual_404(visit: Visit, base_url: str, missing: str) -> None:
    """GitHub Pages serves the root 404.html for any missing path; it must work at any depth."""
    response = await visit.page.goto(base_url + missing, wait_until="load", timeout=TIMEOUT_MS)
    assert response is not None
    assert response.status == 404
    text = await visit.page.locator("article").inner_text()
    assert "page not found" in text
    assert "页面不存在" in text
    assert (await visit.page.locator("article section[lang='zh'] a").get_attribute("href")).endswith("/zh/")
    # Styles, scripts and the search index still load from the site's root, not the missing path.
    assert await visit.page.locator("header.md-header").is_visible()
    assert visit.failed == [f"404 {base_url}{missing}"], "only the missing page itself may fail"
    assert [e for e in visit.errors if "status of 404" not in e] == []
    assert visit.external == []


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_reader_copies_and_downloads_what_the_page_shows(
    visit: Visit, base_url: str, site: builtsite.Site, lang: str
) -> None:
    """Clicked as a reader does, on the first page of the language with a collapsed supporting
    workload and an example archive: the copy button, a download link and the archive."""
    target = next(
        p
        for p in site.pages
        if p.lang == lang and 'class="example nd-support"' in p.html and '.zip" download' in p.html
    )
    await open_page(visit, base_url, target)
    assert await reader_copy_and_download_problems(visit.page, base_url) == [], f"/{target.url}"
    assert visit.problems() == []


async def test_dark_mode_follows_the_system_and_the_toggle(visit: Visit, base_url: str, site: builtsite.Site) -> None:
    page = visit.page
    await page.emulate_media(color_scheme="dark")
    await page.goto(base_url, wait_until="load", timeout=TIMEOUT_MS)
    assert await page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    await page.locator("form[data-md-component='palette'] label:visible").first.click()
    assert await page.locator("body").get_attribute("data-md-color-scheme") == "default"
    background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(255, 255, 255)"
    assert visit.problems() == []


# Every CSS transition running on the page, as "property on tag".
TRANSITIONS = """() => document.getAnimations().filter((a) => a instanceof CSSTransition)
    .map((a) => `${a.transitionProperty} on ${a.effect.target.tagName.toLowerCase()}`)"""
FRAMES = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(r))))"


async def test_switching_colours_starts_no_transitions(visit: Visit, base_url: str, site: builtsite.Site) -> None:
    """Material's rule against transitions during a switch is keyed to the attribute netdocs.js
    sets only on a switch (netdocs/site/palette.py): the toggle switches at once, and the page
    does have colour transitions that a switch without the attribute starts."""
    page = visit.page
    target = site.page("ingress/")  # links, code and tables: many elements with colour transitions
    await page.goto(base_url + target.url, wait_until="load", timeout=TIMEOUT_MS)
    switched = await page.evaluate(
        f"""() => {{
        document.querySelector("form[data-md-component='palette'] input[data-md-color-scheme='slate']").click();
        return [document.body.dataset.mdColorScheme, document.body.hasAttribute("data-nd-color-switching"),
                ({TRANSITIONS})()];
    }}"""
    )
    assert switched == ["slate", True, []], f"/{target.url}: the palette toggle started transitions"
    await page.evaluate(FRAMES)
    assert not await page.evaluate("document.body.hasAttribute('data-nd-color-switching')")
    assert await page.evaluate(TRANSITIONS) == []
    control = await page.evaluate(
        f"() => {{ document.body.setAttribute('data-md-color-scheme', 'default'); return ({TRANSITIONS})(); }}"
    )
    assert control, f"/{target.url}: no colour transitions at all, so the first check proves nothing"
    assert visit.problems() == []


async def test_phone_reader_can_open_the_menu_and_search(visit: Visit, base_url: str, site: builtsite.Site) -> None:
    page = visit.page
    await page.set_viewport_size(PHONE)
    await page.goto(base_url, wait_until="load", timeout=TIMEOUT_MS)
    await page.locator("label.md-header__button[for='__drawer']").click()
    assert await page.locator("nav.md-nav--primary").first.is_visible()
    await page.mouse.click(PHONE["width"] - 10, PHONE["height"] // 2)  # the overlay beside the drawer closes it
    await page.locator("label.md-header__button[for='__search']").click()
    assert await page.locator("input.md-search__input").is_visible()
    assert visit.problems() == []


def diagram_page(site: builtsite.Site) -> builtsite.Page:
    return next(p for p in site.pages if p.lang == "en" and builtsite.drawn_keys(p.html))


# Labels against the paint behind them, arrowheads against the page (WCAG 1.4.3, 1.4.11).
CONTRAST = (Path(__file__).parent / "contrast.js").read_text(encoding="utf-8")
TEXT, GRAPHICS = 4.5, 3.0


def every_drawing(site: builtsite.Site) -> str:
    """Each drawing the site shows, once, as it is in its page once it has arrived."""
    keys = dict.fromkeys(key for page in site.pages for key in builtsite.drawn_keys(page.html))
    folder = site.root / builtsite.DRAWINGS_AT
    return "".join(
        f'<div class="mermaid" data-diagram="{key}"><template shadowrootmode="open">'
        f"{(folder / f'{key}.svg').read_text(encoding='utf-8')}</template></div>"
        for key in keys
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_every_drawing_is_readable_in_light_and_dark_mode(
    visit: Visit, base_url: str, site: builtsite.Site, scheme: str
) -> None:
    """A drawing's colours are Material's CSS variables, so one drawing serves both schemes; no
    colour may be fixed in it. (Mermaid 12's own theme painted subgraphs, actors and notes pale
    colours that dark mode could not reach, under pale labels.)"""
    page = visit.page
    await page.emulate_media(color_scheme=scheme)
    await page.goto(base_url + diagram_page(site).url, wait_until="load", timeout=TIMEOUT_MS)
    expected = "slate" if scheme == "dark" else "default"
    assert await page.locator("body").get_attribute("data-md-color-scheme") == expected
    await page.locator("article").evaluate("(article, html) => article.setHTMLUnsafe(html)", every_drawing(site))
    found = await page.evaluate(CONTRAST)
    drawn = {key for shown in site.pages for key in builtsite.drawn_keys(shown.html)}
    assert {item["diagram"] for item in found} == drawn
    low = [item for item in found if item["ratio"] < (GRAPHICS if item["what"].startswith("arrowhead") else TEXT)]
    assert low == [], f"{len(low)} parts of drawings too faint in {scheme} mode"
    assert visit.problems() == []


UNDRAWN = '<pre class="mermaid" data-search-exclude=""><code>graph LR\n  reader --&gt; site</code></pre>'


async def test_a_diagram_without_a_drawing_is_drawn_in_the_browser(
    visit: Visit, base_url: str, site: builtsite.Site
) -> None:
    """While a diagram is edited (`nox -s serve`) it has no drawing: the site's own Mermaid draws it."""
    target = diagram_page(site)

    async def undraw_first_diagram(route: Route) -> None:
        response = await route.fetch()
        body, count = DRAWN.subn(UNDRAWN, await response.text(), count=1)
        assert count == 1
        await route.fulfill(response=response, body=body)

    await visit.page.route(base_url + target.url, undraw_first_diagram)
    await visit.page.goto(base_url + target.url, wait_until="load", timeout=TIMEOUT_MS)
    await visit.page.locator("article pre.mermaid").scroll_into_view_if_needed()  # drawn as it comes into view
    await visit.page.wait_for_function("() => !document.querySelector('article pre.mermaid')", timeout=TIMEOUT_MS)
    labels = await visit.page.eval_on_selector(
        "article div.mermaid:not([data-diagram])", "el => el.shadowRoot.querySelector('svg').textContent"
    )
    assert "reader" in labels
    assert "site" in labels
    assert any("/assets/vendor/mermaid/mermaid.esm.min.mjs" in url for url in visit.requests)
    assert visit.problems() == []
