"""The built site as data: its pages (from sitemap.xml), their language and language twins.

The site tests (offline in tests/site/, in Chromium in tests/browser/) walk this
list, so every page a content change adds is covered without touching a test.
"""

from __future__ import annotations

import atexit
import html
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from tempfile import mkdtemp
from urllib.parse import urlsplit

from netdocs.paths import ROOT

_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)"')
_HTML_LANG = re.compile(r'<html lang="([^"]+)"')
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.DOTALL)
_ARTICLE = re.compile(r"<article[^>]*>(.*?)</article>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
_STYLE = re.compile(r"<style[^>]*>.*?</style>", re.DOTALL)  # a drawn diagram's stylesheet is no text
# A drawn diagram (netdocs/site/diagrams.py): its labels are not searchable (the build keeps
# diagrams out of the search index; the page's prose says what they show).
_DRAWING = re.compile(r'<template shadowrootmode="open">.*?</template>', re.DOTALL)
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
_CSS_IMPORT = re.compile(r"""@import\s+['"]([^'"]+)['"]""")


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


class BuildFailed(Exception):
    """The strict build failed; the message carries MkDocs' own last lines."""


@dataclass(frozen=True)
class Page:
    """One built page: its URL relative to the site root ("" for the home page)."""

    url: str
    lang: str
    file: Path
    alternates: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def html(self) -> str:
        return self.file.read_text(encoding="utf-8")

    @property
    def title(self) -> str:
        """The page's h1, as text."""
        match = _H1.search(self.html)
        return _text(_PERMALINK.sub("", match.group(1))) if match else ""

    @property
    def text(self) -> str:
        """The article's text, without markup: what a reader can search for (no diagram labels)."""
        match = _ARTICLE.search(self.html)
        return _text(_DRAWING.sub(" ", _STYLE.sub(" ", match.group(1)))) if match else ""


@dataclass(frozen=True)
class Site:
    root: Path
    url: str  # site_url the site was built for, ending in "/"
    pages: tuple[Page, ...]

    def page(self, url: str) -> Page:
        return next(p for p in self.pages if p.url == url)

    def file_for(self, url: str) -> Path | None:
        """The file a site-relative URL serves, or None (a 404)."""
        path = (self.root / urlsplit(url).path).resolve()
        if path.is_dir():
            path = path / "index.html"
        return path if path.is_file() and self.root.resolve() in path.parents else None


# Tags and attributes through which a page makes the browser fetch something.
_FETCHED = {
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
}
_FETCHED_LINKS = {
    "stylesheet",
    "icon",
    "preload",
    "modulepreload",
    "manifest",
    "preconnect",
    "dns-prefetch",
    "prefetch",
}


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if (tag, name) in _FETCHED or (tag == "link" and name == "href" and _link_fetches(values)):
                self.found.append((tag, value))
            if name == "style":
                self.found += [(tag, url) for url in _CSS_URL.findall(value)]


def _link_fetches(attrs: dict[str, str]) -> bool:
    return bool(set(attrs.get("rel", "").lower().split()) & _FETCHED_LINKS)


def resources(html_text: str) -> list[tuple[str, str]]:
    """(tag, URL) of everything an HTML page makes the browser fetch, not the links a reader may follow."""
    parser = _Resources()
    parser.feed(html_text)
    return parser.found


def css_resources(css: str) -> list[str]:
    """URLs a stylesheet fetches: url(...) and @import."""
    return _CSS_URL.findall(css) + _CSS_IMPORT.findall(css)


def is_external(url: str) -> bool:
    """An absolute http(s) or protocol-relative URL: it leaves the site."""
    return url.strip().lower().startswith(("http://", "https://", "//"))


def load(root: Path) -> Site:
    """Read a built site: site_url from the home page's canonical link, pages from the sitemap."""
    home = (root / "index.html").read_text(encoding="utf-8")
    match = _CANONICAL.search(home)
    if not match:
        raise ValueError(f"{root}/index.html has no canonical link; was site_url set?")
    site_url = match.group(1)
    tree = ET.parse(root / "sitemap.xml")
    pages = []
    for entry in tree.getroot().findall("sm:url", _NS):
        loc = entry.findtext("sm:loc", default="", namespaces=_NS)
        url = loc.removeprefix(site_url)
        alternates = {
            link.get("hreflang", ""): link.get("href", "").removeprefix(site_url)
            for link in entry.findall("xhtml:link", _NS)
        }
        file = root / url / "index.html"
        lang_match = _HTML_LANG.search(file.read_text(encoding="utf-8")) if file.is_file() else None
        pages.append(Page(url, lang_match.group(1) if lang_match else "", file, alternates))
    return Site(root, site_url, tuple(pages))


def build(out: Path, strict: bool = True) -> Path:
    """Bilingual build into ``out``; strict (any warning fails) exactly as ``nox -s build`` runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict" if strict else "--no-strict", "--clean", "-d", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-15:])
        raise BuildFailed(f"mkdocs build{' --strict' if strict else ''} failed:\n{tail}")
    return out


@lru_cache(maxsize=1)
def built() -> Site:
    """The site under test: ``$NETDOCS_SITE_DIR`` when given (nox passes its build), else built once."""
    if given := os.environ.get("NETDOCS_SITE_DIR"):
        return load(Path(given))
    scratch = Path(mkdtemp(prefix="netdocs-site-"))
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    return load(build(scratch / "site"))
