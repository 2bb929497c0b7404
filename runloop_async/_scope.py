"""Limits a wait puts on every request made inside it, carried in context variables
(and, the same way, who hears how a wait's polls went).

A wait's deadline must bound the request in flight, its retries and their backoff,
however deep the call chain between the wait and the request (``await_scored`` ->
``retrieve`` -> ``Core.request``). Passing it down every signature would touch every
resource method; a context variable reaches them all, follows ``await`` and is
copied into child tasks, and is reset when the wait ends.

Times are on the running event loop's clock (:func:`now`, what
``anyio.current_time()`` reads on asyncio), the clock waits use.
"""

from __future__ import annotations

from asyncio import get_running_loop
from contextlib import AbstractContextManager, nullcontext
from contextvars import ContextVar, Token
from typing import Generic, Protocol, TypeVar

from ._config import Timeout

__all__ = [
    "OuterCutoff",
    "PollObserver",
    "cut_off_by",
    "deadline_scope",
    "now",
    "poll_observer",
    "reporting_polls",
    "request_timeout_scope",
    "scoped_timeout",
    "set_outer_cutoff",
    "time_left",
]

T = TypeVar("T")

_DEADLINE: ContextVar[float | None] = ContextVar("runloop_async_deadline", default=None)
_TIMEOUT: ContextVar[Timeout | None] = ContextVar("runloop_async_wait_timeout", default=None)


class _Bound(Generic[T]):
    """``var`` set to ``value`` inside the block (a class, not a generator: the
    runner enters one per wait)."""

    __slots__ = ("_token", "_value", "_var")

    def __init__(self, var: ContextVar[T], value: T) -> None:
        self._var, self._value = var, value
        self._token: Token[T] | None = None

    def __enter__(self) -> None:
        self._token = self._var.set(self._value)

    def __exit__(self, *exc_info: object) -> None:
        if self._token is not None:
            self._var.reset(self._token)
            self._token = None


class _DeadlineScope:
    """The context manager of :func:`deadline_scope` (a class, not a generator:
    every wait of every runner step enters one)."""

    __slots__ = ("_deadline", "_token")

    def __init__(self, deadline: float | None) -> None:
        self._deadline = deadline
        self._token: Token[float | None] | None = None

    def __enter__(self) -> None:
        deadline = self._deadline
        if deadline is not None:
            outer = _DEADLINE.get()
            if outer is None or outer > deadline:
                self._token = _DEADLINE.set(deadline)

    def __exit__(self, *exc_info: object) -> None:
        if self._token is not None:
            _DEADLINE.reset(self._token)
            self._token = None


def deadline_scope(deadline: float | None) -> AbstractContextManager[None]:
    """Requests made inside end by ``deadline`` (anyio clock; ``None``: no change).

    An enclosing scope with an earlier deadline keeps it: scopes only ever shorten.
    """
    return _DeadlineScope(deadline)


def now() -> float:
    """The running loop's clock: ``anyio.current_time()`` on asyncio (the only backend
    aiohttp runs on), without anyio's backend lookup, which every step and every
    request would otherwise pay several times."""
    return get_running_loop().time()


def time_left() -> float | None:
    """Seconds until the innermost wait's deadline, or ``None`` outside any deadline."""
    deadline = _DEADLINE.get()
    return None if deadline is None else deadline - get_running_loop().time()


def request_timeout_scope(timeout: Timeout | None) -> AbstractContextManager[None]:
    """Requests made inside without their own ``timeout=`` use ``timeout``.

    How a wait applies a 1.x-style ``timeout=Timeout(...)`` to each of its polls.
    """
    return nullcontext() if timeout is None else _Bound(_TIMEOUT, timeout)


def scoped_timeout() -> Timeout | None:
    """The per-request timeout of the enclosing wait, if it set one."""
    return _TIMEOUT.get()


class PollObserver(Protocol):
    """Told how each poll of the waits inside :func:`reporting_polls` went."""

    def succeeded(self) -> None:
        """A poll was answered."""

    def failed(self) -> None:
        """A poll failed transiently (after its own retries); the wait polls on."""


#: The observer of the waits running in this context (the benchmark runner's gate).
_OBSERVER: ContextVar[PollObserver | None] = ContextVar("runloop_async_polls", default=None)


def reporting_polls(observer: PollObserver) -> AbstractContextManager[None]:
    """Tell ``observer`` how every poll of the waits made inside went.

    A wait rides out transient poll failures on its own; whoever watches the API as
    a whole (the benchmark runner's outage gate) must still hear of them, or an
    outage that only waits meet would go unnoticed.
    """
    return _Bound(_OBSERVER, observer)


def poll_observer() -> PollObserver | None:
    """The observer the waits started here report their polls to, if any."""
    return _OBSERVER.get()


class OuterCutoff(Protocol):
    """A cancel scope around the calling task's code that cuts it off at a known time
    (the benchmark runner's step deadline)."""

    def covers(self, at: float) -> bool:
        """Whether the calling task is inside it and cut off by ``at`` (loop clock)."""


_OUTER: ContextVar[OuterCutoff | None] = ContextVar("runloop_async_cutoff", default=None)


def set_outer_cutoff(cutoff: OuterCutoff | None) -> None:
    """Make ``cutoff`` the one :func:`cut_off_by` asks, in the current context.

    Set in a task's own context, with no reset: :meth:`OuterCutoff.covers` itself
    answers no outside its scope and in any other task (child tasks copy the context).
    """
    _OUTER.set(cutoff)


def cut_off_by(at: float) -> bool:
    """Whether the caller is already cut off from outside by ``at``: a wait inside the
    runner's step cutoff (the same deadline and slack) needs no cutoff of its own."""
    outer = _OUTER.get()
    return outer is not None and outer.covers(at)
