"""The lazy read timer (_readtimer) on a fake protocol and a fake loop clock.

The end-to-end behaviour (per-chunk read timeouts over real sockets) is checked in
reliability/test_timeouts_and_pools.py; here, the timer bookkeeping itself.
"""

from __future__ import annotations

from typing import Any

import aiohttp.client_proto
import pytest

from runloop_async._readtimer import has_hooks, lazy_read_timer


class _Handle:
    def __init__(self, loop: _Loop, when: float, callback: Any) -> None:
        self.loop, self._when, self.callback, self.cancelled = loop, when, callback, False

    def when(self) -> float:
        return self._when

    def cancel(self) -> None:
        self.cancelled = True


class _Loop:
    """A clock and the timers set on it, fired by :meth:`advance`."""

    def __init__(self) -> None:
        self.now = 0.0
        self.handles: list[_Handle] = []
        self.made = 0

    def time(self) -> float:
        return self.now

    def call_at(self, when: float, callback: Any) -> _Handle:
        handle = _Handle(self, when, callback)
        self.handles.append(handle)
        self.made += 1
        return handle

    def advance(self, seconds: float) -> None:
        self.now += seconds
        while due := [h for h in self.handles if not h.cancelled and h.when() <= self.now]:
            for handle in due:
                self.handles.remove(handle)
                handle.callback()

    def pending(self) -> int:
        return sum(not h.cancelled for h in self.handles)


class _Base:
    """The part of aiohttp's ResponseHandler the subclass relies on."""

    def __init__(self, loop: _Loop, read_timeout: float | None) -> None:
        self._loop = loop
        self._read_timeout = read_timeout
        self._read_timeout_handle: _Handle | None = None
        self.timeouts = 0

    def _reschedule_timeout(self) -> None:
        raise AssertionError("replaced by the subclass")

    def _drop_timeout(self) -> None:
        raise AssertionError("replaced by the subclass")

    def start_timeout(self) -> None:
        self._reschedule_timeout()

    def data_received(self, data: bytes) -> None:
        self._reschedule_timeout()

    def _on_read_timeout(self) -> None:
        self.timeouts += 1


Lazy = lazy_read_timer(_Base)


def test_silence_longer_than_the_read_timeout_fires_once() -> None:
    loop = _Loop()
    proto = Lazy(loop, 1.0)
    proto.start_timeout()
    loop.advance(0.6)
    proto.data_received(b"x")  # moves the due time to 1.6
    loop.advance(0.6)
    assert proto.timeouts == 0
    loop.advance(0.5)
    assert proto.timeouts == 1
    loop.advance(5)
    assert proto.timeouts == 1


def test_chunks_move_the_due_time_without_new_timers() -> None:
    loop = _Loop()
    proto = Lazy(loop, 1.0)
    proto.start_timeout()
    for _ in range(50):
        loop.advance(0.1)
        proto.data_received(b"x")
    assert proto.timeouts == 0
    # One timer set at the start, set again each time it came due early (about
    # once a second here), not one per chunk; and never more than one pending.
    assert loop.made <= 6
    assert loop.pending() == 1


def test_an_ended_answer_is_never_timed_out() -> None:
    loop = _Loop()
    proto = Lazy(loop, 1.0)
    proto.start_timeout()
    proto._drop_timeout()
    loop.advance(10)
    assert proto.timeouts == 0
    assert loop.pending() == 0


def test_requests_on_a_kept_alive_connection_reuse_the_pending_timer() -> None:
    loop = _Loop()
    proto = Lazy(loop, 30.0)
    for _ in range(100):
        proto.start_timeout()
        proto.data_received(b"answer")
        proto._drop_timeout()
        loop.advance(0.01)
    assert (loop.made, proto.timeouts) == (1, 0)


def test_a_shorter_timeout_than_the_pending_timer_gets_its_own() -> None:
    loop = _Loop()
    proto = Lazy(loop, 30.0)
    proto.start_timeout()
    proto._drop_timeout()
    proto._read_timeout = 0.2
    proto.start_timeout()
    loop.advance(0.3)
    assert proto.timeouts == 1


def test_no_read_timeout_sets_no_timer() -> None:
    loop = _Loop()
    proto = Lazy(loop, None)
    proto.start_timeout()
    proto.data_received(b"x")
    loop.advance(100)
    assert (proto.timeouts, loop.made) == (0, 0)


def test_installed_aiohttp_has_what_the_subclass_overrides() -> None:
    # If a new aiohttp renames these, the transport falls back to aiohttp's own
    # timer (slower, still correct) and this test says so.
    assert has_hooks(aiohttp.client_proto.ResponseHandler)
    assert not has_hooks(object)


@pytest.mark.anyio
async def test_the_transport_installs_it_on_its_connectors() -> None:
    from runloop_async._http import lazy_read_timeouts

    connector = aiohttp.TCPConnector()
    try:
        assert lazy_read_timeouts(connector) is True
        assert connector._factory.func.__name__ == "LazyReadTimerResponseHandler"
        assert issubclass(connector._factory.func, aiohttp.client_proto.ResponseHandler)
        # Twice is a no-op: the factory is no longer aiohttp's own.
        assert lazy_read_timeouts(connector) is False
    finally:
        await connector.close()
