"""Search in both languages, in Chromium, with the network cut.

Each language's pages search only their own language's index. Every page is found by its
own title, and each term below finds every page that contains it: Chinese queries are typed
as readers type them, without spaces, and cut into the index's words (jieba at build time,
netdocs/site/search/searchworker.py in the browser), so a result that contains a query is never
labelled as missing one of its words. The queries of search_queries.toml put the page a
reader looks for in the top 3, and never highlight a word that only contains the query's.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from actions import TIMEOUT_MS, Visit, open_page, site_path

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


_PLACEHOLDER = "JSON.parse(document.getElementById('__config').textContent).translations['search.result.placeholder']"


# How many pages the results list says it has: "23 个符合条件的结果", "37 matching documents".
_RESULT_COUNT = """el => { const digits = el.textContent.match(/\\d+/);
    return digits ? Number(digits[0]) : document.querySelectorAll(".md-search-result__list > li").length; }"""
# Material shows 10 results, then 4 more each time the list is scrolled to its end again.
_SHOW_MORE = """async el => {
    const frame = () => new Promise(done => requestAnimationFrame(done));
    el.scrollTo(0, 0); await frame(); await frame(); el.scrollTo(0, el.scrollHeight);
}"""
_SHOWN = "n => document.querySelectorAll('.md-search-result__list > li').length > n"


def search(visit: Visit, base_url: str, query: str, every: bool = False) -> list[str]:
    """Type a query; the site-relative pages of the results, best first: the first screen,
    or ``every`` one as a reader scrolling to the end of the list sees them."""
    page = visit.page
    box = page.locator("input.md-search__input")
    meta = page.locator(".md-search-result__meta").element_handle()
    placeholder = page.evaluate(_PLACEHOLDER)
    box.click()
    box.fill("")
    box.press("End")
    page.wait_for_function("([el, text]) => el.textContent.trim() === text", arg=[meta, placeholder])
    box.fill(query)
    box.press("End")  # Material reads the query on keyup, as keyboards and input methods send it
    page.wait_for_function("([el, text]) => el.textContent.trim() !== text", arg=[meta, placeholder])
    items = page.locator(".md-search-result__list > li")
    while every and (shown := items.count()) < meta.evaluate(_RESULT_COUNT):
        page.locator(".md-search__scrollwrap").evaluate(_SHOW_MORE)
        page.wait_for_function(_SHOWN, arg=shown, timeout=TIMEOUT_MS)
    hrefs = page.eval_on_selector_all(".md-search-result__list > li > a", "els => els.map(e => e.href)")
    return list(dict.fromkeys(site_path(href, base_url) for href in hrefs))


# Results that contain the query as typed, yet say a word of it is missing ("缺少: 负载*").
# As typed: case matters, as in the index, where NodePort is two words and nodeport one.
_MISLABELLED = """query => [...document.querySelectorAll("article.md-search-result__article")].filter(article => {
    const terms = article.querySelector(".md-search-result__terms");
    const text = [...article.childNodes].filter(node => node !== terms).map(node => node.textContent).join(" ");
    return terms && text.replaceAll("\\u200b", "").includes(query);
}).map(article => article.querySelector("h1, h2").textContent.replaceAll("\\u200b", "") + " (" +
    article.querySelector(".md-search-result__terms").textContent.trim() + ")")"""


def mislabelled(visit: Visit, query: str) -> list[str]:
    """Results that contain the query but are labelled as missing one of its words."""
    return visit.page.evaluate(_MISLABELLED, query)


def expectations(pages: list[builtsite.Page], term: str) -> tuple[list[str], list[str]]:
    """(pages with the term in their title, pages with it anywhere in their text)."""
    folded = term.casefold()
    titled = [p.url for p in pages if folded in p.title.casefold()]
    mentioned = [p.url for p in pages if folded in p.text.casefold()]
    return titled, mentioned


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_search_finds_pages_in_their_language(visit: Visit, base_url: str, site: builtsite.Site, lang: str) -> None:
    pages = [p for p in site.pages if p.lang == lang]
    home = next(p for p in pages if p.url.strip("/") in ("", lang))
    open_page(visit, base_url, home, search=True)
    problems: list[str] = []
    for term in REQUIRED[lang]:
        if not expectations(pages, term)[1]:
            problems.append(f"no {lang} page mentions {term!r}")
    for term in TERMS[lang]:
        titled, mentioned = expectations(pages, term)
        if not mentioned:
            continue  # no page uses the term yet: nothing to find
        found = search(visit, base_url, term, every=True)
        if wrong := mislabelled(visit, term):
            problems.append(f"{term!r}: results that contain it say a word is missing: {wrong}")
        if stray := [url for url in found if url not in {p.url for p in pages}]:
            problems.append(f"{term!r} finds pages of another language: {stray}")
        if titled and not set(titled) & set(found[:TOP]):
            problems.append(f"{term!r}: none of {titled} (titled with it) in the top {TOP}: {found[:TOP]}")
        if missed := [url for url in mentioned if url not in found]:
            problems.append(f"{term!r}: pages that contain it are not in its {len(found)} results: {missed}")
    for page in pages:
        found = search(visit, base_url, page.title)
        if page.url not in found[:TOP]:
            problems.append(f"title {page.title!r} does not find /{page.url} in the top {TOP}: {found[:TOP]}")
    assert problems == [], "\n".join(problems)
    assert visit.problems() == []


_INDEX_TIMING = """() => {
    const index = performance.getEntriesByType("resource").find((e) => e.name.endsWith("/search/search_index.json"));
    return index ? [index.startTime, performance.getEntriesByType("navigation")[0].loadEventEnd] : null;
}"""


def test_the_search_index_waits_for_the_page(visit: Visit, base_url: str, site: builtsite.Site) -> None:
    """The index (the whole site's text) is requested after the page has loaded, not with it."""
    open_page(visit, base_url, site.page(""), search=True)
    started, loaded = visit.page.evaluate(_INDEX_TIMING)
    assert loaded > 0
    assert started >= loaded


def test_reaching_for_search_requests_the_index_at_once(visit: Visit, base_url: str, site: builtsite.Site) -> None:
    """A reader who opens search before the browser is idle does not wait for it to be."""
    visit.page.add_init_script("window.requestIdleCallback = () => 0;")  # a browser never idle
    visit.page.goto(base_url, wait_until="load", timeout=TIMEOUT_MS)
    visit.page.wait_for_timeout(500)
    assert visit.page.evaluate(_INDEX_TIMING) is None
    visit.page.locator("input.md-search__input").click()
    assert visit.page.wait_for_function(_INDEX_TIMING, timeout=TIMEOUT_MS).json_value()
    assert search(visit, base_url, "NodePort")


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
def test_a_query_finds_its_page_in_the_top_3(visit: Visit, base_url: str, site: builtsite.Site, lang: str) -> None:
    root = "" if lang == "en" else f"{lang}/"
    home = site.page(root)
    urls = {p.url for p in site.pages if p.lang == lang}
    open_page(visit, base_url, home, search=True)
    problems = []
    unrelated = QUERIES.get("unrelated", {}).get(lang, {})
    for query, wanted in QUERIES[lang].items():
        if root + wanted not in urls:
            problems.append(f"{QUERIES_FILE.name} [{lang}] {query!r}: no page /{root}{wanted}")
            continue
        found = search(visit, base_url, query)
        if root + wanted not in found[:RANKED]:
            rank = found.index(root + wanted) + 1 if root + wanted in found else "not found"
            problems.append(f"{query!r}: /{root}{wanted} is {rank}, top {RANKED}: {found[:RANKED]}")
        if query in unrelated and (inside := visit.page.evaluate(_MARKED_INSIDE, unrelated[query])):
            problems.append(f"{query!r} highlights inside unrelated words: {inside[:5]}")
    passed = len(QUERIES[lang]) - len({p.split("'")[1] for p in problems if p.startswith("'")})
    print(f"search [{lang}]: {passed} of {len(QUERIES[lang])} queries put their page in the top {RANKED}")
    assert problems == [], f"{len(problems)} problem(s):\n" + "\n".join(problems)
    assert visit.problems() == []
