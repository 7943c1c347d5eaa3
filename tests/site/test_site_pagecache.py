"""Page calls and published snippets come from the disk while nothing they are made from
changes, are made again when a snippet changes, and a broken snippet fails every build."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from netdocs.paths import SNIPPETS
from netdocs.site import macros, pagecache, publish, sitecache, snippetcache

CONFIG = {"plugins": {}}  # a build without the i18n plugin: every on_post_build is the last
PAGE = 'Intro\n\n{{ snippet("demo/cm.yaml") }}\n'


@pytest.fixture
def snippets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A snippets folder with one example (a copy of clusterip plus cm.yaml), empty stores under tmp_path."""
    folder = tmp_path / "snippets"
    shutil.copytree(SNIPPETS / "clusterip", folder / "demo")
    (folder / "demo" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n")
    for module in (sitecache, macros, snippetcache, publish):
        monkeypatch.setattr(module, "SNIPPETS", folder)
    monkeypatch.setattr(snippetcache, "_verdicts", {})
    monkeypatch.setattr(snippetcache, "_stamps", {})
    return folder


@pytest.fixture
def expansions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each page the build expands (not taken from the disk)."""
    made: list[str] = []
    real = macros.expand
    monkeypatch.setattr(macros, "expand", lambda markdown, src, url: made.append(src) or real(markdown, src, url))
    return made


def _build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, markdown: str = PAGE) -> str:
    """One build process of one page: a fresh store over the same file, the page expanded, the store saved."""
    monkeypatch.setattr(pagecache, "STORE", sitecache.Store("pages", tmp_path))
    pagecache.on_config({})
    page = SimpleNamespace(file=SimpleNamespace(src_uri="demo.md", locale="en"), url="demo/", meta={})
    out = pagecache.on_page_markdown(markdown, page)
    pagecache.on_post_build(CONFIG)
    return out


def test_a_page_is_expanded_once_while_nothing_changes(
    snippets: Path, expansions: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _build(tmp_path, monkeypatch)
    assert "name: first" in first
    assert "{{" not in first
    assert _build(tmp_path, monkeypatch) == first
    assert expansions == ["demo.md"]  # the second build took it from the disk


def test_an_edited_snippet_or_page_is_expanded_again(
    snippets: Path, expansions: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _build(tmp_path, monkeypatch)
    (snippets / "demo" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: second\n")
    edited = _build(tmp_path, monkeypatch)
    assert "name: second" in edited
    assert "name: first" not in edited
    assert "Outro" in _build(tmp_path, monkeypatch, PAGE + "\nOutro\n")
    assert expansions == ["demo.md"] * 3


def test_a_broken_snippet_fails_every_build_with_its_file_and_line(
    snippets: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _build(tmp_path, monkeypatch)  # the good version is on disk
    (snippets / "demo" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nspec: {}\n")
    for _ in range(2):
        with pytest.raises(PluginError, match=r"docs/demo\.md: snippet .*demo/cm\.yaml is invalid: .*cm\.yaml:5:1: "):
            _build(tmp_path, monkeypatch)


def test_published_snippets_follow_the_example_files(
    snippets: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"

    def published() -> dict[str, bytes]:
        monkeypatch.setattr(publish, "STORE", sitecache.Store("published", tmp_path))
        publish.publish(site)
        with zipfile.ZipFile(site / "snippets" / "demo.zip") as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    first = published()
    assert (site / "snippets" / "demo" / "cm.yaml").read_text().endswith("name: first\n")
    assert first["demo/cm.yaml"].endswith(b"name: first\n")
    assert published() == first  # an unchanged example: the same archive
    (snippets / "demo" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: second\n")
    (snippets / "demo" / "extra.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n")
    again = published()
    assert again["demo/cm.yaml"].endswith(b"name: second\n")
    assert "demo/extra.yaml" in again
    assert (site / "snippets" / "demo" / "extra.yaml").is_file()
