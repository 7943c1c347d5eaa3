"""The build checks all snippet manifests in one batch, keeps the verdicts on disk, and checks
again only when a manifest (or the checking code) changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from netdocs.site import snippetcache


@pytest.fixture
def batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Two snippet folders under tmp_path, an empty disk cache, and a record of each batch checked."""
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "cm.yaml").write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n")
    seen: list[list[str]] = []
    real = snippetcache._checked

    def counting(paths: list[Path]) -> dict[Path, snippetcache.Verdict]:
        seen.append(sorted(p.parent.name for p in paths))
        return real(paths)

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(snippetcache, "SNIPPETS", tmp_path)
    monkeypatch.setattr(snippetcache, "_checked", counting)
    monkeypatch.setattr(snippetcache, "_verdicts", {})
    monkeypatch.setattr(snippetcache, "_stamps", {})
    return seen


def test_one_batch_then_reuse_until_a_file_changes(tmp_path: Path, batches: list[list[str]]) -> None:
    first = snippetcache.report(tmp_path / "a" / "cm.yaml")
    snippetcache.report(tmp_path / "b" / "cm.yaml")
    assert batches == [["a", "b"]]
    assert first.errors == ()
    assert first.valid is not None
    assert first.valid.startswith("1.")
    (tmp_path / "b" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bb\n  extra: 1\n")
    changed = snippetcache.report(tmp_path / "b" / "cm.yaml")
    assert batches == [["a", "b"], ["a", "b"]]  # cross-object rules see every manifest again
    assert any("extra" in error for error in changed.errors)


def test_the_next_build_reads_the_verdicts_from_disk(tmp_path: Path, batches: list[list[str]]) -> None:
    checked = snippetcache.report(tmp_path / "a" / "cm.yaml")
    snippetcache._verdicts.clear()  # a new build process: nothing in memory
    snippetcache._stamps.clear()
    assert snippetcache.report(tmp_path / "a" / "cm.yaml") == checked
    assert batches == [["a", "b"]]
    assert list((tmp_path / "cache" / "netdocs").glob("snippet-verdicts-*.json"))
