"""Small immutable configuration objects and the ``NOT_GIVEN`` sentinel.

Every value here has a documented default, and every per-call override uses
``NOT_GIVEN`` ("use the client's setting"), which is distinct from ``None``
(which, for timeouts, means "no limit").
"""

from __future__ import annotations

from typing import Final, Literal, TypeAlias, TypedDict, TypeVar

import attrs

__all__ = [
    "NOT_GIVEN",
    "Limits",
    "NotGiven",
    "PollingConfig",
    "RequestOptions",
    "WaitOptions",
    "RetryConfig",
    "Timeout",
    "TimeoutLike",
]

T = TypeVar("T")


class NotGiven:
    """Type of :data:`NOT_GIVEN`: "argument not passed; use the default".

    It is falsy, and distinct from ``None`` (``None`` is a real value: it is sent as
    JSON ``null`` in bodies, and means "no limit" for timeouts).
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


@attrs.frozen(kw_only=True)
class Timeout:
    """Timeouts for one HTTP attempt, in seconds (``None`` = no limit).

    Attributes:
        connect: Opening the TCP/TLS connection. Default 5.0.
        read: Waiting for each chunk of the response (time to first byte, and any gap
            between chunks). Default 30.0. Long-polls raise it to the server's hold
            time plus a margin on their own.
        total: The whole attempt once a connection is held, from sending to the last
            byte. Default ``None``.
        pool: Waiting for a free connection when the client's connection limit is
            reached. Default ``None``: under a large fan-out, queueing is normal and
            is never charged to ``read`` or ``total``.
    """

    connect: float | None = 5.0
    read: float | None = 30.0
    total: float | None = None
    pool: float | None = None

    @classmethod
    def coerce(cls, value: TimeoutLike) -> Timeout:
        """Turn a per-call ``timeout=`` value into a :class:`Timeout`.

        A number ``x`` means ``Timeout(connect=min(5, x), read=x, total=x)``: no single
        attempt takes longer than ``x`` once it holds a connection. ``None`` means no
        limit at all.
        """
        if isinstance(value, Timeout):
            return value
        if value is None:
            return cls(connect=None, read=None, total=None, pool=None)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            from ._exceptions import InvalidArgumentError

            raise InvalidArgumentError(f"timeout must be a positive number, got {value!r}")
        seconds = float(value)
        return cls(connect=min(5.0, seconds), read=seconds, total=seconds)


TimeoutLike: TypeAlias = "Timeout | float | None"


@attrs.frozen(kw_only=True)
class RetryConfig:
    """How failed attempts are retried.

    Retried: connection errors, timeouts, truncated or undecodable answers, and the
    statuses 408, 409, 429 and >= 500 (or whatever ``x-should-retry`` says).

    Attributes:
        max_retries: Retries after the first attempt. Default 5 (6 attempts), like
            the official SDK. ``0`` turns retries off.
        initial_delay: Base of the exponential backoff. Default 0.5 s.
        max_delay: Cap of one backoff step. Default 30.0 s. The wait before retry
            ``n`` is uniform in ``[0, min(max_delay, initial_delay * 2**n)]`` (full
            jitter), so concurrent callers do not retry in lockstep.
        max_retry_after: Longest ``Retry-After`` / ``retry-after-ms`` the client will
            honour. Default 300.0 s. A longer one is not waited out and not ignored:
            the error is raised at once, so the caller can decide.
        budget: Size of the client-wide retry budget (see :class:`RetryBudget`).
            Default 500 tokens; each retry costs 5 (10 after a timeout), each success
            refunds 1. ``None`` disables the budget.
    """

    max_retries: int = 5
    initial_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 300.0
    budget: int | None = 500


@attrs.frozen(kw_only=True)
class Limits:
    """Connection limits.

    Attributes:
        max_connections: Connections for ordinary API calls. Default 100 (the
            official SDK allows 20).
        max_wait_connections: A separate pool for long-polls (``wait_for_status``),
            so waiting on hundreds of devboxes never starves short calls. Default 100.
        keepalive_timeout: Seconds an idle connection is kept. Default 15.0.
    """

    max_connections: int = 100
    max_wait_connections: int = 100
    keepalive_timeout: float = 15.0


@attrs.frozen(kw_only=True)
class PollingConfig:
    """The official SDK's polling settings, accepted for easy porting.

    ``interval_seconds * max_attempts`` (or ``timeout_seconds`` when set) becomes the
    wait's deadline; runloop-async then polls with growing, jittered intervals (or
    server long-polls) until that deadline.

    Attributes:
        interval_seconds: Default 1.0.
        max_attempts: Default 120.
        timeout_seconds: Default ``None``.
    """

    interval_seconds: float = 1.0
    max_attempts: int = 120
    timeout_seconds: float | None = None

    def deadline(self) -> float:
        """The total time budget these settings stand for, in seconds."""
        if self.timeout_seconds is not None and self.timeout_seconds > 0:
            return self.timeout_seconds
        return self.interval_seconds * self.max_attempts


class WaitOptions(TypedDict, total=False):
    """Per-call options the waiting helpers apply to each request they make.

    Keys:
        extra_headers: Headers added to (and overriding) the defaults.
        extra_query: Query parameters added to the request.
        extra_body: Keys merged into the JSON body (POSTs only).
        max_retries: Overrides :attr:`RetryConfig.max_retries` for this call.
    """

    extra_headers: dict[str, str] | None
    extra_query: dict[str, object] | None
    extra_body: dict[str, object] | None
    max_retries: int


class RequestOptions(WaitOptions, total=False):
    """Per-call options every API method accepts as keyword arguments.

    The keys of :class:`WaitOptions`, plus ``timeout``: a :class:`Timeout`, a number
    of seconds, or ``None`` for no limit (default: the client's).
    """

    timeout: TimeoutLike
