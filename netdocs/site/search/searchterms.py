"""The words readers search for a page by, given to Material's search as the page's tags.

A reader types 服务发现 or "troubleshooting" and expects the DNS page or the troubleshooting
page on top, although those pages are titled "DNS for Services and Pods" and "A Service that
does not answer". Material indexes a page's ``tags`` (front matter) in a field that ranks
above titles, and without the tags plugin shows them nowhere on the page: searchterms.toml
lists such words per page and language, and the build sets them as the page's tags.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from netdocs.paths import DOCS, display

TERMS = Path(__file__).with_name("searchterms.toml")
LANGUAGES = ("en", "zh")


class TermsInvalid(ValueError):
    """searchterms.toml names a page that does not exist or is not a list of words per language."""


@cache
def _load(path: Path, _mtime: int) -> dict[str, dict[str, list[str]]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise TermsInvalid(f"{display(path)}: {exc}") from None
    for page, words in data.items():
        if not (DOCS / page).is_file():
            raise TermsInvalid(f"{display(path)}: [{page!r}] is not a page under docs/; use its English file name")
        if not isinstance(words, dict) or set(words) != set(LANGUAGES):
            raise TermsInvalid(f"{display(path)}: [{page!r}] needs exactly the keys {' and '.join(LANGUAGES)}")
        if not all(isinstance(w, list) and all(isinstance(x, str) and x.strip() for x in w) for w in words.values()):
            raise TermsInvalid(f'{display(path)}: [{page!r}]: each language is a list of words, e.g. zh = ["服务发现"]')
    return data


def terms(page_src: str, lang: str, path: Path = TERMS) -> list[str]:
    """The search words of the page built from ``page_src`` (``dns/index.md`` or ``dns/index.zh.md``)."""
    english = page_src.replace(f".{lang}.md", ".md") if lang != "en" else page_src
    return _load(path, path.stat().st_mtime_ns).get(english, {}).get(lang, [])


def tag(meta: dict[str, object], page_src: str, lang: str, path: Path = TERMS) -> None:
    """Add the page's search words to its tags (``meta["tags"]``), after any it has."""
    if words := terms(page_src, lang, path):
        tags = meta.get("tags")
        meta["tags"] = [*(tags if isinstance(tags, list) else []), *words]
