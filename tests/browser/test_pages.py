"""Every page, in Chromium, with the network cut.

One visit per page checks all a reader relies on (pagechecks.page_problems), so the suite
stays fast as pages are added: it loads without errors or external requests; its code
annotations, copy buttons and diagrams render; every block's copy text is exactly its snippet
file and every download link (one per file, one archive per example) serves exactly the
repository's bytes; its language switch leads to the same page in the other language; and it
fits a phone screen, where diagrams scroll sideways rather than shrink past reading. Copying
and saving by clicking, which work the same on every page, are clicked on one page per
language (test_site.py). The pages are visited side by side in the one browser
(conftest.checked_pages); each has its own test.
"""

from __future__ import annotations


def test_page_works_offline(checked_pages: dict[str, list[str]], page_url: str) -> None:
    problems = checked_pages[page_url]
    assert problems == [], f"/{page_url}:\n  " + "\n  ".join(problems)
