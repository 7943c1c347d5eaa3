"""What each page must do for a reader, as checks that return problems, not assertions,
so one visit reports everything wrong with a page (``page_problems``)."""

from __future__ import annotations

import asyncio
import io
import re
import urllib.request
import zipfile
from pathlib import Path

from actions import NEXT_FRAME, PHONE, TIMEOUT_MS, Visit, drawings_problems, open_page, site_path
from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from netdocs.dev import builtsite
from netdocs.examples import Example
from netdocs.paths import SNIPPETS

_MARKER = re.compile(r"# \(\d+\)!<")
_DIAGRAM_SIZES = """els => els.map(e => {
    const svg = e.shadowRoot && e.shadowRoot.querySelector("svg");
    if (!svg || !svg.childElementCount || /Syntax error/.test(svg.textContent)) return 0;
    const box = svg.getBoundingClientRect();
    return Math.round(box.width * box.height);
})"""

# Each diagram as drawn: its labels' sizes in CSS px, whether it scrolls sideways, whether the
# keyboard can reach it (netdocs.js makes a diagram that scrolls focusable) and whether its bar
# shows the "scroll sideways" hint.
_DIAGRAM_FIT = """els => els.filter(e => e.shadowRoot && e.shadowRoot.querySelector("svg")).map(host => {
    const svg = host.shadowRoot.querySelector("svg");
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const labels = [...svg.querySelectorAll("text, foreignObject span")]
        .filter(t => t.textContent.trim() && !t.parentElement.closest("foreignObject span"));
    const sizes = labels.map(t => parseFloat(getComputedStyle(t).fontSize) * scale).sort((a, b) => a - b);
    const hint = host.parentElement.querySelector(".nd-diagram__hint");
    return {smallest: sizes[0], median: sizes[Math.floor(sizes.length / 2)],
            scrolls: host.scrollWidth > host.clientWidth, focusable: host.tabIndex === 0,
            hinted: !!hint && hint.checkVisibility({visibilityProperty: true})};
})"""
# Issue 14: diagram labels on screen no smaller than 10 px, and 12 px or more as a median,
# on a desktop and on a phone (diagrams scroll sideways rather than shrink further).
SMALLEST_LABEL_PX, MEDIAN_LABEL_PX = 10.0, 12.0


DESKTOP_WIDTH = "desktop width"  # where every diagram fits the column: none scrolls


async def fit_problems(page: Page, width: str) -> list[str]:
    """Labels readable; none scrolls at desktop width; diagrams that scroll sideways (on a phone)
    say so and can be scrolled from the keyboard, and those that fit take no tab stop and show no hint."""
    problems = []
    for n, fit in enumerate(await page.eval_on_selector_all("article div.mermaid", _DIAGRAM_FIT), 1):
        where = f"at {width} diagram {n}"
        if round(fit["smallest"], 1) < SMALLEST_LABEL_PX:
            problems.append(f"{where} has {fit['smallest']:.1f}px labels, under {SMALLEST_LABEL_PX}px")
        if round(fit["median"], 1) < MEDIAN_LABEL_PX:
            problems.append(f"{where} has labels of {fit['median']:.1f}px (median), under {MEDIAN_LABEL_PX}px")
        if fit["scrolls"] and width == DESKTOP_WIDTH:
            problems.append(f"{where} scrolls sideways; re-lay it (top-down, shorter labels, fewer participants)")
        if fit["scrolls"] != fit["focusable"]:
            problems.append(f"{where} {'scrolls but is not' if fit['scrolls'] else 'fits but is'} focusable")
        if fit["scrolls"] != fit["hinted"]:
            problems.append(f"{where} {'scrolls without' if fit['scrolls'] else 'fits but shows'} the scroll hint")
    return problems


async def annotation_problems(page: Page, target: builtsite.Page) -> list[str]:
    """Markers left as text mean the list did not directly follow its code block."""
    raw = await page.eval_on_selector_all(
        "article .highlight code", "els => els.filter(e => /# \\(\\d+\\)!/.test(e.textContent)).length"
    )
    expected = len(_MARKER.findall(target.html))
    rendered = await page.locator("article .md-annotation").count()
    problems = [f"{raw} code block(s) show annotation markers as text"] if raw else []
    if rendered != expected:
        problems.append(f"{rendered} of {expected} code annotations rendered")
    return problems


async def diagram_problems(page: Page, target: builtsite.Page, visit: Visit) -> list[str]:
    """The build's drawings show as SVG, and no Mermaid is loaded to draw anything."""
    expected = len(builtsite.drawn_keys(target.html))
    sizes = await page.eval_on_selector_all("article div.mermaid", _DIAGRAM_SIZES)
    problems = [] if len(sizes) == expected else [f"{len(sizes)} diagrams shown, {expected} in the HTML"]
    problems += [f"diagram {n} shows no SVG" for n, size in enumerate(sizes, 1) if not size]
    if any("/assets/vendor/mermaid/" in url for url in visit.requests):
        problems.append("the page loaded Mermaid, though the build drew its diagrams")
    return problems + await fit_problems(page, DESKTOP_WIDTH)


async def accessibility_problems(page: Page) -> list[str]:
    """Names Material leaves out, added by docs/assets/javascripts/netdocs.js."""
    problems = []
    if not await page.locator(".md-search[role=dialog]").get_attribute("aria-label"):
        problems.append("the search dialog has no accessible name")
    unnamed = await page.locator(".md-annotation__index:not([aria-label])").count()
    if unnamed:
        problems.append(f"{unnamed} code annotation marker(s) without an accessible name")
    return problems


# Line breaks inside a word of the checks table's code: two word characters on different lines.
_BROKEN_WORDS = """tables => tables.flatMap(table => [...table.querySelectorAll("code")]
  .filter(code => code.getClientRects().length > 1).flatMap(code => {
    const broken = [], walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT), range = document.createRange();
    let previous = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode())
        for (let i = 0; i < node.length; i++) {
            range.setStart(node, i); range.setEnd(node, i + 1);
            const rect = range.getBoundingClientRect(), char = node.data[i];
            if (previous && rect.top > previous.top + 2 && /\\w/.test(char) && /\\w/.test(previous.char))
                broken.push(code.textContent);
            previous = {top: rect.top, char};
        }
    return broken;
}))"""
# Each cell of the checks table on a phone: a block that shows its column's name above it.
_CARD_CELLS = """tables => tables.flatMap(table => [...table.querySelectorAll("td")]).filter(td =>
    getComputedStyle(td).display !== "block" ||
    getComputedStyle(td, "::before").content !== JSON.stringify(td.dataset.label)).length"""


async def collapsed_problems(page: Page) -> list[str]:
    """Supporting workloads start collapsed."""
    return [
        f"supporting workload {name!r} is not collapsed"
        for name in await page.eval_on_selector_all(
            "article details.nd-support[open] > summary", "els => els.map(e => e.textContent)"
        )
    ]


async def example_problems(page: Page) -> list[str]:
    """The checks table keeps words whole and speaks the reader's language."""
    problems: list[str] = []
    if not await page.locator("article table.nd-checks").count():
        return problems
    # The reader's words: no placeholder or kubectl syntax; on a Chinese page, Chinese expectations.
    for cell in await page.eval_on_selector_all("article table.nd-checks td", "tds => tds.map(td => td.textContent)"):
        if re.search(r"\{[a-z_]+[:}]|\b(deploy|pod)/", cell):
            problems.append(f"checks table shows internal syntax: {cell}")
    if (await page.evaluate("document.documentElement.lang")).startswith("zh"):
        expected = await page.eval_on_selector_all(
            "article table.nd-checks td:nth-child(4)", "tds => tds.map(td => td.textContent)"
        )
        problems += [
            f"checks table expects in English: {e}" for e in expected if not re.search(r"[\u4e00-\u9fff]|^HTTP \d+$", e)
        ]
    return problems + [
        f"checks table breaks inside a word: {t}"
        for t in await page.eval_on_selector_all("article table.nd-checks", _BROKEN_WORDS)
    ]


async def checks_table_phone_problems(page: Page) -> list[str]:
    """On a phone the checks table shows each check as a card whose cells name their column,
    and still keeps words whole."""
    problems = [
        f"checks table at phone width: {t}"
        for t in await page.eval_on_selector_all("article table.nd-checks", _BROKEN_WORDS)
    ]
    if cells := await page.eval_on_selector_all("article table.nd-checks", _CARD_CELLS):
        problems.append(f"checks table at phone width: {cells} cells not shown as labelled card lines")
    return problems


async def phone_problems(page: Page) -> list[str]:
    """The page fits a phone, with its menu; diagrams scroll sideways rather than shrink past reading."""
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    problems = [f"at {PHONE['width']}px the page is {overflow}px too wide"] if overflow > 0 else []
    if not await page.locator("label.md-header__button[for='__drawer']").is_visible():
        problems.append("at phone width there is no navigation menu button")
    return problems + await fit_problems(page, f"{PHONE['width']}px")


async def switch_problems(page: Page, base_url: str, target: builtsite.Page) -> list[str]:
    """The language switch links the same page in the other language (read, not followed: the
    other page has its own visit)."""
    other = next((lang for lang in target.alternates if lang != target.lang), None)
    if other is None:
        return [f"the sitemap lists no other language for {target.url or '/'}"]
    link = page.locator(f"a.md-select__link[hreflang='{other}']")
    if not await link.count():
        return [f"no {other} language switch"]
    landed = site_path(await link.first.evaluate("a => a.href"), base_url)
    wanted = target.alternates[other]
    return [] if landed == wanted else [f"the {other} switch leads to /{landed}, not /{wanted}"]


# Each snippet block and the download link that names its file, in page order.
_BLOCKS = """() => Array.from(document.querySelectorAll("article div.highlight[data-copy]")).map(block => {
    const meta = block.previousElementSibling;
    const link = meta && meta.matches("p.nd-snippet-meta") ? meta.querySelector("a[download]") : null;
    return link ? link.href : null;
})"""
COPY_BUTTONS = "article div.highlight[data-copy] button.md-code__button[data-md-type='copy']"
BUNDLES = "article .admonition.example a[download][href$='.zip']"


def snippet_file(href: str, base_url: str) -> str:
    """``snippets/clusterip/service.yaml`` from a download link."""
    path = site_path(href, base_url)
    assert path.startswith("snippets/"), f"download link outside snippets/: {href}"
    return path.removeprefix("snippets/")


async def copy_problems(page: Page, base_url: str) -> list[str]:
    """Each snippet block has its download link right above it and a copy button (Material
    mounted it), and its copy text (data-copy, what the button copies) is its file."""
    hrefs = await page.evaluate(_BLOCKS)
    if None in hrefs:
        return ["a snippet block without its download link right above it"]
    buttons = await page.locator(COPY_BUTTONS).count()
    if buttons != len(hrefs):
        return [f"{buttons} copy buttons for {len(hrefs)} snippet blocks"]
    texts = await page.eval_on_selector_all("article div.highlight[data-copy]", "els => els.map(e => e.dataset.copy)")
    refs = [snippet_file(href, base_url) for href in hrefs]
    return [
        f"the copy text of block {n} is not snippets/{ref}"
        for n, (ref, text) in enumerate(zip(refs, texts, strict=True), 1)
        if text != (SNIPPETS / ref).read_text(encoding="utf-8")
    ]


# The site is on loopback: never through a proxy that http_proxy or HTTPS_PROXY may name.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def served(url: str) -> bytes:
    """What the site's server sends for a URL, read off the event loop (asyncio.to_thread)."""
    with _DIRECT.open(url, timeout=TIMEOUT_MS / 1000) as response:
        return response.read()


async def download_problems(page: Page, base_url: str) -> list[str]:
    """Every download link (files and archives) serves the repository's bytes; an example box
    offers the whole example as one archive."""
    problems = []
    hrefs = await page.eval_on_selector_all("article a[download]", "els => els.map(e => e.href)")
    for href in dict.fromkeys(hrefs):
        ref = snippet_file(href, base_url)
        body = await asyncio.to_thread(served, href)
        if ref.endswith(".zip"):
            problems += bundle_problems(ref.removesuffix(".zip"), body)
        elif body != (SNIPPETS / ref).read_bytes():
            problems.append(f"{href} is not snippets/{ref}")
    if await page.locator("article .admonition.example").count() and not await page.locator(BUNDLES).count():
        problems.append("an example box without its archive")
    return problems


def bundle_problems(name: str, body: bytes) -> list[str]:
    """The archive holds every file of the example, byte for byte, and a README."""
    example = Example(name, SNIPPETS / name)
    archive = zipfile.ZipFile(io.BytesIO(body))
    names = set(archive.namelist())
    wanted = {f"{name}/{p.name}" for p in example.files} | {f"{name}/README.md"}
    problems = [f"{name}.zip: has {sorted(names)}, wants {sorted(wanted)}"] if names != wanted else []
    problems += [
        f"{name}.zip: {p.name} differs from snippets/{name}/{p.name}"
        for p in example.files
        if f"{name}/{p.name}" in names and archive.read(f"{name}/{p.name}") != p.read_bytes()
    ]
    return problems


async def clipboard_after_click(button: Locator) -> str:
    """What the shared clipboard holds after a click on ``button`` (emptied first)."""
    await button.page.evaluate("navigator.clipboard.writeText('')")
    await button.click()
    return await button.page.evaluate("navigator.clipboard.readText()")


async def clicked_download(page: Page, link: Locator) -> tuple[str, bytes]:
    """Click a link as a reader would: (the file name the browser saves, its bytes)."""
    async with page.expect_download(timeout=TIMEOUT_MS) as download:
        await link.click()
    saved = await download.value
    return saved.suggested_filename, Path(await saved.path()).read_bytes()


async def reader_copy_and_download_problems(page: Page, base_url: str) -> list[str]:
    """What a reader does with a page's code, clicked: opens a collapsed supporting workload and
    copies its block (the clipboard holds the file; Material trims the final newline), saves a
    snippet link (the browser names it as the file) and the example's archive.

    The page checks read every block's copy text and every link's bytes; the clicks that use
    them work the same on every page, so tests/browser/test_site.py clicks on a few pages."""
    problems = []
    support = page.locator("article details.nd-support").first
    await support.locator("summary").first.click()
    if not await support.evaluate("details => details.open"):
        return ["a click on a supporting workload's summary does not open it"]
    ref = snippet_file(await support.locator("a[download]").first.evaluate("a => a.href"), base_url)
    button = support.locator("button.md-code__button[data-md-type='copy']").first
    await button.click(trial=True)  # scrolled to and settled before taking the clipboard
    try:
        copied = await asyncio.wait_for(clipboard_after_click(button), TIMEOUT_MS / 1000)
    except TimeoutError:
        problems.append(f"the clipboard did not answer within {TIMEOUT_MS // 1000} s of a copy")
    else:
        if copied + "\n" != (SNIPPETS / ref).read_text(encoding="utf-8"):
            problems.append(f"the copy button of the supporting workload does not copy snippets/{ref}")
    link = page.locator("article p.nd-snippet-meta a[download]:visible").first
    ref = snippet_file(await link.evaluate("a => a.href"), base_url)
    name, body = await clicked_download(page, link)
    if name != ref.rsplit("/", 1)[-1] or body != (SNIPPETS / ref).read_bytes():
        problems.append(f"clicking the link to snippets/{ref} does not save that file")
    name, body = await clicked_download(page, page.locator(BUNDLES).first)
    return problems + bundle_problems(name.removesuffix(".zip"), body)


# Material mounts a code block (copy button, annotations) when it comes into view (content.lazy
# in mkdocs.yml, an IntersectionObserver on the viewport). With collapsed details open and the
# page scaled down to one screen for a moment, every block is in view at once, as a reader
# scrolling down the page brings each; Material names a mounted block's <pre>. (A viewport as
# tall as the page does the same, at the cost of drawing all of it: a third of the checks' time.)
_SHRINK = """() => {
    document.querySelectorAll("article details").forEach(d => { d.open = true; });
    document.body.style.transformOrigin = "0 0";
    document.body.style.transform = `scale(${innerHeight / document.documentElement.scrollHeight})`;
}"""
_ALL_MOUNTED = """() => [...document.querySelectorAll("article div.highlight")]
    .every(block => block.querySelector("pre[id^='__code_']"))"""


async def show_every_block(page: Page) -> list[str]:
    """Open every collapsed detail and show the whole page at once until Material has mounted
    every code block and every diagram has its drawing; a problem if either never happens. The
    details stay open for the checks after."""
    await page.evaluate(_SHRINK)
    try:
        await page.wait_for_function(_ALL_MOUNTED, timeout=TIMEOUT_MS)
    except PlaywrightTimeout:
        return [f"Material had not mounted every code block {TIMEOUT_MS // 1000} s after it came into view"]
    else:
        return await drawings_problems(page)
    finally:
        await page.evaluate("document.body.style.transform = ''")


async def page_problems(visit: Visit, base_url: str, target: builtsite.Page) -> list[str]:
    """Everything one visit finds wrong with a page: as loaded, then at desktop width with every
    code block shown, then at phone width.

    ``visit.step`` says what the visit is doing, so a page that gets stuck is reported with where."""
    page = visit.page
    await open_page(visit, base_url, target)
    problems = await collapsed_problems(page)
    visit.step = "bringing every code block into view"
    problems += await show_every_block(page) + visit.problems()
    visit.step = "checking annotations, diagrams, names and examples"
    problems += await annotation_problems(page, target)
    problems += await diagram_problems(page, target, visit)
    problems += await accessibility_problems(page)
    problems += await example_problems(page)
    if "data-copy=" in target.html:
        visit.step = "checking copy texts and downloads"
        problems += await copy_problems(page, base_url) + await download_problems(page, base_url)
    visit.step = "checking the language switch"
    problems += await switch_problems(page, base_url, target)
    visit.step = "checking the page at phone width"
    await page.set_viewport_size(PHONE)
    await page.evaluate(NEXT_FRAME)  # layout, then the resize observers
    problems += await checks_table_phone_problems(page)
    problems += await phone_problems(page)
    return problems + [p for p in visit.problems() if p not in problems]
