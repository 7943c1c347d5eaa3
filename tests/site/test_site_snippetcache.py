"""The build checks all snippet manifests once, in one batch, and again only when one changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from netdocs.check import manifests
from netdocs.site import snippetcache


def test_one_batch_then_reuse_until_a_file_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "cm.yaml").write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n")
    batches: list[list[str]] = []
    real = manifests.check_files

    def counting(paths: list[Path]) -> dict[Path, manifests.ManifestReport]:
        batches.append(sorted(p.parent.name for p in paths))
        return real(paths)

    monkeypatch.setattr(snippetcache, "SNIPPETS", tmp_path)
    monkeypatch.setattr(snippetcache.manifests, "check_files", counting)
    monkeypatch.setattr(snippetcache, "_reports", {})
    first = snippetcache.report(tmp_path / "a" / "cm.yaml")
    snippetcache.report(tmp_path / "b" / "cm.yaml")
    assert batches == [["a", "b"]]
    assert first.findings == []
    (tmp_path / "b" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bb\n  extra: 1\n")
    changed = snippetcache.report(tmp_path / "b" / "cm.yaml")
    assert batches == [["a", "b"], ["b"]]
    assert any("extra" in str(f) for f in changed.findings)
