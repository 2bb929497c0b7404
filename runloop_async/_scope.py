"""Limits a wait puts on every request made inside it, carried in context variables.

A wait's deadline must bound the request in flight, its retries and their backoff,
however deep the call chain between the wait and the request (``await_scored`` ->
``retrieve`` -> ``Core.request``). Passing it down every signature would touch every
resource method; a context variable reaches them all, follows ``await`` and is
copied into child tasks, and is reset when the wait ends.

Times are on anyio's clock (``anyio.current_time()``), the clock waits use.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

import anyio

from ._config import Timeout

__all__ = ["deadline_scope", "request_timeout_scope", "scoped_timeout", "time_left"]

T = TypeVar("T")

_DEADLINE: ContextVar[float | None] = ContextVar("runloop_async_deadline", default=None)
_TIMEOUT: ContextVar[Timeout | None] = ContextVar("runloop_async_wait_timeout", default=None)


@contextmanager
def _bound(var: ContextVar[T], value: T) -> Iterator[None]:
    token = var.set(value)
    try:
        yield
    finally:
        var.reset(token)


@contextmanager
def deadline_scope(deadline: float | None) -> Iterator[None]:
    """Requests made inside end by ``deadline`` (anyio clock; ``None``: no change).

    An enclosing scope with an earlier deadline keeps it: scopes only ever shorten.
    """
    outer = _DEADLINE.get()
    if deadline is None or (outer is not None and outer <= deadline):
        yield
        return
    with _bound(_DEADLINE, deadline):
        yield


def time_left() -> float | None:
    """Seconds until the innermost wait's deadline, or ``None`` outside any deadline."""
    deadline = _DEADLINE.get()
    return None if deadline is None else deadline - anyio.current_time()


@contextmanager
def request_timeout_scope(timeout: Timeout | None) -> Iterator[None]:
    """Requests made inside without their own ``timeout=`` use ``timeout``.

    How a wait applies a 1.x-style ``timeout=Timeout(...)`` to each of its polls.
    """
    if timeout is None:
        yield
        return
    with _bound(_TIMEOUT, timeout):
        yield


def scoped_timeout() -> Timeout | None:
    """The per-request timeout of the enclosing wait, if it set one."""
    return _TIMEOUT.get()
