"""What a page's first paint must not wait for, or show and then take back, settled at build time.

- Scripts run after the page is parsed (``defer``): Material's bundle and the site's own
  netdocs.js (overrides/main.html), in that document order, netdocs.js first. As plain scripts
  at the end of the body they were fetched at high priority beside the page's CSS and were
  often run before the first paint, which then waited for both (Lighthouse's simulated first
  paint on a slow phone: 1.7-1.8 s when it did, 1.2 s when it did not, run to run). Deferred,
  they are fetched at low priority and run after the page is shown. Material's bundle starts on
  DOMContentLoaded, which comes after deferred scripts.
- The numbered list right below an annotated code block is hidden from the start (the
  ``nd-annotations`` class, docs/assets/netdocs.css): Material turns it into the block's
  annotations and hides it only when it mounts the block, so the list would show in the first
  paint and vanish, moving what follows. A block is annotated, as Material decides it, when a
  comment in it carries a marker such as ``# (1)``.
"""

from __future__ import annotations

import re

# Material's base.html: `<script src="{{ 'assets/javascripts/bundle.<hash>.min.js' | url }}"></script>`.
_BUNDLE = re.compile(r'(<script src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js")></script>')
# The end of a code block, any empty paragraphs after it, and an ordered list right after.
_LIST_AFTER_BLOCK = re.compile(r"</pre></div>(\s*(?:<p>\s*</p>\s*)*)<ol>")
_BLOCK_START = '<div class="highlight"'  # may carry more attributes (data-copy)
# A Pygments comment token (c, c1, cm) with an annotation marker.
_MARKER = re.compile(r'<span class="c[1m]?">[^<]*\(\d+\)')


class BundleTagChanged(Exception):
    """Material's template no longer loads its bundle the way ``defer_bundle`` expects."""


def defer_bundle(page_html: str) -> str:
    """Material's bundle, deferred; the page must have exactly one such tag."""
    deferred, count = _BUNDLE.subn(r"\1 defer></script>", page_html)
    if count != 1:
        raise BundleTagChanged(
            f"expected one <script> of Material's bundle, found {count}: Material's base.html changed; "
            "update netdocs/site/firstpaint.py so the bundle stays deferred after netdocs.js"
        )
    return deferred


def hide_annotation_lists(page_html: str) -> str:
    """Mark the list after each annotated code block ``nd-annotations``."""

    def mark(match: re.Match[str]) -> str:
        block = page_html[page_html.rfind(_BLOCK_START, 0, match.start()) : match.start()]
        if not _MARKER.search(block):
            return match.group(0)
        return f'</pre></div>{match.group(1)}<ol class="nd-annotations">'

    return _LIST_AFTER_BLOCK.sub(mark, page_html)
