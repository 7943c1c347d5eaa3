"""HTTP checks over repeated calls: stickiness and "only these backends answer" are data too.

Session affinity and topology examples claim something about *every* answer, which a
single retried call cannot prove; these fields say so, and contradictions are refused.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from netdocs.behaviour import MIN_REPEATED_CALLS, Check
from netdocs.site import macros

CHECK: TypeAdapter[Any] = TypeAdapter(Check)
BASE = {"id": "c", "from": "deploy/client", "type": "http", "url": "http://echo/", "says": {"en": "e", "zh": "z"}}


def test_same_backend_and_every_body_contains_are_accepted() -> None:
    check = CHECK.validate_python({**BASE, "same_backend": True, "every_body_contains": "echo-zone-a"})
    assert check.same_backend
    assert check.every_body_contains == "echo-zone-a"
    assert check.expected_text("en") == "HTTP 200, one backend answers every call, every answer contains `echo-zone-a`"
    assert check.expected_text("zh") == "HTTP 200，每次调用都由同一个后端应答，每个应答都包含 `echo-zone-a`"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"same_backend": True, "distinct_backends": 2}, "same_backend contradicts distinct_backends"),
        ({"expect": "dropped", "same_backend": True}, "need expect = 'reachable'"),
        ({"expect": "refused", "every_body_contains": "a"}, "need expect = 'reachable'"),
        ({"expect": "dropped", "distinct_backends": 2}, "need expect = 'reachable'"),
        ({"every_body_contains": ""}, "at least 1 character"),
    ],
)
def test_contradictions_are_refused(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        CHECK.validate_python({**BASE, **fields})


def test_enough_calls_that_chance_cannot_pass_a_half_matching_set() -> None:
    assert 0.5**MIN_REPEATED_CALLS < 0.001


def test_host_is_not_an_extra_header() -> None:
    with pytest.raises(ValidationError, match="put the Host header in host_header"):
        CHECK.validate_python({**BASE, "headers": {"host": "b"}})


def test_header_names_are_tokens() -> None:
    with pytest.raises(ValidationError, match="not an HTTP header name: X Canary"):
        CHECK.validate_python({**BASE, "headers": {"X Canary": "1"}})


def test_sent_headers_are_shown_with_the_target() -> None:
    check = CHECK.validate_python({**BASE, "host_header": "echo.example.com", "headers": {"X-Canary": "always"}})
    shown = macros._target(check, "en").replace("<wbr>", "")
    assert shown.split("<br>") == [
        "<code>http://echo/</code>",
        "header <code>Host: echo.example.com</code>",
        "header <code>X-Canary: always</code>",
    ]
