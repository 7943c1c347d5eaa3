"""Every page, in Chromium, with the network cut.

One visit per page checks all a reader relies on, so the suite stays fast as pages are
added: it loads without errors or external requests; its code annotations and diagrams
render; the copy buttons copy exactly the snippet files and every download link (one per
file, one archive per example) serves exactly the repository's bytes; it fits a phone
screen, where diagrams scroll sideways rather than shrink past reading; and its language
switch leads to the same page in the other language.
"""

from __future__ import annotations

from actions import Visit, open_page
from pagechecks import (
    accessibility_problems,
    annotation_problems,
    diagram_problems,
    example_problems,
    phone_problems,
    snippet_problems,
    switch_problems,
)

from netdocs.dev import builtsite


def test_page_works_offline(loaded: Visit, base_url: str, site: builtsite.Site, page_url: str) -> None:
    visit, target = loaded, site.page(page_url)
    open_page(visit, base_url, target)
    problems = visit.problems()
    problems += annotation_problems(visit.page, target)
    problems += diagram_problems(visit.page, target, visit)
    problems += accessibility_problems(visit.page)
    problems += example_problems(visit.page)
    if "data-copy=" in target.html:
        problems += snippet_problems(visit, base_url)
    problems += phone_problems(visit.page)
    problems += switch_problems(visit.page, base_url, target)
    problems += [p for p in visit.problems() if p not in problems]
    assert problems == [], f"/{page_url}:\n  " + "\n  ".join(problems)
