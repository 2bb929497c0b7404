"""Small immutable configuration objects and the ``NOT_GIVEN`` sentinel.

Every value here has a documented default, and every per-call override uses
``NOT_GIVEN`` ("use the client's setting"), which is distinct from ``None``
(which, for timeouts, means "no limit").
"""

from __future__ import annotations

import math
from typing import Any, Final, Literal, NoReturn, TypeAlias, TypedDict, TypeVar

import attrs

from ._attrs_methods import AttrsMethods
from ._exceptions import InvalidArgumentError
from ._validate import check_count, check_seconds

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
    "DEFAULT_TOTAL",
    "DEFAULT_MAX_RESPONSE_SIZE",
    "cap_seconds",
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


def _inf_is_none(value: Any) -> Any:
    # ``inf`` seconds means "no limit", which is spelt None everywhere else.
    if isinstance(value, float) and math.isinf(value) and value > 0:
        return None
    return value


def _seconds(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_seconds(value, f"{type(instance).__name__}.{attribute.name}")


def _seconds_or_zero(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    name = f"{type(instance).__name__}.{attribute.name}"
    if check_seconds(value, name, zero_ok=True) is None:  # None or inf
        raise InvalidArgumentError(f"{name} must be a finite number of seconds, got {value!r}")


def _count(minimum: int, *, none_ok: bool = False) -> Any:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and none_ok:
            return
        check_count(value, f"{type(instance).__name__}.{attribute.name}", minimum=minimum)

    return check


#: Default total deadline of one HTTP attempt, in seconds (see :class:`Timeout`).
DEFAULT_TOTAL = 120.0


# cache_hash: every request looks its aiohttp timeouts up by its Timeout.
@attrs.frozen(kw_only=True, cache_hash=True, repr=False)
class Timeout(AttrsMethods):
    """Timeouts for one HTTP attempt, in seconds (``None`` or ``inf`` = no limit).

    Every part must be a positive number of seconds or ``None``: ``0``, negative
    values, NaN and non-numbers raise :class:`InvalidArgumentError`.

    Attributes:
        connect: Opening the TCP/TLS connection. Default 5.0.
        read: Waiting for each chunk of the response (time to first byte, and any gap
            between chunks). Default 30.0. Long-polls raise it to the server's hold
            time plus a margin on their own.
        total: The whole attempt once a connection is held, from sending to the last
            byte. Default 120.0: a body trickled in slowly cannot stretch an attempt
            past it, while the largest legitimate answer (a 5000-run page, about
            12 MB) arrives well within it even at 1 Mbit/s.
        pool: Waiting for a free connection when the client's connection limit is
            reached. Default ``None``: under a large fan-out, queueing is normal and
            is never charged to ``read`` or ``total``.
    """

    connect: float | None = attrs.field(default=5.0, converter=_inf_is_none, validator=_seconds)
    read: float | None = attrs.field(default=30.0, converter=_inf_is_none, validator=_seconds)
    total: float | None = attrs.field(
        default=DEFAULT_TOTAL, converter=_inf_is_none, validator=_seconds
    )
    pool: float | None = attrs.field(default=None, converter=_inf_is_none, validator=_seconds)

    @classmethod
    def coerce(cls, value: object) -> Timeout:
        """Turn a ``timeout=`` value into a :class:`Timeout`.

        A number ``x`` means ``Timeout(connect=min(5, x), read=x, total=x)``: no single
        attempt takes longer than ``x`` once it holds a connection. ``None`` (or
        ``inf``) means no limit at all. Any object with ``connect``, ``read``,
        ``write`` and ``pool`` attributes (an ``httpx.Timeout`` from 1.x code) maps
        ``connect``, ``read`` and ``pool`` over; aiohttp has no per-write timeout,
        so ``write`` is not used, and ``total`` becomes the larger of 120 s and
        ``read`` (``None`` when ``read`` is ``None``).

        Raises:
            InvalidArgumentError: anything else, or a part that is not a positive
                number of seconds.
        """
        if isinstance(value, Timeout):
            return value
        if _is_timeout_like(value):
            return cls._from_parts(value)
        seconds = check_seconds(value, "timeout") if _is_number(value) else _bad_timeout(value)
        if seconds is None:
            return cls(connect=None, read=None, total=None, pool=None)
        return cls(connect=min(5.0, seconds), read=seconds, total=seconds)

    @classmethod
    def _from_parts(cls, value: object) -> Timeout:
        parts = {
            name: check_seconds(getattr(value, name), f"timeout.{name}")
            for name in ("connect", "read", "pool")
        }
        read = parts["read"]
        total = getattr(value, "total", NOT_GIVEN)
        if isinstance(total, NotGiven):
            total = None if read is None else max(DEFAULT_TOTAL, read)
        return cls(total=check_seconds(total, "timeout.total"), **parts)

    def capped(self, seconds: float) -> Timeout:
        """This timeout with no part longer than ``seconds`` (what a wait has left)."""
        return Timeout(
            connect=cap_seconds(self.connect, seconds), read=cap_seconds(self.read, seconds),
            total=cap_seconds(self.total, seconds), pool=cap_seconds(self.pool, seconds),
        )  # fmt: skip


def cap_seconds(part: float | None, left: float) -> float:
    """One part of a :class:`Timeout` cut to what a wait has ``left`` (at least 1 ms)."""
    limit = max(left, 0.001)
    return limit if part is None else min(part, limit)


def _is_number(value: object) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))


def _is_timeout_like(value: object) -> bool:
    return all(hasattr(value, name) for name in ("connect", "read", "write", "pool"))


def _bad_timeout(value: object) -> NoReturn:
    raise InvalidArgumentError(
        f"timeout must be a number of seconds, None (no limit), a runloop_async.Timeout, "
        f"or an object with connect/read/write/pool attributes such as httpx.Timeout; "
        f"got {value!r} ({type(value).__name__})"
    )


TimeoutLike: TypeAlias = "Timeout | float | None"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class RetryConfig(AttrsMethods):
    """How failed attempts are retried.

    Retried: connection errors, timeouts, truncated or undecodable answers, and the
    statuses 408, 409, 429 and >= 500 (or whatever ``x-should-retry`` says). A
    wrong value (``max_retries=-1`` or ``"3"``, a negative or NaN delay) raises
    :class:`InvalidArgumentError`.

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
            refunds 1. ``None`` (or 0) disables the budget.
    """

    max_retries: int = attrs.field(default=5, validator=_count(0))
    initial_delay: float = attrs.field(default=0.5, validator=_seconds_or_zero)
    max_delay: float = attrs.field(default=30.0, validator=_seconds_or_zero)
    max_retry_after: float = attrs.field(default=300.0, validator=_seconds_or_zero)
    budget: int | None = attrs.field(default=500, validator=_count(0, none_ok=True))


#: Default largest decoded answer body, in bytes (see :class:`Limits`).
DEFAULT_MAX_RESPONSE_SIZE = 64 * 1024 * 1024


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Limits(AttrsMethods):
    """Connection and answer-size limits.

    Attributes:
        max_connections: Connections for ordinary API calls. Default 100 (the
            official SDK allows 20).
        max_wait_connections: A separate pool for long-polls (``wait_for_status``),
            so waiting on hundreds of devboxes never starves short calls. Default 100.
        keepalive_timeout: Seconds an idle connection is kept. Default 15.0.
        max_response_size: Largest answer body the client reads into memory, counted
            after decompression, in bytes. Default 64 MiB: the largest legitimate
            answer (a page of 5000 scenario runs) is about 12 MB, so this leaves
            five times that, while a runaway or hostile answer (a 1 GiB gzip bomb)
            is stopped after reading at most 64 MiB, raising
            :class:`ResponseTooLargeError`. ``None`` removes the limit. Streamed
            downloads to a file (``download_logs_to_file``) are not limited.

    Raises:
        InvalidArgumentError: a count below 1, or a negative or NaN keep-alive.
    """

    max_connections: int = attrs.field(default=100, validator=_count(1))
    max_wait_connections: int = attrs.field(default=100, validator=_count(1))
    keepalive_timeout: float = attrs.field(default=15.0, validator=_seconds_or_zero)
    max_response_size: int | None = attrs.field(
        default=DEFAULT_MAX_RESPONSE_SIZE, validator=_count(1, none_ok=True)
    )


@attrs.frozen(kw_only=True, eq=False, repr=False)
class PollingConfig(AttrsMethods):
    """The official SDK's polling settings, accepted for easy porting.

    ``interval_seconds * max_attempts`` (or ``timeout_seconds`` when set) becomes the
    wait's deadline; runloop-async then polls with growing, jittered intervals (or
    server long-polls) until that deadline. As in 1.x, a ``timeout_seconds`` of 0 or
    less counts as not set.

    Attributes:
        interval_seconds: Default 1.0.
        max_attempts: Default 120.
        timeout_seconds: Default ``None``.

    Raises:
        InvalidArgumentError: a non-number, NaN or negative interval, or
            ``max_attempts`` below 1.
    """

    interval_seconds: float = attrs.field(default=1.0, validator=_seconds_or_zero)
    max_attempts: int = attrs.field(default=120, validator=_count(1))
    timeout_seconds: float | None = None

    def __attrs_post_init__(self) -> None:
        value = self.timeout_seconds
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value)
        ):
            raise InvalidArgumentError(
                f"PollingConfig.timeout_seconds must be a number or None, got {value!r}"
            )

    def deadline(self) -> float:
        """The total time budget these settings stand for, in seconds (``inf``: none)."""
        if self.timeout_seconds is not None and self.timeout_seconds > 0:
            return float(self.timeout_seconds)
        return self.interval_seconds * self.max_attempts


class _CallOptions(TypedDict, total=False):
    """The options of one request, shared by :class:`RequestOptions` (a call) and
    :class:`WaitOptions` (each poll of a wait)."""

    extra_headers: dict[str, str] | None
    extra_query: dict[str, object] | None
    extra_body: dict[str, object] | None
    max_retries: int


class RequestOptions(_CallOptions, total=False):
    """Per-call options every API method accepts as keyword arguments.

    Keys:
        extra_headers: Headers added to (and overriding) the defaults.
        extra_query: Query parameters added to the request.
        extra_body: Keys merged into the JSON body (POSTs only).
        max_retries: Overrides :attr:`RetryConfig.max_retries` for this call.
        timeout: A :class:`Timeout`, a number of seconds, or ``None`` for no limit
            (default: the client's).
    """

    timeout: TimeoutLike


class WaitOptions(_CallOptions, total=False):
    """Per-call options the waiting helpers apply to each request they make.

    The keys of :class:`RequestOptions` but ``timeout``: a wait's own ``timeout`` is
    its deadline, which bounds every poll.

    Keys:
        extra_headers: Headers added to (and overriding) the defaults.
        extra_query: Query parameters added to the request.
        extra_body: Keys merged into the JSON body (POSTs only).
        max_retries: Overrides :attr:`RetryConfig.max_retries` for each poll.
    """
