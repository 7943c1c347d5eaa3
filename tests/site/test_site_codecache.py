"""Highlighted code comes from the disk when Pygments already highlighted the same block."""

from __future__ import annotations

from pathlib import Path

import pygments
import pymdownx.highlight
import pytest
from pygments.formatters import HtmlFormatter
from pygments.lexers import YamlLexer

from netdocs.site import codecache


def test_a_block_is_highlighted_once_and_written_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codecache, "_FILE", tmp_path / "highlighted.json")
    monkeypatch.setattr(codecache, "_saved", {})
    monkeypatch.setattr(codecache, "_used", {})
    monkeypatch.setattr(pymdownx.highlight, "highlight", pymdownx.highlight.highlight)  # restored after on_config
    calls: list[str] = []
    real = pygments.highlight
    monkeypatch.setattr(pygments, "highlight", lambda src, *rest: calls.append(src) or real(src, *rest))
    src = "kind: Service\nmetadata:\n  name: echo\n"
    first = codecache.highlight(src, YamlLexer(), HtmlFormatter(filename="a.yaml"))
    plain = real(src, YamlLexer(), HtmlFormatter(filename="a.yaml"))
    assert '<span class="w"> </span>' in plain
    assert first == plain.replace('<span class="w"> </span>', " ").replace('<span class="w">  </span>', "  ")
    codecache.on_post_build()
    codecache._used.clear()
    codecache._saved.clear()
    codecache.on_config({})  # the next build reads the disk
    assert codecache.highlight(src, YamlLexer(), HtmlFormatter(filename="a.yaml")) == first
    assert calls == [src]
    other_title = codecache.highlight(src, YamlLexer(), HtmlFormatter(filename="b.yaml"))
    assert "b.yaml" in other_title
    assert calls == [src, src]  # the formatter's options are part of the key
