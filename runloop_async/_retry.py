"""Pure retry decisions: what to retry, how long to wait, and the shared budget.

Nothing here does I/O or sleeps; the transport layer asks these functions and acts.
"""

from __future__ import annotations

import email.utils
import math
import random
import threading
import time
from collections.abc import Callable, Mapping

import attrs

from ._attrs_methods import AttrsMethods
from ._config import RetryConfig

__all__ = [
    "RETRYABLE_STATUSES",
    "RetryBudget",
    "backoff_delay",
    "parse_retry_after",
    "retry_delay",
    "should_retry_status",
]

#: Statuses retried when the server does not say otherwise (as the official SDK).
RETRYABLE_STATUSES = frozenset({408, 409, 429})


def should_retry_status(status: int, headers: Mapping[str, str]) -> bool:
    """Whether an HTTP error status should be retried.

    ``x-should-retry: true`` / ``false`` from the server wins; otherwise 408, 409,
    429 and every status >= 500 are retried. ``headers`` must have lower-case keys.
    """
    hint = headers.get("x-should-retry", "").strip().lower()
    if hint == "true":
        return True
    if hint == "false":
        return False
    return status in RETRYABLE_STATUSES or status >= 500


def parse_retry_after(
    headers: Mapping[str, str], *, now: Callable[[], float] = time.time
) -> float | None:
    """Seconds the server asked us to wait, or ``None`` if it did not say.

    Reads ``retry-after-ms`` (float milliseconds) first, then ``retry-after`` as
    float seconds or an HTTP date. Negative, non-finite or unparsable values give
    ``None``; a date in the past gives ``0.0``. ``headers`` must have lower-case keys.
    """
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        seconds = _finite(raw_ms)
        if seconds is not None and seconds >= 0:
            return seconds / 1000.0
    raw = headers.get("retry-after")
    if raw is None:
        return None
    seconds = _finite(raw)
    if seconds is not None:
        return seconds if seconds >= 0 else None
    try:
        when = email.utils.parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now())


def _finite(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def backoff_delay(
    retries_done: int, config: RetryConfig, *, rand: Callable[[], float] = random.random
) -> float:
    """Full-jitter exponential backoff: uniform in ``[0, min(max, base * 2**n)]``."""
    exponent = min(retries_done, 62)
    ceiling = min(config.max_delay, config.initial_delay * (2.0**exponent))
    return ceiling * rand()


def retry_delay(
    retries_done: int,
    config: RetryConfig,
    headers: Mapping[str, str] | None = None,
    *,
    rand: Callable[[], float] = random.random,
    now: Callable[[], float] = time.time,
) -> float | None:
    """How long to wait before the next attempt, or ``None`` to stop retrying.

    Returns ``None`` when the retries are used up, or when the server asked for a
    wait longer than ``config.max_retry_after`` (we neither ignore it nor wait longer
    than allowed). A server-given wait is honoured exactly (no jitter).
    """
    if retries_done >= config.max_retries:
        return None
    if headers:
        asked = parse_retry_after(headers, now=now)
        if asked is not None:
            return asked if asked <= config.max_retry_after else None
    return backoff_delay(retries_done, config, rand=rand)


@attrs.define(repr=False)
class RetryBudget(AttrsMethods):
    """A client-wide token bucket that stops retry storms (botocore's "standard" quota).

    Each retry withdraws ``retry_cost`` tokens (``timeout_cost`` after a timeout or
    connection failure); each successful attempt refunds ``success_refund`` up to
    ``capacity``. When a retry cannot be paid for, the failure is raised instead of
    retried, so a failing server sees fewer requests, not six times as many.
    Thread-safe, because one budget is shared by every task of a client.
    """

    capacity: int = 500
    retry_cost: int = 5
    timeout_cost: int = 10
    success_refund: int = 1
    _tokens: int = attrs.field(init=False)
    _lock: threading.Lock = attrs.field(init=False, factory=threading.Lock)

    def __attrs_post_init__(self) -> None:
        self._tokens = self.capacity

    @property
    def tokens(self) -> int:
        """Tokens left."""
        return self._tokens

    def acquire(self, *, timeout: bool = False) -> bool:
        """Pay for one retry; ``False`` means the budget is spent: do not retry."""
        cost = self.timeout_cost if timeout else self.retry_cost
        with self._lock:
            if self._tokens < cost:
                return False
            self._tokens -= cost
            return True

    def refund(self) -> None:
        """Record a success."""
        if self._tokens >= self.capacity:
            return  # full, as nearly always: nothing to add, no lock to take
        with self._lock:
            self._tokens = min(self.capacity, self._tokens + self.success_refund)
