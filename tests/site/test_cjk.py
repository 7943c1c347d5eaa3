"""Chinese pages: line breaks joined between Chinese characters, and the English twin's heading ids."""

from __future__ import annotations

import markdown
import pytest

from netdocs.site import cjk


@pytest.mark.parametrize(
    ("source", "joined"),
    [
        ("提供\n简体中文", "提供简体中文"),
        ("笔记中\n  有错误", "笔记中有错误"),  # a list item's continuation loses its indentation
        ("规则：\n它规定", "规则：它规定"),
        ("见\n[网络策略页面](x.md)。", "见[网络策略页面](x.md)。"),
        ("**更宽。**\n在", "**更宽。**在"),
        ("页面，\n`ndots` 的含义", "页面，`ndots` 的含义"),  # full-width punctuation carries its own space
        ("和 [实验渠道](x.md#a) 与 **更宽。** 在", "和[实验渠道](x.md#a)与**更宽。**在"),
    ],
)
def test_breaks_and_spaces_between_chinese_characters_go(source: str, joined: str) -> None:
    assert cjk.join_lines(source) == joined


@pytest.mark.parametrize(
    "source",
    [
        "集群\nService 的地址",  # Han, then Latin: a space, as the site's Chinese style wants
        "Service\n的地址",
        "## 标题\n正文",  # a heading never takes in the paragraph below it
        "- 第一项：\n- 第二项",  # a list item stays a list item
        "说明：\n1. 第一步",
        "第一行。  \n第二行",  # a hard break stays
        "```text\n中\n文\n```",  # code keeps its lines
        "    ```mermaid\n    A[客户端\n    服务]\n    ```",
        "`a 中 文`",  # and inline code its spaces
        "第一段。\n\n第二段",
    ],
)
def test_code_latin_breaks_and_block_structure_stay(source: str) -> None:
    assert cjk.join_lines(source) == source


def render(text: str, twins: list[cjk.Heading] | None) -> tuple[str, cjk.TwinIds]:
    extension = cjk.TwinIds(ids=twins)
    return markdown.markdown(text, extensions=["toc", "attr_list", extension]), extension


EN = [cjk.Heading(1, "DNS", "dns"), cjk.Heading(2, "Records", "records"), cjk.Heading(3, "A records", "a-records")]


def test_a_chinese_heading_takes_the_id_of_its_english_twin() -> None:
    html, extension = render("# DNS\n\n## 记录\n\n### A 记录 {#mine}\n", EN)
    assert html == '<h1 id="dns">DNS</h1>\n<h2 id="records">记录</h2>\n<h3 id="a-records">A 记录</h3>'
    assert extension.mismatches == []


def test_without_twins_headings_keep_their_own_ids() -> None:
    html, _ = render("## Records\n", None)
    assert html == '<h2 id="records">Records</h2>'


def test_a_different_structure_is_reported_with_the_heading() -> None:
    _, extension = render("# DNS\n\n### 记录\n", EN)
    assert extension.mismatches == [
        ("记录", "heading 2, '记录', is at level 3; heading 2 of the English page, 'Records', is at level 2")
    ]
    _, extension = render("# DNS\n\n## 记录\n", EN)
    assert extension.mismatches == [("记录", "2 headings; the English page has 3")]


def test_heading_line_finds_the_heading_in_the_source() -> None:
    assert cjk.heading_line("---\ntitle: x\n---\n\n# DNS\n\n## 记录\n", "记录") == 7
    assert cjk.heading_line("# DNS\n", "记录") is None


class _File:
    def __init__(self, src_uri: str, content: str) -> None:
        self.src_uri = src_uri
        self.content_string = content


class _Page:
    """The parts of an MkDocs page the hooks read."""

    def __init__(self, src_uri: str, content: str) -> None:
        self.file = _File(src_uri, content)
        self.toc: object = []


def build_pair(monkeypatch: pytest.MonkeyPatch, english: str, chinese: str) -> tuple[str, str]:
    """Run the hooks as the bilingual build does (English pass first): the Chinese page's HTML and Markdown."""
    from mkdocs.structure.toc import get_toc

    from netdocs.site import hooks

    html = ""
    markdown_text = ""
    for lang, uri, source in (("en", "dns/index.md", english), ("zh", "dns/index.zh.md", chinese)):
        monkeypatch.setattr(hooks, "_i18n_languages", lambda _config, lang=lang: (lang, "en"))
        page = _Page(uri, source)
        markdown_text = hooks.on_page_markdown(source, page=page, config={})
        md = markdown.Markdown(extensions=["toc", "attr_list", hooks._twin_ids])
        html = md.convert(markdown_text)
        page.toc = get_toc(md.toc_tokens)  # type: ignore[attr-defined]
        html = hooks.on_page_content(html, page=page, config={})
    return html, markdown_text


def test_the_build_gives_chinese_pages_joined_lines_and_english_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    html, text = build_pair(monkeypatch, "# DNS\n\n## Records\n", "# DNS\n\n## 记录\n\n提供\n简体中文\n")
    assert '<h2 id="records">记录</h2>' in html
    assert "提供简体中文" in text


def test_a_different_structure_fails_the_build_naming_file_and_line(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("WARNING", logger="mkdocs.plugins.netdocs.site.hooks"):
        build_pair(monkeypatch, "# DNS\n\n## Records\n", "# DNS\n\n说明。\n\n### 记录\n")
    assert caplog.messages == [
        "docs/dns/index.zh.md:5: heading 2, '记录', is at level 3; heading 2 of the English page, 'Records', "
        "is at level 2; keep the same headings, in the same order and levels, as docs/dns/index.md, "
        "so each section has the same id in both languages"
    ]
