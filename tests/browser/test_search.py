"""Search in both languages, in Chromium, with the network cut.

Each language's pages search only their own language's index. Every page is found by its
own title, and each term below finds every page that contains it: Chinese queries are typed
as readers type them, without spaces, and cut into the index's words (jieba at build time,
netdocs/site/search/searchworker.py in the browser), so a result that contains a query is never
labelled as missing one of its words. The queries of search_queries.toml put the page a
reader looks for in the top 3, and never highlight a word that only contains the query's.
"""

from __future__ import annotations

import asyncio
import functools
import tomllib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest
from actions import NEXT_FRAME, TIMEOUT_MS, Visit, open_page, site_path

from netdocs.dev import builtsite

TERMS = {
    "en": ["NodePort", "ClusterIP", "LoadBalancer", "NetworkPolicy", "EndpointSlice", "ExternalName", "kube-proxy"],
    # Kubernetes names inside Chinese text, as in 网络策略（NetworkPolicy）, must be found too.
    "zh": [
        *("负载均衡", "网络策略", "端点切片", "服务网段", "会话亲和性", "外部流量策略"),
        # Words jieba's general dictionary cuts apart (netdocs/site/search/searchwords.zh.txt).
        *("后端", "字段", "弃用", "出站"),
        *("NetworkPolicy", "EndpointSlice"),
    ],
}
# The acceptance: these must exist on the site and be found.
REQUIRED = {"en": ["NodePort"], "zh": ["负载均衡"]}
TOP = 10  # the first screen of results


# One search as a reader makes it, in one call: the query goes into the box as typed (the input
# event, and the keyup Material reads it on, as keyboards and input methods send it), after the
# box was emptied and Material showed its placeholder again, so the results read are the
# query's own. With ``every``, the results list is scrolled to its end until it shows all that
# its count says (Material shows 10, then 4 more each time the list is scrolled to its end
# again). Every wait ends within ``limit`` ms with an error naming the query.
_SEARCH = (
    """async ([query, every, limit]) => {
    const box = document.querySelector("input.md-search__input");
    const meta = document.querySelector(".md-search-result__meta");
    const list = document.querySelector(".md-search-result__list");
    const scroller = document.querySelector(".md-search__scrollwrap");
    const placeholder = JSON.parse(document.getElementById("__config").textContent)
        .translations["search.result.placeholder"];
    const until = (what, test) => new Promise((resolve, reject) => {
        if (test()) return resolve();
        const watch = new MutationObserver(() => test() && (stop(), resolve()));
        const timer = setTimeout(() => (stop(), reject(new Error(`${query}: ${what} not within ${limit} ms`))), limit);
        const stop = () => (watch.disconnect(), clearTimeout(timer));
        const output = document.querySelector(".md-search__output");
        watch.observe(output, {subtree: true, childList: true, characterData: true});
    });
    const type = text => {
        box.value = text;
        box.dispatchEvent(new Event("input", {bubbles: true}));
        box.dispatchEvent(new KeyboardEvent("keyup", {key: "End", bubbles: true}));
    };
    const frame = """
    + NEXT_FRAME
    + """;
    const count = () => {
        const digits = meta.textContent.match(/\\d+/);
        return digits ? Number(digits[0]) : list.children.length;
    };
    box.focus();
    type("");
    await until("the placeholder", () => meta.textContent.trim() === placeholder);
    type(query);
    await until("results", () => meta.textContent.trim() !== placeholder);
    while (every && list.children.length < count()) {
        const shown = list.children.length;
        scroller.scrollTo(0, 0);
        await frame();
        scroller.scrollTo(0, scroller.scrollHeight);
        await until(`more than ${shown} results`, () => list.children.length > shown);
    }
    return [...list.querySelectorAll(":scope > li > a")].map(a => a.href);
}"""
)


async def search(visit: Visit, base_url: str, query: str, every: bool = False) -> list[str]:
    """Type a query; the site-relative pages of the results, best first: the first screen,
    or ``every`` one as a reader scrolling to the end of the list sees them."""
    hrefs = await visit.page.evaluate(_SEARCH, [query, every, TIMEOUT_MS])
    return list(dict.fromkeys(site_path(href, base_url) for href in hrefs))


# Pages searching side by side (one per core), each loading the language's index once.
SEARCHERS = 2
Result = TypeVar("Result")


async def side_by_side(
    more_visits: Callable[[], Awaitable[Visit]],
    base_url: str,
    home: builtsite.Page,
    asks: list[Callable[[Visit], Awaitable[Result]]],
) -> tuple[list[Result], list[str]]:
    """Each ask (a search and what the test reads off its results) run on one of SEARCHERS
    pages opened at ``home``: the answers in the order asked, and what the pages complained of."""
    visits = [await more_visits() for _ in range(min(SEARCHERS, len(asks)))]
    answers: dict[int, Result] = {}

    async def searcher(k: int, visit: Visit) -> None:
        await open_page(visit, base_url, home, search=True)
        for n in range(k, len(asks), len(visits)):
            answers[n] = await asks[n](visit)

    await asyncio.gather(*(searcher(k, visit) for k, visit in enumerate(visits)))
    return [answers[n] for n in range(len(asks))], [p for visit in visits for p in visit.problems()]


# Results that contain the query as typed, yet say a word of it is missing ("缺少: 负载*").
# As typed: case matters, as in the index, where NodePort is two words and nodeport one.
_MISLABELLED = """query => [...document.querySelectorAll("article.md-search-result__article")].filter(article => {
    const terms = article.querySelector(".md-search-result__terms");
    const text = [...article.childNodes].filter(node => node !== terms).map(node => node.textContent).join(" ");
    return terms && text.replaceAll("\\u200b", "").includes(query);
}).map(article => article.querySelector("h1, h2").textContent.replaceAll("\\u200b", "") + " (" +
    article.querySelector(".md-search-result__terms").textContent.trim() + ")")"""


async def mislabelled(visit: Visit, query: str) -> list[str]:
    """Results that contain the query but are labelled as missing one of its words."""
    return await visit.page.evaluate(_MISLABELLED, query)


def expectations(pages: list[builtsite.Page], term: str) -> tuple[list[str], list[str]]:
    """(pages with the term in their title, pages with it anywhere in their text)."""
    folded = term.casefold()
    titled = [p.url for p in pages if folded in p.title.casefold()]
    mentioned = [p.url for p in pages if folded in p.text.casefold()]
    return titled, mentioned


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_search_finds_pages_in_their_language(
    more_visits: Callable[[], Awaitable[Visit]], base_url: str, site: builtsite.Site, lang: str
) -> None:
    pages = [p for p in site.pages if p.lang == lang]
    home = next(p for p in pages if p.url.strip("/") in ("", lang))
    problems: list[str] = []
    for term in REQUIRED[lang]:
        if not expectations(pages, term)[1]:
            problems.append(f"no {lang} page mentions {term!r}")
    terms = [term for term in TERMS[lang] if expectations(pages, term)[1]]  # a term no page uses has nothing to find

    async def every_result(visit: Visit, term: str) -> tuple[list[str], list[str]]:
        return await search(visit, base_url, term, every=True), await mislabelled(visit, term)

    async def first_screen(visit: Visit, query: str) -> list[str]:
        return await search(visit, base_url, query)

    asks = [functools.partial(every_result, term=term) for term in terms]
    asks += [functools.partial(first_screen, query=page.title) for page in pages]
    answers, complaints = await side_by_side(more_visits, base_url, home, asks)
    for term, (found, wrong) in zip(terms, answers[: len(terms)], strict=True):
        titled, mentioned = expectations(pages, term)
        if wrong:
            problems.append(f"{term!r}: results that contain it say a word is missing: {wrong}")
        if stray := [url for url in found if url not in {p.url for p in pages}]:
            problems.append(f"{term!r} finds pages of another language: {stray}")
        if titled and not set(titled) & set(found[:TOP]):
            problems.append(f"{term!r}: none of {titled} (titled with it) in the top {TOP}: {found[:TOP]}")
        if missed := [url for url in mentioned if url not in found]:
            problems.append(f"{term!r}: pages that contain it are not in its {len(found)} results: {missed}")
    for page, found in zip(pages, answers[len(terms) :], strict=True):
        if page.url not in found[:TOP]:
            problems.append(f"title {page.title!r} does not find /{page.url} in the top {TOP}: {found[:TOP]}")
    assert problems == [], "\n".join(problems)
    assert complaints == []


_INDEX_TIMING = """() => {
    const index = performance.getEntriesByType("resource").find((e) => e.name.endsWith("/search/search_index.json"));
    return index ? [index.startTime, performance.getEntriesByType("navigation")[0].loadEventEnd] : null;
}"""


async def test_the_search_index_waits_for_the_page(visit: Visit, base_url: str, site: builtsite.Site) -> None:
    """The index (the whole site's text) is requested after the page has loaded, not with it."""
    await open_page(visit, base_url, site.page(""), search=True)
    started, loaded = await visit.page.evaluate(_INDEX_TIMING)
    assert loaded > 0
    assert started >= loaded


async def test_reaching_for_search_requests_the_index_at_once(
    visit: Visit, base_url: str, site: builtsite.Site
) -> None:
    """A reader who opens search before the browser is idle does not wait for it to be."""
    await visit.page.add_init_script("window.requestIdleCallback = () => 0;")  # a browser never idle
    await visit.page.goto(base_url, wait_until="load", timeout=TIMEOUT_MS)
    await visit.page.wait_for_timeout(500)
    assert await visit.page.evaluate(_INDEX_TIMING) is None
    await visit.page.locator("input.md-search__input").click()
    assert await (await visit.page.wait_for_function(_INDEX_TIMING, timeout=TIMEOUT_MS)).json_value()
    assert await search(visit, base_url, "NodePort")


QUERIES_FILE = Path(__file__).with_name("search_queries.toml")
QUERIES = tomllib.loads(QUERIES_FILE.read_text(encoding="utf-8"))
RANKED = 3  # the results a reader sees without reading on
MIN_QUERIES = 30

# Highlights (<mark>) in the results that fall inside one of the given words, with their context.
_MARKED_INSIDE = """words => [...document.querySelectorAll(".md-search-result__list mark")].flatMap(mark => {
    const parent = mark.parentElement;
    let before = "";
    for (let node = parent.firstChild; node && node !== mark; node = node.nextSibling) before += node.textContent;
    const text = parent.textContent.replaceAll("\u200b", "");
    const start = before.replaceAll("\\u200b", "").length;
    const end = start + mark.textContent.replaceAll("\\u200b", "").length;
    return words.filter(word => {
        for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1))
            if (at < end && start < at + word.length && text.slice(start, end) !== word) return true;
        return false;
    }).map(word => `${word}: ...${text.slice(Math.max(0, start - 8), end + 8)}...`);
})"""


def test_the_query_lists_are_long_enough() -> None:
    for lang in ("en", "zh"):
        assert len(QUERIES[lang]) >= MIN_QUERIES, f"{QUERIES_FILE.name} [{lang}]: fewer than {MIN_QUERIES} queries"


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_query_finds_its_page_in_the_top_3(
    more_visits: Callable[[], Awaitable[Visit]], base_url: str, site: builtsite.Site, lang: str
) -> None:
    root = "" if lang == "en" else f"{lang}/"
    home = site.page(root)
    urls = {p.url for p in site.pages if p.lang == lang}
    unrelated = QUERIES.get("unrelated", {}).get(lang, {})
    queries = [query for query, wanted in QUERIES[lang].items() if root + wanted in urls]

    async def ranked(visit: Visit, query: str) -> tuple[list[str], list[str]]:
        found = await search(visit, base_url, query)
        return found, await visit.page.evaluate(_MARKED_INSIDE, unrelated[query]) if query in unrelated else []

    answers, complaints = await side_by_side(
        more_visits, base_url, home, [functools.partial(ranked, query=query) for query in queries]
    )
    answered = dict(zip(queries, answers, strict=True))
    problems = []
    for query, wanted in QUERIES[lang].items():
        if query not in answered:
            problems.append(f"{QUERIES_FILE.name} [{lang}] {query!r}: no page /{root}{wanted}")
            continue
        found, inside = answered[query]
        if root + wanted not in found[:RANKED]:
            rank = found.index(root + wanted) + 1 if root + wanted in found else "not found"
            problems.append(f"{query!r}: /{root}{wanted} is {rank}, top {RANKED}: {found[:RANKED]}")
        if inside:
            problems.append(f"{query!r} highlights inside unrelated words: {inside[:5]}")
    passed = len(QUERIES[lang]) - len({p.split("'")[1] for p in problems if p.startswith("'")})
    print(f"search [{lang}]: {passed} of {len(QUERIES[lang])} queries put their page in the top {RANKED}")
    assert problems == [], f"{len(problems)} problem(s):\n" + "\n".join(problems)
    assert complaints == []
