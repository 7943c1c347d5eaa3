"""Highlighted code comes from the disk when Pygments already highlighted the same block."""

from __future__ import annotations

from pathlib import Path

import pygments
import pymdownx.highlight
import pytest
from markdown import Markdown
from pygments.formatters import HtmlFormatter
from pygments.lexers import YamlLexer

from netdocs.site import codecache, sitecache

CONFIG = {"plugins": {}}  # a build without the i18n plugin: every on_post_build is the last


@pytest.fixture
def highlighted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """An empty cache under tmp_path, pymdownx restored afterwards, and every block Pygments highlights."""
    monkeypatch.setattr(codecache, "STORE", sitecache.Store("highlighted", tmp_path))
    for name in ("highlight", "get_lexer_by_name", "BlockHtmlFormatter", "InlineHtmlFormatter"):
        monkeypatch.setattr(pymdownx.highlight, name, getattr(pymdownx.highlight, name))
    calls: list[str] = []
    real = pygments.highlight
    monkeypatch.setattr(pygments, "highlight", lambda src, *rest: calls.append(src) or real(src, *rest))
    return calls


def _next_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a new build process finds: the cache file only."""
    codecache.on_post_build(CONFIG)
    monkeypatch.setattr(codecache, "STORE", sitecache.Store("highlighted", tmp_path))
    codecache.on_config({})


def test_a_block_is_highlighted_once_and_written_back(
    highlighted: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = "kind: Service\nmetadata:\n  name: echo\n"
    first = codecache.highlight(src, YamlLexer(), HtmlFormatter(filename="a.yaml"))
    direct = pygments.format(pygments.lex(src, YamlLexer()), HtmlFormatter(filename="a.yaml"))
    assert '<span class="w"> </span>' in direct
    assert first == direct.replace('<span class="w"> </span>', " ").replace('<span class="w">  </span>', "  ")
    _next_build(tmp_path, monkeypatch)
    assert codecache.highlight(src, YamlLexer(), HtmlFormatter(filename="a.yaml")) == first
    assert highlighted == [src]
    other_title = codecache.highlight(src, YamlLexer(), HtmlFormatter(filename="b.yaml"))
    assert "b.yaml" in other_title
    assert highlighted == [src, src]  # the formatter's options are part of the key


def test_a_page_shows_the_same_code_whether_or_not_it_was_on_disk(
    highlighted: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = '```{ .yaml title="s.yaml" }\nkind: Service\nspec:\n  ports: [80]\n```\n\n`#!bash echo hi`\n'
    extensions = ["pymdownx.highlight", "pymdownx.superfences", "pymdownx.inlinehilite", "attr_list"]
    before = Markdown(extensions=extensions).convert(page)  # Pygments and pymdownx as they come
    codecache.on_config({})
    made = Markdown(extensions=extensions).convert(page)
    assert highlighted == ["kind: Service\nspec:\n  ports: [80]", "echo hi"]  # the block and the inline code
    _next_build(tmp_path, monkeypatch)
    cached = Markdown(extensions=extensions).convert(page)
    assert len(highlighted) == 2  # nothing highlighted again
    assert made == cached == before.replace('<span class="w"> </span>', " ").replace('<span class="w">  </span>', "  ")
    assert '<span class="nt">kind</span>' in cached
    assert "s.yaml" in cached
