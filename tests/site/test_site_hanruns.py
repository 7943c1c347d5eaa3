"""jieba's trimmed dictionary follows the pages: the Chinese runs kept on disk are found again
when a page's text changes."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from netdocs.site import hooks, sitecache
from netdocs.site.search import searchdict

CONFIG = {"plugins": {}}


def _files(*contents: str) -> SimpleNamespace:
    pages = [SimpleNamespace(content=text, title="") for text in contents]
    return SimpleNamespace(documentation_pages=lambda: [SimpleNamespace(page=page) for page in pages])


def test_the_dictionary_follows_the_pages_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    given: list[set[str]] = []
    monkeypatch.setattr(searchdict, "use_for", given.append)
    found: list[int] = []
    real = searchdict.han_runs
    monkeypatch.setattr(searchdict, "han_runs", lambda texts: found.append(1) or real(texts))

    def build(*contents: str) -> None:
        monkeypatch.setattr(hooks, "HAN_RUNS", sitecache.Store("runs", tmp_path))  # a new build process
        hooks.on_env(None, CONFIG, _files(*contents))
        hooks.HAN_RUNS.save()

    build("<p>负载均衡</p>", "<p>English only</p>")
    build("<p>负载均衡</p>", "<p>English only</p>")
    assert given == [{"负载均衡"}, {"负载均衡"}]
    assert len(found) == 1  # the second build read them from the disk
    build("<p>服务发现<code>x</code>负载均衡</p>", "<p>English only</p>")
    assert given[-1] == {"服务发现", "负载均衡"}
    assert len(found) == 2
