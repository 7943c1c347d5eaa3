"""Which Chromium the browser tests, the diagram drawer and Lighthouse start (netdocs/dev/browser.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netdocs.dev.browser import ChromiumMissing, find_chromium


def on_path(monkeypatch: pytest.MonkeyPatch, folder: Path, *names: str) -> None:
    """PATH holds only ``folder``, with an executable for each of ``names``."""
    for name in names:
        (folder / name).write_text("#!/bin/sh\n")
        (folder / name).chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.delenv("CHROMIUM", raising=False)


def test_tests_prefer_the_headless_shell_and_lighthouse_the_full_browser(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    on_path(monkeypatch, tmp_path, "chromium", "chromium-headless-shell")
    assert find_chromium(shell=True) == str(tmp_path / "chromium-headless-shell")
    assert find_chromium() == str(tmp_path / "chromium")


def test_without_a_headless_shell_the_tests_take_chromium(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    on_path(monkeypatch, tmp_path, "chromium")
    assert find_chromium(shell=True) == str(tmp_path / "chromium")


def test_a_headless_shell_alone_is_no_browser_for_lighthouse(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    on_path(monkeypatch, tmp_path, "chromium-headless-shell")
    with pytest.raises(ChromiumMissing, match="apt-get install chromium chromium-headless-shell"):
        find_chromium()


def test_chromium_variable_wins_and_a_wrong_one_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    on_path(monkeypatch, tmp_path, "chromium-headless-shell")
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "chromium-headless-shell"))
    assert find_chromium() == str(tmp_path / "chromium-headless-shell")
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "missing"))
    with pytest.raises(ChromiumMissing, match="missing does not exist"):
        find_chromium(shell=True)
