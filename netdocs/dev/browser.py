"""Headless Chromium for the browser tests, Lighthouse and drawing diagrams: where it is, how to start it.

The system Chromium is preferred (Playwright's own download needs a CDN many networks
block); ``CHROMIUM=/path/to/chrome`` picks another one. Standard library only: the noxfile
asks it before anything is installed (Playwright is passed in, not imported).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Chromium's headless shell: the engine without the browser's own interface, which full
# Chromium's headless mode still runs (a WebUI renderer per window, busy while it is open).
# Playwright runs headless tests in it by default; here it halves the browser tests' time.
# Lighthouse keeps the full browser, the one readers have.
SHELL_NAMES = ("chromium-headless-shell", "chrome-headless-shell")
INSTALL_HINT = (
    "Chromium not found: install it (Debian: `sudo apt-get install chromium chromium-headless-shell "
    "fonts-noto-cjk`) or set CHROMIUM=/path/to/chrome"
)
# Flags for a quiet, reproducible headless browser that makes no request of its own.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--no-proxy-server",  # the sites it opens are on loopback; a proxy from the environment is not asked
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
)


class ChromiumMissing(Exception):
    """No Chromium to drive; the message says how to install one."""


def find_chromium(shell: bool = False) -> str:
    """The Chromium executable: ``$CHROMIUM``, else the first of NAMES on PATH; with ``shell``,
    a headless shell (SHELL_NAMES) comes first."""
    if chosen := os.environ.get("CHROMIUM"):
        if Path(chosen).is_file():
            return chosen
        raise ChromiumMissing(f"CHROMIUM={chosen} does not exist; {INSTALL_HINT}")
    for name in (*SHELL_NAMES, *NAMES) if shell else NAMES:
        if found := shutil.which(name):
            return found
    raise ChromiumMissing(INSTALL_HINT)


# No name but loopback resolves: the browser works as if the network were cut.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


def launch(playwright: Any) -> Any:
    """Headless Chromium with FLAGS and no network, from an ``async_playwright()`` object.

    The system's headless shell or Chromium when there is one, else the build `playwright
    install chromium` downloaded; ChromiumMissing when neither exists.
    """
    try:
        executable: str | None = find_chromium(shell=True)
    except ChromiumMissing:
        if not Path(playwright.chromium.executable_path).is_file():
            raise
        executable = None
    return playwright.chromium.launch(executable_path=executable, headless=True, args=[*FLAGS[1:], OFFLINE])


def main() -> int:
    """``python -m netdocs.dev.browser``: print the path the tests use, or the one-line hint and exit 1."""
    try:
        print(find_chromium(shell=True))
    except ChromiumMissing as exc:
        print(exc)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
