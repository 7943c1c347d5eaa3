"""Page calls expanded once per content (an MkDocs hook, before any other page hook).

Each page's ``snippet()`` and ``example()`` calls are expanded by netdocs.site.macros, which
checks every snippet it shows and reads the examples' models. The expansion depends only on the
page's text and path and on the repository's files (netdocs.site.sitecache.inputs_key), so it
is kept on disk under a hash of those: a build with nothing changed takes each page's expansion
from there and imports neither macros nor what it needs. A page whose expansion fails is never
kept, so its error (page, line, file) comes back on every build until it is fixed.
"""

from __future__ import annotations

from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from netdocs.site import sitecache
from netdocs.site.search import searchterms

STORE = sitecache.Store(f"pages-expanded-1-{sitecache.CHECKOUT}")
_inputs = {"key": ""}


def on_config(config: Any, **_: Any) -> Any:
    """What this build's pages are expanded from (the i18n plugin runs this again per language)."""
    _inputs["key"] = sitecache.inputs_key()
    return config


def expanded(markdown: str, src: str, url: str) -> str:
    """The page with its calls expanded: from the disk when the same page and inputs were expanded before."""
    key = sitecache.key(_inputs["key"] or sitecache.inputs_key(), src, url, markdown)
    if (text := STORE.get(key)) is None:
        from netdocs.site import macros  # the examples' models and the checks: only on a miss

        try:
            text = macros.expand(markdown, src, url)
        except macros.SnippetError as exc:
            raise PluginError(str(exc)) from None
        STORE.put(key, text)
    return text


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """Expand the page's calls; its search words become its tags (see searchterms) before it is indexed."""
    src = page.file.src_uri
    try:
        # The page's language as the i18n plugin read it from the file name (dns/index.zh.md: zh).
        searchterms.tag(page.meta, src, getattr(page.file, "locale", None) or "en")
    except searchterms.TermsInvalid as exc:
        raise PluginError(str(exc)) from None
    return expanded(markdown, src, page.url)


@event_priority(-200)  # after the i18n plugin's, which builds the other languages
def on_post_build(config: Any, **_: Any) -> None:
    if sitecache.last_pass(config):
        STORE.save()
