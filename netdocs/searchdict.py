"""Chinese search segmentation without loading jieba's whole dictionary.

Material's search plugin segments Chinese text with jieba at build time. jieba's default
dictionary has 350,000 words and costs about a second to load on every build, although a
site's Chinese text can only ever match the few thousand of them that occur in it. Before
pages are indexed we give jieba a dictionary of exactly those words, so the segmentation
is the same and loading it is instant:

- jieba's segmentation of a text looks up only substrings of that text (the words it may
  contain and, to stop early, their prefixes), so the dictionary keeps every word that is
  a substring of the text's Han runs; the prefixes of those words are rebuilt by jieba.
- Scores compare paths by ``log(freq) - log(total)`` per word, so ``total`` must not
  change: one filler entry that no text can contain carries the dropped frequencies.

tests/test_site_search.py segments every Chinese run of the built index with the full
dictionary and checks the result is identical.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import jieba
from backrefs import bre

# Material's own expression for the text it hands to jieba.
HAN = bre.compile(r"\p{script: Han}+")
# A segmented run in the index: words joined by zero-width spaces.
HAN_OR_GAP = bre.compile(r"[\p{script: Han}\u200b]+")
DEFAULT_DICTIONARY = Path(jieba.__file__).parent / "dict.txt"
LONGEST_WORD = 16  # the longest word in jieba's dictionary; longer substrings never match
FILLER = "\ue000"  # a private-use character: never in a page
# What Material's search parser leaves out of the text (diagrams are marked data-search-exclude,
# see netdocs.diagrams.fence), and the markup around the rest.
_SKIPPED = re.compile(
    r"<(script|style|object)\b.*?</\1>|<a [^>]*class=\"headerlink\"[^>]*>.*?</a>"
    r"|<pre\b[^>]*\bdata-search-exclude\b[^>]*>.*?</pre>",
    re.DOTALL | re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]+>")
_FREQUENCY = re.compile(r"^\S+ (\d+)", re.MULTILINE)


def han_runs(htmls: Iterable[str]) -> set[str]:
    """Every run of Han characters the search index can contain, from rendered pages and titles.

    Tags are removed without a gap, as the search parser joins the text around them, so a
    run split by inline markup (负载<strong>均衡</strong>) counts as one run.
    """
    runs: set[str] = set()
    for html in htmls:
        runs.update(HAN.findall(_TAG.sub("", _SKIPPED.sub(" ", html))))
    return runs


@cache
def _dictionary(path: Path) -> tuple[list[str], int]:
    """The dictionary's lines and the sum of their frequencies, read once per process."""
    text = path.read_text(encoding="utf-8")
    return text.splitlines(), sum(map(int, _FREQUENCY.findall(text)))


def trimmed(runs: Iterable[str], source: Path = DEFAULT_DICTIONARY) -> str:
    """The dictionary entries that can occur in ``runs``, plus the filler that keeps ``total``."""
    substrings = {
        run[start:end]
        for run in runs
        for start in range(len(run))
        for end in range(start + 1, min(len(run), start + LONGEST_WORD) + 1)
    }
    lines, total = _dictionary(source)
    kept = [line for line in lines if line[: line.find(" ")] in substrings]
    rest = total - sum(map(int, _FREQUENCY.findall("\n".join(kept))))
    return "\n".join([*kept, f"{FILLER} {max(rest, 1)} x"]) + "\n"


def use_for(runs: set[str], source: Path = DEFAULT_DICTIONARY) -> Path:
    """Point jieba at a dictionary trimmed to ``runs``, made once per distinct Chinese text."""
    key = f"{source}:{source.stat().st_mtime_ns}\n" + "\n".join(sorted(runs))
    path = Path(tempfile.gettempdir()) / "netdocs-jieba" / f"dict-{hashlib.sha256(key.encode()).hexdigest()[:20]}.txt"
    if not path.is_file():  # written atomically: parallel builds may share it
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_text(trimmed(runs, source), encoding="utf-8")
        os.replace(scratch, path)
    jieba.setLogLevel(logging.WARNING)
    jieba.set_dictionary(str(path))
    return path
