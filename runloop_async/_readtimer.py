"""aiohttp's per-chunk read timeout (``sock_read``) with one timer per connection.

aiohttp enforces ``sock_read`` by cancelling and rescheduling a loop timer when a
request is sent, on every chunk received, and when the answer ends: two or three
timer handles (each with a copy of the context) per request, pushed onto the
loop's heap and left there cancelled. That was the largest part of what our
transport cost over a bare aiohttp client on small answers (benchmarks/RESULTS.md).

:func:`lazy_read_timer` subclasses aiohttp's protocol so that the same rule (no
byte for ``sock_read`` seconds while an answer is awaited raises the same
aiohttp timeout) is kept with a due time that each chunk only moves forward, and
one pending timer per connection: when it fires early it is set again for the
due time; when the answer has ended meanwhile, it does nothing. The timer is
made only when none is pending, so a kept-alive connection busy with many short
requests makes one every ``sock_read`` seconds instead of several per request.

aiohttp's class is passed in by :mod:`._http` (the one client module that loads
aiohttp), and only if it still has the methods overridden here.
"""

from __future__ import annotations

import asyncio
from typing import Any, TypeVar

__all__ = ["HOOKS", "has_hooks", "lazy_read_timer"]

T = TypeVar("T", bound=type)

#: What aiohttp's protocol must still have for the subclass to be used.
HOOKS = ("_reschedule_timeout", "_drop_timeout", "_on_read_timeout", "start_timeout")


def lazy_read_timer(protocol: T) -> T:
    """A subclass of aiohttp's ``ResponseHandler`` with the lazy read timer above."""

    class LazyReadTimer(protocol):  # type: ignore[misc,valid-type]
        # When the read timeout fires, unless a chunk arrives first; None: not reading.
        _read_due: float | None = None
        _read_timeout: float | None
        _read_timeout_handle: asyncio.TimerHandle | None
        _loop: asyncio.AbstractEventLoop

        def _reschedule_timeout(self) -> None:
            timeout = self._read_timeout
            if not timeout:
                self._read_due = None
                return
            loop = self._loop
            due = self._read_due = loop.time() + timeout
            handle = self._read_timeout_handle
            if handle is None or handle.when() > due:
                # None pending, or one set for a longer timeout than this request's.
                if handle is not None:
                    handle.cancel()
                self._read_timeout_handle = loop.call_at(due, self._read_timer_fired)

        def _drop_timeout(self) -> None:
            # The pending timer, if any, finds nothing to do when it fires.
            self._read_due = None

        def connection_lost(self, exc: BaseException | None) -> None:
            # The pending timer holds this protocol through its callback, and the
            # protocol holds the timer: cancelled here, the closed connection is
            # freed at once instead of waiting, with its futures, buffers and
            # exception, for the loop's heap to drop it or the collector to find it.
            handle = self._read_timeout_handle
            if handle is not None:
                self._read_timeout_handle = None
                handle.cancel()
            super().connection_lost(exc)

        def _read_timer_fired(self) -> None:
            self._read_timeout_handle = None
            due = self._read_due
            if due is None:
                return
            if self._loop.time() < due:
                # Data came since the timer was set: wait for the due time it moved to.
                self._read_timeout_handle = self._loop.call_at(due, self._read_timer_fired)
                return
            self._read_due = None
            self._on_read_timeout()

    LazyReadTimer.__qualname__ = LazyReadTimer.__name__ = f"LazyReadTimer{protocol.__name__}"
    return LazyReadTimer  # type: ignore[return-value]


def has_hooks(protocol: Any) -> bool:
    """Whether ``protocol`` (aiohttp's ``ResponseHandler``) has what the subclass overrides."""
    return all(callable(getattr(protocol, name, None)) for name in HOOKS)
