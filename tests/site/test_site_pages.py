"""Navigation and metadata of the built site, page by page in both languages: language
alternates, meta descriptions, the sitemap (no 404s) and the bilingual 404 page."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from netdocs.dev import builtsite
from netdocs.paths import DOCS
from netdocs.site import diagrams

_META_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
_SWITCH = re.compile(r'<a href="([^"]+)" hreflang="([^"]+)" class="md-select__link[^"]*"')
_CURRENT = re.compile(r'hreflang="([^"]+)" class="md-select__link nd-current-language" aria-current="true"')
_HAN = re.compile(r"[\u4e00-\u9fff]")


def source(page: builtsite.Page, default: str = "en") -> Path:
    """The Markdown file a built page comes from (suffix layout: page.md, page.zh.md)."""
    path = page.url.removeprefix(f"{page.lang}/") if page.lang != default else page.url
    suffix = "" if page.lang == default else f".{page.lang}"
    stem = path.strip("/")
    candidates = (
        [DOCS / f"{stem}{suffix}.md", DOCS / stem / f"index{suffix}.md"] if stem else [DOCS / f"index{suffix}.md"]
    )
    return next((c for c in candidates if c.is_file()), candidates[0])


def front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}
    return yaml.safe_load(text.split("---\n", 2)[1]) or {}


def test_sitemap_lists_every_page_and_no_404(site: builtsite.Site) -> None:
    built = {p.parent.relative_to(site.root).as_posix() for p in site.root.rglob("index.html")}
    built = {"" if u == "." else u + "/" for u in built}
    listed = {p.url for p in site.pages}
    assert listed - built == set(), "sitemap URLs with no page (404s)"
    assert built - listed == set(), "pages missing from the sitemap"
    alternates = {url for p in site.pages for url in p.alternates.values()}
    assert alternates - built == set(), "language alternates with no page (404s)"


def test_every_page_has_both_languages_and_they_point_at_each_other(site: builtsite.Site) -> None:
    languages = {p.lang for p in site.pages}
    assert languages == {"en", "zh"}
    problems = []
    for page in site.pages:
        if set(page.alternates) != languages:
            problems.append(f"/{page.url}: alternates {sorted(page.alternates)}")
            continue
        if page.alternates[page.lang] != page.url:
            problems.append(f"/{page.url}: its own alternate is /{page.alternates[page.lang]}")
        for lang, url in page.alternates.items():
            twin = site.page(url)
            if twin.lang != lang or twin.alternates.get(page.lang) != page.url:
                problems.append(f"/{page.url} -> /{url} is not reciprocal")
    assert problems == []


def test_language_switch_links_lead_to_the_same_page(site: builtsite.Site) -> None:
    prefix = urlsplit(site.url).path
    problems = []
    for page in site.pages:
        links = {lang: href for href, lang in _SWITCH.findall(page.html)}
        for lang, url in page.alternates.items():
            href = links.get(lang)
            if href is None:
                target = None
            elif href.startswith("/"):  # the home pages link from the root of the sub-path
                target = (site.root / href.removeprefix(prefix)).resolve()
            else:
                target = (page.file.parent / href).resolve()
            if target is None or target != (site.root / url).resolve():
                problems.append(f"/{page.url}: the {lang} switch is {href}, not /{url}")
    assert problems == []


def test_the_switch_marks_the_language_of_the_page(site: builtsite.Site) -> None:
    marked = {p.url: _CURRENT.findall(p.html) for p in site.pages}
    problems = [f"/{p.url}: marked {marked[p.url]}" for p in site.pages if marked[p.url] != [p.lang]]
    assert problems == []


def test_no_per_page_alternate_links_in_head(site: builtsite.Site) -> None:
    """Material fetches <href>/sitemap.xml for each <link rel=alternate>: per-page links would be 404s.
    The alternates live in sitemap.xml (tested above) and on the language switch."""
    assert [p.url for p in site.pages if '<link rel="alternate"' in p.html] == []


def test_every_page_has_its_own_description_in_its_language(site: builtsite.Site) -> None:
    problems = []
    for page in site.pages:
        match = _META_DESCRIPTION.search(page.html)
        wanted = front_matter(source(page)).get("description")
        if not wanted:
            problems.append(f"{source(page).relative_to(DOCS.parent)}: no description in the front matter")
        elif match is None or html.unescape(match.group(1)) != str(wanted).strip():
            problems.append(f"/{page.url}: meta description is not the page's own")
        elif (page.lang == "zh") != bool(_HAN.search(str(wanted))):
            problems.append(f"/{page.url}: description is not in {page.lang}")
    assert problems == []


def test_pages_declare_their_language_and_canonical_address(site: builtsite.Site) -> None:
    problems = [f"/{p.url}: lang={p.lang}" for p in site.pages if p.lang != ("zh" if p.url.startswith("zh/") else "en")]
    problems += [
        f"/{p.url}: canonical" for p in site.pages if f'<link rel="canonical" href="{site.url}{p.url}">' not in p.html
    ]
    assert problems == []


def test_404_page_is_bilingual_and_works_at_any_depth(site: builtsite.Site) -> None:
    page = (site.root / "404.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in page
    assert "page not found" in page
    assert 'lang="zh"' in page
    assert "页面不存在" in page
    assert '<meta name="robots" content="noindex">' in page
    prefix = urlsplit(site.url).path
    local = [url for _, url in builtsite.resources(page) if not builtsite.is_external(url)]
    assert local
    assert [url for url in local if not url.startswith(prefix)] == [], "404 assets must be absolute paths"
    assert f'href="{prefix}zh/"' in page


def test_every_diagram_is_drawn_and_every_drawing_is_shown(site: builtsite.Site) -> None:
    """Pages carry their diagrams as SVG (netdocs.site.diagrams); diagrams/ holds no drawing nobody shows."""
    undrawn = [f"/{page.url}" for page in site.pages if diagrams.sources(page.html)]
    assert undrawn == [], "a strict build fails first; run `nox -s diagrams`"
    shown = {key for page in site.pages for key in builtsite.drawn_keys(page.html)}
    assert len(shown) >= 10, "packet paths and architectures are drawn with Mermaid"
    unused = sorted(path.name for path in diagrams.DRAWINGS.glob("*.svg") if path.stem not in shown)
    assert unused == [], "`nox -s diagrams` deletes drawings no page shows"


class _ProseText(HTMLParser):
    """The text of each paragraph, list item and table cell of a page's article, code as an "x"."""

    BLOCKS = frozenset({"p", "li", "td", "th", "dd"})
    SKIP = frozenset({"code", "pre", "script", "style", "svg", "template"})

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.open: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            if self.open and not self.skip:
                self.texts[-1] += "x"  # code is Latin text: a space before it is the site's style
            self.skip += 1
        elif tag in self.BLOCKS:
            self.open.append(tag)
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS and self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.open and not self.skip:
            self.texts[-1] += data


_CJK_GAP = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef][ \t\n]+[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def cjk_gaps(page_html: str) -> list[str]:
    """Each space between two Chinese characters in a page's prose, with a little context."""
    parser = _ProseText()
    parser.feed(page_html[page_html.find("<article") : page_html.rfind("</article>")])
    return [
        text[max(0, m.start() - 6) : m.end() + 6].replace("\n", "⏎")
        for text in parser.texts
        for m in _CJK_GAP.finditer(text)
    ]


def test_chinese_prose_has_no_spaces_between_chinese_characters(site: builtsite.Site) -> None:
    """Source line breaks inside Chinese paragraphs are joined at build time (netdocs.site.cjk)."""
    problems = [f"/{p.url}: {gap!r}" for p in site.pages if p.lang == "zh" for gap in cjk_gaps(p.html)]
    assert problems == [], f"{len(problems)} stray spaces in Chinese prose"


_HEADING_ID = re.compile(r'<h([1-6]) id="([^"]+)"')


def test_every_chinese_heading_has_its_english_twins_id(site: builtsite.Site) -> None:
    """Links to a section work in both languages, and the language switch keeps the section."""
    problems = []
    for page in site.pages:
        if page.lang != "zh":
            continue
        ids = _HEADING_ID.findall(page.html)
        twin = _HEADING_ID.findall(site.page(page.alternates["en"]).html)
        if ids != twin:
            problems.append(f"/{page.url}: {[i for _, i in ids]} != {[i for _, i in twin]}")
        problems += [f"/{page.url}: id {i!r} says nothing" for _, i in ids if re.fullmatch(r"_\d*", i)]
    assert problems == []
