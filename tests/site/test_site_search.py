"""Search indexes of the built site: one per language, Chinese segmented by jieba at build
time, and every page pointed at its own language's index."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import jieba
import pytest

from netdocs.dev import builtsite
from netdocs.paths import DOCS
from netdocs.site.search import searchdict, searchindex, searchterms

_BASE = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.DOTALL)
# The first word of a diagram's source: its kind (flowchart, sequenceDiagram, ...).
_DIAGRAM_KIND = re.compile(r"^[ \t]*```mermaid[ \t]*\n\s*(\w+)", re.MULTILINE)


def index_of(site: builtsite.Site, lang: str) -> dict:
    root = site.root if lang == "en" else site.root / lang
    return json.loads((root / searchindex.INDEX).read_text(encoding="utf-8"))


def segmented_runs(site: builtsite.Site) -> Iterator[tuple[str, list[str]]]:
    """(location, words) for every Chinese run of the Chinese index, as jieba cut it at build time."""
    for doc in index_of(site, "zh")["docs"]:
        for chunk in searchdict.HAN_OR_GAP.findall(doc["title"] + " " + doc["text"]):
            if words := [w for w in chunk.split("\u200b") if w]:
                yield doc["location"], words


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_language_indexes_exactly_its_pages(site: builtsite.Site, lang: str) -> None:
    prefix = "" if lang == "en" else f"{lang}/"
    docs = index_of(site, lang)["docs"]
    articles = {prefix + d["location"] for d in docs if "#" not in d["location"]}
    assert articles == {p.url for p in site.pages if p.lang == lang}
    missing_anchors = [
        d["location"]
        for d in docs
        if "#" in d["location"]
        and f'id="{d["location"].split("#")[1]}"' not in site.page(prefix + d["location"].split("#")[0]).html
    ]
    assert missing_anchors == []


def test_pages_search_their_own_language(site: builtsite.Site) -> None:
    problems = []
    for page in site.pages:
        base = json.loads(_BASE.search(page.html).group(1))["base"]
        if page.lang == "en" and base.endswith(("/zh/", "/zh")):
            problems.append(f"/{page.url}: base {base}")
        if page.lang == "zh" and not base.endswith("/zh/"):
            problems.append(f"/{page.url}: base {base}")
    assert problems == []


def test_chinese_text_is_segmented_by_jieba(site: builtsite.Site) -> None:
    """Words are split by zero-width spaces at build time; the browser segments queries against them."""
    text = " ".join(d["title"] + " " + d["text"] for d in index_of(site, "zh")["docs"])
    assert "\u200b" in text
    tokens = set(re.split(r"[\s\u200b]+", text))
    for term in ("负载均衡", "集群"):
        if any(term in p.text for p in site.pages if p.lang == "zh"):
            words = [w for w in jieba.cut(term) if w.strip()]
            assert set(words) <= tokens, f"{term} -> {words} not in the index"


def test_diagram_sources_are_not_in_the_search_index(site: builtsite.Site) -> None:
    """Mermaid source is syntax, not prose: a search for a word in a diagram's labels must not
    show ``C["client"] --> LB[...]`` as the result (netdocs.site.diagrams.fence)."""
    kinds = {kind for page in DOCS.rglob("*.md") for kind in _DIAGRAM_KIND.findall(page.read_text(encoding="utf-8"))}
    assert {"flowchart", "sequenceDiagram"} <= kinds
    source = re.compile(rf"<pre><code>(?:{'|'.join(sorted(kinds))})\b")
    shown = [
        f"{lang}: {d['location']}"
        for lang in ("en", "zh")
        for d in index_of(site, lang)["docs"]
        if source.search(d["text"])
    ]
    assert shown == []


def test_split_and_rebase(tmp_path: Path) -> None:
    merged = {
        "config": {"lang": ["en", "zh"]},
        "docs": [
            {"location": "", "title": "Home", "text": ""},
            {"location": "services/", "title": "Services", "text": ""},
            {"location": "zh/", "title": "首页", "text": ""},
            {"location": "zh/services/#a", "title": "Service", "text": ""},
        ],
    }
    (tmp_path / "search").mkdir()
    (tmp_path / searchindex.INDEX).write_text(json.dumps(merged))
    assert searchindex.split(tmp_path, ["en", "zh"], "en") == {"en": 2, "zh": 2}
    zh = json.loads((tmp_path / "zh" / searchindex.INDEX).read_text())
    assert [d["location"] for d in zh["docs"]] == ["", "services/#a"]
    assert zh["config"] == merged["config"]
    page = '<script id="__config" type="application/json">{"base":"../..","x":"</"}</script>'
    assert searchindex.rebase(page, "zh") == (
        '<script id="__config" type="application/json">{"base":"../../zh/","x":"\\u003c/"}</script>'
    )


@pytest.fixture(scope="module")
def jieba_full() -> Callable[[], jieba.Tokenizer]:
    """Fresh tokenizers on jieba's own dictionary, loaded once (each load takes most of a second)."""
    loaded = jieba.Tokenizer()
    loaded.check_initialized()

    def fresh() -> jieba.Tokenizer:
        tokenizer = jieba.Tokenizer()
        tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(loaded.FREQ), loaded.total, True
        return tokenizer

    return fresh


def test_trimmed_dictionary_segments_the_built_index_like_the_full_one(
    site: builtsite.Site, jieba_full: Callable[[], jieba.Tokenizer]
) -> None:
    """The site's build gives jieba only the words its Chinese text can contain, and the site's
    own words (netdocs.site.search.searchdict): every Chinese run in the index must be segmented exactly as
    jieba's full dictionary does with those words added by jieba itself."""
    full = jieba_full()  # jieba's own dictionary, whatever the build used
    for word, frequency in searchdict.site_words().items():
        full.add_word(word, frequency)
    runs = [("".join(words), words) for _, words in segmented_runs(site)]
    assert len(runs) > 100
    different = [(run, words) for run, words in runs if list(full.cut(run)) != words]
    assert different == []


def test_trimmed_dictionary_keeps_words_and_total(tmp_path: Path, jieba_full: Callable[[], jieba.Tokenizer]) -> None:
    text = "负载均衡器把请求分发到后端的多个端点切片"
    dictionary = tmp_path / "dict.txt"
    dictionary.write_text(searchdict.trimmed({text}), encoding="utf-8")
    words = {line.split(" ")[0] for line in dictionary.read_text(encoding="utf-8").splitlines()}
    assert {"负载", "均衡", "请求", searchdict.FILLER} <= words
    assert len(words) < 200
    total = sum(int(line.split(" ")[1]) for line in dictionary.read_text(encoding="utf-8").splitlines())
    full = jieba_full()
    assert total == full.total
    assert list(jieba.Tokenizer(str(dictionary)).cut(text)) == list(full.cut(text))


def test_site_words_are_added_as_jieba_adds_them(tmp_path: Path, jieba_full: Callable[[], jieba.Tokenizer]) -> None:
    text = "请求发到它的后端和字段"
    reference = jieba_full()
    assert "后端" not in reference.lcut(text)  # jieba's general dictionary cuts 后 + 端
    words = {"后端": 10000, "字段": None}
    for word, frequency in words.items():
        reference.add_word(word, frequency)
    dictionary = tmp_path / "dict.txt"
    dictionary.write_text(searchdict.trimmed({text}, words=words), encoding="utf-8")
    trimmed = jieba.Tokenizer(str(dictionary))
    assert trimmed.lcut(text) == reference.lcut(text)
    assert {"后端", "字段"} <= set(trimmed.lcut(text))
    trimmed.check_initialized()
    assert trimmed.total == reference.total


def test_a_bad_word_list_line_is_named_with_the_fix(tmp_path: Path) -> None:
    words = tmp_path / "words.txt"
    words.write_text("# comment\n后端 10000\n字段  # why\n\n挂接 many\n", encoding="utf-8")
    with pytest.raises(searchdict.WordListInvalid, match=r"words\.txt:5: '挂接 many' is not a word and a frequency"):
        searchdict.site_words(words)
    words.write_text("后端 10000\n字段  # why\n", encoding="utf-8")
    assert searchdict.site_words(words) == {"后端": 10000, "字段": None}


# Phrases that hold a site word's characters without the word: 逐一跳过 is 逐一 + 跳过 ("skip
# one by one"), not 一跳 ("a hop").
ANOTHER_WORD = ("逐一跳过",)


def test_site_words_are_one_word_wherever_the_index_has_them(site: builtsite.Site) -> None:
    """A query is cut into the index's words (netdocs/site/search/searchworker.py): a word of searchwords.zh.txt
    found whole in one place and cut apart in another could not find both. (Inside a longer
    word, as 变量 in 环境变量, it is another word.)"""
    problems = []
    for location, words in segmented_runs(site):
        starts = {sum(map(len, words[:n])) for n in range(len(words))}
        run = "".join(words)
        for word in searchdict.site_words():
            at = run.find(word)
            while at >= 0:
                cut_apart = any(at < start < at + len(word) for start in starts)
                if cut_apart and not any(phrase in run and word in phrase for phrase in ANOTHER_WORD):
                    problems.append(f"{location}: {word} in {'/'.join(words)}")
                at = run.find(word, at + 1)
    assert problems == []


def test_dictionary_runs_are_the_text_the_search_parser_keeps() -> None:
    page = (
        '<p>负载<strong>均衡</strong></p><script>脚本</script><a class="headerlink" href="#x">锚点</a>'
        '<pre class="mermaid" data-search-exclude=""><code>图示</code></pre>'
    )
    assert searchdict.han_runs([page]) == {"负载均衡"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_search_words_are_the_tags_of_their_pages(site: builtsite.Site, lang: str) -> None:
    """Every entry of a page listed in searchterms.toml carries its words as tags, in its language."""
    root = "" if lang == "en" else f"{lang}/"
    docs = json.loads((site.root / root / searchindex.INDEX).read_text(encoding="utf-8"))["docs"]
    for page, words in tomllib.loads(searchterms.TERMS.read_text(encoding="utf-8")).items():
        location = page.removesuffix("index.md").removesuffix(".md") + ("/" if not page.endswith("index.md") else "")
        entries = [d for d in docs if d["location"].split("#")[0] == location]
        assert entries, f"{searchterms.TERMS.name}: no {lang} index entry for {page} at {location!r}"
        for entry in entries:
            assert set(words[lang]) <= set(entry.get("tags", [])), f"{entry['location']}: tags {entry.get('tags')}"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('["no/such.md"]\nen = []\nzh = []\n', "['no/such.md'] is not a page under docs/"),
        ('["dns/index.md"]\nen = []\n', "needs exactly the keys en and zh"),
        ('["dns/index.md"]\nen = "DNS"\nzh = []\n', "each language is a list of words"),
    ],
)
def test_a_bad_search_terms_file_is_named_with_the_fix(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "searchterms.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(searchterms.TermsInvalid, match=re.escape(says)):
        searchterms.terms("dns/index.md", "en", path)
