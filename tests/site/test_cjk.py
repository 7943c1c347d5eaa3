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
