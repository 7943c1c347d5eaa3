"""The built site that the site tests read (built once per run, or the build session's)."""

from __future__ import annotations

import pytest

from netdocs.dev import builtsite


@pytest.fixture(scope="session")
def site() -> builtsite.Site:
    return builtsite.built()
