"""Unit tests for pure request building and paging decisions."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runloop_async import NOT_GIVEN, ConfigurationError, InvalidArgumentError, Timeout
from runloop_async._client import parse_custom_headers
from runloop_async._pager import next_cursor
from runloop_async._request import (
    PreparedRequest,
    attempt_headers,
    check_limit,
    encode_query,
    is_insecure_remote,
    normalize_base_url,
    path_segment,
)


def test_encode_query_matches_official_wire_form() -> None:
    assert encode_query({"limit": 5, "state": "running", "include_total_count": False}) == [
        ("include_total_count", "false"),
        ("limit", "5"),
        ("state", "running"),
    ]
    assert encode_query({"a": None, "b": NOT_GIVEN, "c": ["x", "y"]}) == [("c", "x,y")]
    assert encode_query({"limit": 5}, {"limit": 7, "extra": True}) == [
        ("extra", "true"),
        ("limit", "7"),
    ]


def test_path_segment_encodes_and_rejects() -> None:
    assert path_segment("run_1") == "run_1"
    assert path_segment("a/b c") == "a%2Fb%20c"
    for bad in ("", ".", ".."):
        with pytest.raises(InvalidArgumentError):
            path_segment(bad)
    with pytest.raises(InvalidArgumentError, match="must be a string"):
        path_segment(123)


@given(st.text(min_size=1).filter(lambda text: text not in (".", "..")))
def test_path_segment_is_quote_with_nothing_safe(text: str) -> None:
    # The fast path for ids made of unreserved characters must give what quote() gives.
    assert path_segment(text) == quote(text, safe="")
    assert path_segment(text + "~-_.aZ09") == quote(text + "~-_.aZ09", safe="")


@pytest.mark.parametrize("limit", [0, 5001, -1, True, 2.5, "10"])
def test_check_limit_rejects(limit: object) -> None:
    with pytest.raises(InvalidArgumentError):
        check_limit(limit)


def test_check_limit_accepts_bounds() -> None:
    check_limit(1)
    check_limit(5000)
    check_limit(NOT_GIVEN)


def test_base_url_normalisation() -> None:
    assert normalize_base_url("https://api.runloop.ai/") == "https://api.runloop.ai"
    assert normalize_base_url("http://h:8/prefix/") == "http://h:8/prefix"
    for bad in ("api.runloop.ai", "ftp://x", "https://x/?q=1"):
        with pytest.raises(ConfigurationError):
            normalize_base_url(bad)


def test_insecure_remote_detection() -> None:
    assert is_insecure_remote("http://api.example.com")
    assert not is_insecure_remote("https://api.example.com")
    assert not is_insecure_remote("http://127.0.0.1:8080")
    assert not is_insecure_remote("http://localhost:1")


def test_custom_headers_env_parsing() -> None:
    text = "X-Team: evals\nbroken line\n X-Trace : a:b \n"
    assert parse_custom_headers(text) == {"x-team": "evals", "x-trace": "a:b"}
    assert parse_custom_headers(None) == {}


def test_timeout_coercion() -> None:
    assert Timeout.coerce(10) == Timeout(connect=5.0, read=10.0, total=10.0)
    assert Timeout.coerce(2) == Timeout(connect=2.0, read=2.0, total=2.0)
    assert Timeout.coerce(None) == Timeout(connect=None, read=None, total=None, pool=None)
    for bad in (0, -1, "5", True):
        with pytest.raises(InvalidArgumentError):
            Timeout.coerce(bad)  # type: ignore[arg-type]


def test_next_cursor_rules() -> None:
    assert next_cursor("r9", True, 10) == "r9"
    assert next_cursor("r9", None, 10) == "r9"  # has_more missing: go on
    assert next_cursor("r9", False, 10) is None
    assert next_cursor(None, True, 10) is None
    assert next_cursor("r9", True, 0) is None


@given(st.lists(st.text(min_size=1), max_size=5), st.one_of(st.booleans(), st.none()))
def test_next_cursor_is_last_id_or_none(ids: list[str], has_more: bool | None) -> None:
    cursor = next_cursor(ids[-1] if ids else None, has_more, len(ids))
    if has_more is False or not ids:
        assert cursor is None
    else:
        assert cursor == ids[-1]


def _prepared(method: str, call_headers: dict[str, str], has_body: bool) -> PreparedRequest:
    return PreparedRequest(
        method=method,
        path="/v1/x",
        query=[],
        default_headers={"accept": "application/json"},
        call_headers=call_headers,
        has_body=has_body,
    )


def test_attempt_headers_add_only_what_the_session_does_not_send() -> None:
    # The session sends the client's headers and a retry count of 0: a plain GET's
    # first attempt adds nothing, so aiohttp merges no headers for it.
    get = _prepared("GET", {}, has_body=False)
    assert attempt_headers(get, 0) is None
    assert attempt_headers(get, 2) == {"x-stainless-retry-count": "2"}
    post = _prepared("POST", {"x-request-id": "k"}, has_body=False)
    # No content-length of our own: aiohttp sends "0" for a body-less POST itself
    # (tests/unit/test_bench_fastpath.py checks it on the wire).
    assert attempt_headers(post, 0) == {"x-request-id": "k"}
    assert attempt_headers(post, 1) == {"x-stainless-retry-count": "1", "x-request-id": "k"}
    assert attempt_headers(_prepared("POST", {}, has_body=True), 0) is None
    # A retry count the caller set wins over ours.
    own = _prepared("GET", {"x-stainless-retry-count": "9"}, has_body=False)
    assert attempt_headers(own, 1) == {"x-stainless-retry-count": "9"}
    assert get.headers == {"accept": "application/json"}
    assert own.headers == {"accept": "application/json", "x-stainless-retry-count": "9"}
