"""Chinese queries cut into the index's own words: a fix to Material's search worker.

The build cuts Chinese text into words with jieba (负载均衡 -> 负载 均衡); the browser has no
jieba, so Material's search worker (``segment`` in its ``search/query/segment``) cuts a
typed query into words found in the index. In mkdocs-material 9.8.1 that function has two
faults that readers see on almost every Chinese search:

- It never tries the whole run and stops at any single-character word, so 负载均衡 becomes
  负载 and 均 (均 is a word once in the index) and 后端 becomes just 后.
- It joins the words with ``"* "`` before the query transform adds its own ``*``, so every
  word but the last is searched as ``负载**``, a term no result can contain: each result
  then says "缺少: 负载*" (missing), the word it visibly contains, and ranks lower for it.

After the build this module replaces that function in the published worker with forward
maximum matching over the index's words (at each position the longest word of the index,
up to jieba's longest word), and the join with a space. Both are matched exactly; a
Material release without that code fails the build with a message saying what to check.
The worker keeps its file name, so every page's config still finds it.
"""

from __future__ import annotations

import re
from pathlib import Path

from netdocs.site import materialfiles
from netdocs.site.search.searchdict import LONGEST_WORD

WORKERS = Path("assets/javascripts/workers")
# Material 9.8.1's minified segment(query, invertedIndex); only its name differs between builds.
_SEGMENT = re.compile(
    r"function (\w+)\(t,e\)\{let r=new Set,n=new Uint16Array\(t\.length\);"
    r"for\(let s=0;s<t\.length;s\+\+\)for\(let o=s\+1;o<t\.length;o\+\+\).*?"
    r'return r\.has\(""\)\?new Set\(\[t\]\):r\}'
)
# search(): query.replace(/\p{sc=Han}+/gu, value => [...segment(value, index)].join("* "))
_JOIN = re.compile(r'(\[\.\.\.\w+\(\w+,this\.index\.invertedIndex\)\])\.join\("\* "\)')
MARKER = "/*netdocs: forward maximum matching*/"
# t: a run of Han characters; e: the index's terms. At each position, the longest term there.
FORWARD_MAXIMUM_MATCHING = (
    "function {name}(t,e){{" + MARKER + "let r=[];for(let i=0;i<t.length;){{"
    f"let j=Math.min(t.length,i+{LONGEST_WORD});"
    "for(;j>i+1&&!(t.slice(i,j)in e);)j--;r.push(t.slice(i,j));i=j}}return r}}"
)


class WorkerChanged(Exception):
    """Material's search worker no longer has the code this module fixes."""


def fix(source: str) -> str:
    """The worker's code with the query segmentation replaced; unchanged if already fixed."""
    if MARKER in source:
        return source
    segments = _SEGMENT.findall(source)
    joins = _JOIN.findall(source)
    if len(segments) != 1 or len(joins) != 1:
        raise WorkerChanged(
            "Material's search worker no longer has the Chinese query segmentation netdocs/site/search/searchworker.py "
            f"fixes (found {len(segments)} segment function(s), {len(joins)} join(s)): check whether the new "
            "Material release fixed it (search 负载均衡 on a Chinese page: no result may say 缺少), then "
            "update or remove netdocs/site/search/searchworker.py"
        )
    source = _SEGMENT.sub(lambda match: FORWARD_MAXIMUM_MATCHING.format(name=match.group(1)), source)
    return _JOIN.sub(r'\1.join(" ")', source)


def fix_published(site: Path) -> Path:
    """Fix the search worker the build published in ``site``; returns its path."""
    return materialfiles.fix_published(site / WORKERS, "search.*.min.js", fix, WorkerChanged)
