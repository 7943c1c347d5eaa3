"""Reading the site on a desktop and a phone: diagram labels big enough to read, diagrams that
open full screen and say when they scroll, Chinese typography, sections kept across the
language switch, navigation by tabs and section pages, tables that keep identifiers whole,
and a 404 page in the reader's language."""

from __future__ import annotations

import asyncio
import itertools
import re
import statistics
from collections.abc import Awaitable, Callable

import pytest
from actions import DRAWINGS_SHOWN, NEXT_FRAME, TIMEOUT_MS, Visit, drawings_problems, site_path
from playwright.async_api import Page, Route

from netdocs.dev import builtsite
from netdocs.site import diagrams

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
# Issue 14: labels at least 12 px on screen (median), none below 10 px, at both widths.
MEDIAN_PX, SMALLEST_PX = 12.0, 10.0

# Each drawn diagram: its labels' sizes on screen, whether it scrolls, and its hint's state.
_DIAGRAMS = """figures => figures.map(figure => {
    const host = figure.querySelector("div.mermaid");
    const svg = host.shadowRoot.querySelector("svg");
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const labels = [...svg.querySelectorAll("text, foreignObject span")]
        .filter(t => t.textContent.trim() && !t.parentElement.closest("foreignObject span"));
    const hint = figure.querySelector(".nd-diagram__hint");
    return {
        sizes: labels.map(t => parseFloat(getComputedStyle(t).fontSize) * scale),
        scrolls: host.scrollWidth > host.clientWidth + 1,
        hint: getComputedStyle(hint).visibility === "visible" ? hint.textContent : "",
    };
})"""
HINTS = {lang: words["hint"] for lang, words in diagrams.WORDS.items()}


def diagram_pages(site: builtsite.Site) -> list[builtsite.Page]:
    return [p for p in site.pages if builtsite.drawn_keys(p.html)]


# The pages with the widest diagrams. Every page's diagrams are checked at the suite's desktop
# and phone sizes in test_pages.py (pagechecks.fit_problems); these at the sizes of issue 14.
WIDEST = ("network-model/packet-paths/", "dns/", "troubleshooting/", "network-model/kube-proxy/", "ingress/")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_diagram_labels_are_readable_and_scrolling_ones_say_so(
    more_visits: Callable[[], Awaitable[Visit]], base_url: str, site: builtsite.Site, lang: str
) -> None:
    """At 1366 px and on a 390 px phone: no label shrunk below 10 px, the median at 12 px or more;
    a diagram wider than its column shows the hint in the page's language. The pages load side by side."""

    async def measured(url: str) -> tuple[builtsite.Page, Visit, dict[str, list[dict]]]:
        target, visit = site.page(url if lang == "en" else f"{lang}/{url}"), await more_visits()
        page = visit.page
        await page.set_viewport_size(WIDTHS["desktop"])
        await page.goto(base_url + target.url, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
        assert await drawings_problems(page, find=True) == [], f"/{target.url}"
        found = {}
        for width, viewport in WIDTHS.items():
            await page.set_viewport_size(viewport)
            await page.evaluate(NEXT_FRAME)  # layout, then the resize observer that shows the hint
            found[width] = await page.eval_on_selector_all("article .nd-diagram", _DIAGRAMS)
        return target, visit, found

    sizes: dict[str, list[float]] = {width: [] for width in WIDTHS}
    problems = []
    visits = await asyncio.gather(*(measured(url) for url in WIDEST))
    for target, _, by_width in visits:
        for width, shown in by_width.items():
            for n, found in enumerate(shown, 1):
                where = f"/{target.url} diagram {n} at {width} width"
                sizes[width] += found["sizes"]
                if not found["sizes"] or min(found["sizes"]) < SMALLEST_PX:
                    problems.append(f"{where}: labels {sorted(found['sizes'])[:1]}px")
                wanted = HINTS[target.lang] if found["scrolls"] else ""
                if found["hint"] != wanted:
                    problems.append(f"{where}: scrolls={found['scrolls']} but the hint reads {found['hint']!r}")
    assert problems == []
    for width, found in sizes.items():
        assert statistics.median(found) >= MEDIAN_PX, f"median label {statistics.median(found):.1f}px at {width} width"
    assert [f"/{target.url}: {p}" for target, visit, _ in visits for p in visit.problems()] == []


def most_diagrams_page(site: builtsite.Site) -> builtsite.Page:
    return max(diagram_pages(site), key=lambda p: len(builtsite.drawn_keys(p.html)))


# Where each diagram and the end of the article are on the page.
_PLACES = """() => [
    ...document.querySelectorAll("article div.mermaid[data-diagram]"), document.querySelector("article > :last-child")
].map(el => {
    const box = el.getBoundingClientRect();
    return [box.x, box.y + scrollY, box.width, box.height].map(Math.round);
})"""


@pytest.mark.parametrize("width", WIDTHS)
async def test_drawings_arrive_without_moving_the_page(
    visit: Visit, base_url: str, site: builtsite.Site, width: str
) -> None:
    """A page holds each drawing's box before netdocs.js fetches the drawing: only the diagrams
    near the screen ask for theirs, Ctrl+F asks for the rest, and nothing moves when they arrive,
    on the page with the most diagrams."""
    page, target = visit.page, most_diagrams_page(site)
    total = len(builtsite.drawn_keys(target.html))
    held: list[str] = []
    arrive = asyncio.Event()

    async def hold(route: Route) -> None:
        held.append(route.request.url)
        await arrive.wait()
        await route.fallback()

    await page.route("**/assets/diagrams/*.svg", hold)
    await page.set_viewport_size(WIDTHS[width])
    await page.goto(base_url + target.url, wait_until="load", timeout=TIMEOUT_MS)
    await page.evaluate(NEXT_FRAME)
    before = await page.evaluate(_PLACES)
    assert 0 < len(held) < total, f"{len(held)} of {total} drawings asked for before the reader scrolled"
    assert await page.evaluate(DRAWINGS_SHOWN) == 0
    await page.keyboard.press("Control+f")
    arrive.set()
    assert await drawings_problems(page) == [], f"/{target.url}"
    assert len(held) == total, "Ctrl+F asks for every drawing"
    await page.evaluate(NEXT_FRAME)
    assert await page.evaluate(DRAWINGS_SHOWN) == total
    assert await page.evaluate(_PLACES) == before, f"/{target.url} moved when its drawings arrived"
    assert visit.problems() == []


async def test_printing_shows_every_drawing(visit: Visit, base_url: str, site: builtsite.Site) -> None:
    """Printing lays the page out right after ``beforeprint``: every drawing must be there by then."""
    page, target = visit.page, most_diagrams_page(site)
    await page.goto(base_url + target.url, wait_until="load", timeout=TIMEOUT_MS)
    assert await page.evaluate(DRAWINGS_SHOWN) < len(builtsite.drawn_keys(target.html))
    shown = await page.evaluate(f"() => {{ dispatchEvent(new Event('beforeprint')); return ({DRAWINGS_SHOWN})(); }}")
    assert shown == len(builtsite.drawn_keys(target.html))
    assert visit.problems() == []


def first_diagram_page(site: builtsite.Site, lang: str = "en") -> builtsite.Page:
    return next(p for p in diagram_pages(site) if p.lang == lang)


async def focused(page: Page) -> str:
    """Where the keyboard is: the focused element's tag and class, and whether it is in the dialog."""
    return await page.evaluate(
        """() => { const el = document.activeElement;
        return `${el.localName}.${el.className}${el.closest("dialog[open]") ? " (in dialog)" : ""}`; }"""
    )


async def test_a_diagram_opens_full_screen_and_closes_from_the_keyboard(
    visit: Visit, base_url: str, site: builtsite.Site
) -> None:
    page = visit.page
    await page.goto(base_url + first_diagram_page(site).url, wait_until="load", timeout=TIMEOUT_MS)
    button = page.locator("article .nd-diagram__open").first
    assert await button.evaluate("b => b.localName") == "button"
    assert await button.get_attribute("aria-haspopup") == "dialog"
    assert await button.inner_text() == "Full screen"
    await button.focus()
    await page.keyboard.press("Enter")
    dialog = page.locator("dialog.nd-diagram-dialog")
    assert await dialog.evaluate("d => d.open && d.matches(':modal')"), "the full-screen view is a modal dialog"
    assert await dialog.get_attribute("aria-label") == "Diagram, full screen"
    labels = await dialog.evaluate(
        "d => d.querySelector('.nd-diagram-dialog__body').shadowRoot.querySelector('svg').textContent"
    )
    assert labels.strip(), "the full-screen diagram shows the drawing, as text"
    for _ in range(4):  # the keyboard stays in the dialog
        await page.keyboard.press("Tab")
        assert "(in dialog)" in await focused(page)
    await page.keyboard.press("Escape")
    assert not await dialog.evaluate("d => d.open")
    assert "nd-diagram__open" in await focused(page), "focus returns to the button that opened it"
    # A click (or tap) on the diagram opens it too; the close button closes it.
    await page.locator("article .nd-diagram > div.mermaid").first.click()
    assert await dialog.evaluate("d => d.open")
    await page.locator("dialog .nd-diagram-dialog__close").click()
    assert not await dialog.evaluate("d => d.open")
    assert visit.problems() == []


async def test_the_full_screen_button_speaks_chinese_on_chinese_pages(
    visit: Visit, base_url: str, site: builtsite.Site
) -> None:
    page = visit.page
    await page.goto(base_url + first_diagram_page(site, "zh").url, wait_until="load", timeout=TIMEOUT_MS)
    button = page.locator("article .nd-diagram__open").first
    assert await button.inner_text() == diagrams.WORDS["zh"]["open"]
    await button.click()
    assert await page.locator("dialog.nd-diagram-dialog").get_attribute("aria-label") == "图示（全屏）"
    assert await page.locator("dialog .nd-diagram-dialog__close").inner_text() == "关闭"


async def test_the_language_switch_keeps_the_section(visit: Visit, base_url: str, site: builtsite.Site) -> None:
    """dns/#dnspolicy leads to zh/dns/#dnspolicy, the same section (headings share ids), and back."""
    page = visit.page
    english = site.page("dns/")
    section = re.findall(r'<h2 id="([^"]+)"', english.html)[-2]
    await page.goto(f"{base_url}dns/#{section}", wait_until="load", timeout=TIMEOUT_MS)
    for lang in ("zh", "en"):
        await page.locator(".md-header__option .md-select").hover()
        await page.locator(f"a.md-select__link[hreflang='{lang}']").click()
        await page.wait_for_load_state("load", timeout=TIMEOUT_MS)
        assert site_path(page.url, base_url) == english.alternates[lang]
        assert await page.evaluate("location.hash") == f"#{section}"
        assert await page.locator(f"article h2#{section}").count() == 1
    assert visit.problems() == []


async def test_the_switch_marks_the_language_being_read(visit: Visit, base_url: str) -> None:
    page = visit.page
    for url, lang in (("", "en"), ("zh/", "zh")):
        await page.goto(base_url + url, wait_until="load", timeout=TIMEOUT_MS)
        current = page.locator(".md-select__link[aria-current='true']")
        assert await current.count() == 1
        assert await current.get_attribute("hreflang") == lang
        assert await current.evaluate("a => getComputedStyle(a, '::after').content") == '" ✓"'


async def test_chinese_emphasis_is_upright_and_headings_one_weight(
    visit: Visit, base_url: str, site: builtsite.Site
) -> None:
    page = visit.page
    target = next(p for p in site.pages if p.lang == "zh" and "<em>" in p.html)
    await page.goto(base_url + target.url, wait_until="load", timeout=TIMEOUT_MS)
    style = await page.locator("article em").first.evaluate(
        "e => { const s = getComputedStyle(e); return [s.fontStyle, s.textEmphasisStyle]; }"
    )
    assert style[0] == "normal", f"/{target.url}: Chinese emphasis is slanted"
    assert style[1] in {"dot", "filled dot"}, f"/{target.url}: Chinese emphasis is marked {style[1]!r}"
    weights = await page.eval_on_selector_all(
        "article :is(h1, h2, h3)", "hs => hs.map(h => getComputedStyle(h).fontWeight)"
    )
    assert set(weights) == {"600"}


async def test_navigation_has_tabs_section_pages_and_only_the_current_section_open(
    visit: Visit, base_url: str, site: builtsite.Site
) -> None:
    page = visit.page
    await page.set_viewport_size(WIDTHS["desktop"])
    await page.goto(base_url + "services/clusterip/", wait_until="load", timeout=TIMEOUT_MS)
    tabs = page.locator(".md-tabs__link")
    assert await tabs.first.is_visible()
    for url in ("services/clusterip/", "zh/services/clusterip/"):  # every tab in sight, in both languages
        await page.goto(base_url + url, wait_until="domcontentloaded", timeout=TIMEOUT_MS)
        hidden = await page.eval_on_selector(".md-tabs__list", "l => l.scrollWidth - l.clientWidth")
        assert hidden <= 0, f"/{url}: the last {hidden}px of the tabs are out of sight"
    await page.goto(base_url + "services/clusterip/", wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    assert "Services" in await page.locator(".md-tabs__item--active").inner_text()
    # The sidebar lists the current section only: its pages, not all 35 entries.
    shown = await page.eval_on_selector_all(
        ".md-sidebar--primary a.md-nav__link",
        "links => links.filter(a => a.checkVisibility()).map(a => [a.innerText.trim(), a.href])",
    )
    labels = [label for label, _ in shown]
    assert 5 < len(labels) < 20, labels
    assert "DNS" not in labels
    # The section's index page is the section itself: one "Services" entry, which links to services/.
    assert [site_path(href, base_url) for label, href in shown if label == "Services"] == ["services/"], shown
    # No entry repeats the one before it ("Services > Services").
    assert [a for a, b in itertools.pairwise(labels) if a == b] == [], labels
    assert visit.problems() == []


async def test_the_sidebar_title_never_covers_the_section_label(visit: Visit, base_url: str) -> None:
    """Scrolled down, the sticky sidebar's title and the first label do not overlap."""
    page = visit.page
    await page.set_viewport_size(WIDTHS["desktop"])
    await page.goto(base_url + "services/traffic-policies/", wait_until="load", timeout=TIMEOUT_MS)
    await page.evaluate("window.scrollTo(0, 2000)")
    await page.evaluate(NEXT_FRAME)
    boxes = await page.evaluate(
        """() => [...document.querySelectorAll(
            '.md-sidebar--primary .md-nav__title, .md-sidebar--primary .md-nav__link')]
        .filter(e => e.checkVisibility({visibilityProperty: true}))
        .map(e => { const r = e.getBoundingClientRect(); return [e.textContent.trim(), r.top, r.bottom, r.height]; })
        .filter(b => b[3] > 0)"""
    )
    overlaps = [(a[0], b[0]) for a, b in itertools.pairwise(boxes) if b[1] < a[2] - 1 and a[0] != b[0]]
    assert overlaps == []


# Each place a code element in a table breaks between two letters or digits: "externalTrafficP|olicy".
_SPLIT_WORDS = """codes => codes.filter(code => code.getClientRects().length > 1).flatMap(code => {
    const text = code.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) return [];
    const top = (i) => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1);
                         return r.getClientRects()[0]?.top; };
    const splits = [];
    for (let i = 0; i + 1 < text.length; i++) {
        if (/\\w/.test(text.data[i]) && /\\w/.test(text.data[i + 1]) && top(i) !== top(i + 1))
            splits.push(text.data.slice(0, i + 1) + "|" + text.data.slice(i + 1));
    }
    return splits;
})"""


@pytest.mark.parametrize("url", ["services/traffic-policies/", "zh/services/traffic-policies/", "dns/", "zh/dns/"])
async def test_phone_tables_scroll_instead_of_breaking_identifiers(visit: Visit, base_url: str, url: str) -> None:
    page = visit.page
    await page.set_viewport_size(WIDTHS["phone"])
    await page.goto(base_url + url, wait_until="load", timeout=TIMEOUT_MS)
    split = await page.eval_on_selector_all("article table td code", _SPLIT_WORDS)
    assert split == [], f"/{url}: code split inside a word in table cells"
    assert await page.get_by_text("externalTrafficPolicy").count() > 0
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"/{url}: the page is {overflow}px too wide"


async def test_the_404_page_speaks_chinese_first_under_zh_and_searches_chinese(visit: Visit, base_url: str) -> None:
    page = visit.page
    response = await page.goto(base_url + "zh/no-such-page/", wait_until="load", timeout=TIMEOUT_MS)
    assert response is not None
    assert response.status == 404
    assert await page.evaluate("document.documentElement.lang") == "zh"
    first = page.locator("article .nd-not-found > section").first
    assert await first.get_attribute("lang") == "zh"
    assert await page.locator("article h1").inner_text() == "404：页面不存在"
    assert "网络" in await page.locator(".md-header__title").inner_text()
    await page.locator("input.md-search__input").fill("服务")
    results = page.locator(".md-search-result__item a")
    await results.first.wait_for(timeout=TIMEOUT_MS)
    hrefs = await results.evaluate_all("links => links.map(a => a.href)")
    assert hrefs
    assert [h for h in hrefs if not site_path(h, base_url).startswith("zh/")] == []
    # An English path keeps English first.
    await page.goto(base_url + "no-such-page/", wait_until="load", timeout=TIMEOUT_MS)
    assert await page.locator("article .nd-not-found > section").first.get_attribute("lang") == "en"
    assert await page.evaluate("document.documentElement.lang") == "en"
