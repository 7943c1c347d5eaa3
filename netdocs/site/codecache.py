"""Highlighted code kept on disk (an MkDocs hook): Pygments runs once per distinct block.

Every page shows its manifests and commands as highlighted code, and both languages show the
same blocks: highlighting them was the largest part of the build that a site without
snippets does not have, for output that changes only with the block's text, the lexer and the
formatter's options. pymdownx.highlight hands each block to ``pygments.highlight(src, lexer,
formatter)``; this hook puts a cache in front of that call, keyed by a hash of all three (and
the Pygments and pymdownx versions), loaded once per build and written back with exactly the
blocks the build used.

Pygments wraps every run of whitespace in ``<span class="w">``, which no style colours: a
quarter of a page's code elements. They are left out (their text stays), so pages have fewer
elements to parse, style and lay out.
"""

from __future__ import annotations

import hashlib
import json
import re
from importlib.metadata import version
from typing import Any

import pygments
import pymdownx.highlight

from netdocs.check import diskcache

_FILE = diskcache.cache_dir() / (
    f"highlighted-2-pygments-{version('pygments')}-pymdown-extensions-{version('pymdown-extensions')}.json"
)
_WHITESPACE = re.compile(r'<span class="w">([^<]*)</span>')
_saved: dict[str, str] = {}  # what the disk held when the build started
_used: dict[str, str] = {}  # every block of this build


def _key(src: str, lexer: Any, formatter: Any) -> str:
    options = [type(lexer).__name__, sorted(lexer.options.items()), type(formatter).__name__]
    options.append(sorted((k, repr(v)) for k, v in formatter.options.items()))
    return hashlib.sha256(json.dumps([src, options], default=repr).encode()).hexdigest()


def highlight(src: str, lexer: Any, formatter: Any, outfile: Any = None) -> str:
    """``pygments.highlight`` for a string result, answered from the cache when it holds the block."""
    if outfile is not None:  # pragma: no cover - pymdownx always asks for a string
        return pygments.highlight(src, lexer, formatter, outfile)
    key = _key(src, lexer, formatter)
    if (html := _saved.get(key)) is None:
        html = _WHITESPACE.sub(r"\1", pygments.highlight(src, lexer, formatter))
    _used[key] = html
    return html


def on_config(config: Any, **_: Any) -> Any:
    """Load the cache once per build (the i18n plugin runs on_config again for each language)."""
    if not _saved and (text := diskcache.read(_FILE)) is not None:
        _saved.update(json.loads(text))
    pymdownx.highlight.highlight = highlight
    return config


def on_post_build(**_: Any) -> None:
    """Write the blocks this process used (both languages, each build of a serve session) when
    they are not what the disk holds: a block no page shows any more is dropped."""
    if _used and _used != _saved:
        diskcache.write(_FILE, json.dumps(_used, ensure_ascii=False))
        _saved.clear()
        _saved.update(_used)
