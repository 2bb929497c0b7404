"""Unit tests for the pure retry decisions."""

from __future__ import annotations

import email.utils

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runloop_async import RetryBudget, RetryConfig
from runloop_async._retry import (
    backoff_delay,
    parse_retry_after,
    retry_delay,
    should_retry_status,
)


@pytest.mark.parametrize(
    ("status", "expected"),
    [(400, False), (401, False), (403, False), (404, False), (422, False),
     (408, True), (409, True), (429, True), (500, True), (502, True), (503, True), (599, True)],
)  # fmt: skip
def test_default_retryable_statuses(status: int, expected: bool) -> None:
    assert should_retry_status(status, {}) is expected


def test_x_should_retry_header_wins() -> None:
    assert should_retry_status(400, {"x-should-retry": "true"}) is True
    assert should_retry_status(503, {"x-should-retry": "false"}) is False
    assert should_retry_status(503, {"x-should-retry": "maybe"}) is True


def test_retry_after_forms() -> None:
    assert parse_retry_after({"retry-after-ms": "1500"}) == 1.5
    assert parse_retry_after({"retry-after": "2.5"}) == 2.5
    # retry-after-ms wins over retry-after
    assert parse_retry_after({"retry-after-ms": "100", "retry-after": "9"}) == 0.1
    assert parse_retry_after({}) is None
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({"retry-after": "-3"}) is None
    assert parse_retry_after({"retry-after": "nan"}) is None


def test_retry_after_http_date() -> None:
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 7, usegmt=True)
    assert parse_retry_after({"retry-after": date}, now=lambda: now) == pytest.approx(7.0)
    past = email.utils.formatdate(now - 100, usegmt=True)
    assert parse_retry_after({"retry-after": past}, now=lambda: now) == 0.0


def test_backoff_is_full_jitter_and_capped() -> None:
    cfg = RetryConfig(initial_delay=0.5, max_delay=4.0)
    assert backoff_delay(0, cfg, rand=lambda: 1.0) == 0.5
    assert backoff_delay(3, cfg, rand=lambda: 1.0) == 4.0
    assert backoff_delay(10, cfg, rand=lambda: 1.0) == 4.0
    assert backoff_delay(10, cfg, rand=lambda: 0.0) == 0.0


@given(st.integers(min_value=0, max_value=10_000), st.floats(min_value=0, max_value=1))
def test_backoff_always_within_bounds(n: int, r: float) -> None:
    cfg = RetryConfig()
    delay = backoff_delay(n, cfg, rand=lambda: r)
    assert 0.0 <= delay <= cfg.max_delay


def test_retry_delay_honours_and_caps_retry_after() -> None:
    cfg = RetryConfig(max_retries=3, max_retry_after=120.0)
    assert retry_delay(0, cfg, {"retry-after": "90"}) == 90.0  # above the official 60 s
    assert retry_delay(0, cfg, {"retry-after": "121"}) is None  # above our cap: raise
    assert retry_delay(3, cfg, {"retry-after": "1"}) is None  # retries used up
    assert retry_delay(0, RetryConfig(max_retries=0)) is None


def test_budget_drains_and_refunds() -> None:
    budget = RetryBudget(capacity=20, retry_cost=5, timeout_cost=10, success_refund=1)
    assert budget.acquire()
    assert budget.acquire(timeout=True)
    assert budget.tokens == 5
    assert budget.acquire() is True
    assert budget.acquire() is False
    for _ in range(100):
        budget.refund()
    assert budget.tokens == 20
