"""The connection slots of one pool: a FIFO counting limiter for the transport.

Callers queue here, before any aiohttp timer starts, so a fan-out of thousands of
calls never turns waiting for a connection into read or total timeouts. It behaves
as ``asyncio.Semaphore`` does (first come, first served; a slot freed while others
wait goes to the longest waiter, never to a newcomer), with the uncontended case
as two attribute operations (:meth:`Slots.try_take`) instead of a coroutine and a
scan of the waiters on every acquire and release: every request takes and frees a
slot (benchmarks/RESULTS.md).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque

__all__ = ["Slots"]


class Slots:
    """``limit`` slots; :meth:`try_take` or ``await`` :meth:`take`, then :meth:`release`."""

    __slots__ = ("_free", "_waiters")

    def __init__(self, limit: int) -> None:
        self._free = limit
        #: Futures of the callers waiting, oldest first (none of them cancelled).
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def free(self) -> int:
        """Slots nobody holds."""
        return self._free

    def try_take(self) -> bool:
        """Take a slot if one is free and nobody waits for one (no await)."""
        if self._free and not self._waiters:
            self._free -= 1
            return True
        return False

    async def take(self) -> None:
        """Take a slot, waiting in line for one if none is free."""
        if self.try_take():
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except BaseException:
            if waiter.cancelled():
                # Left the line (a pool timeout, a cancel) before getting a slot.
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)
            else:
                # Handed a slot just as it was cancelled: pass the slot on.
                self.release()
            raise

    def release(self) -> None:
        """Free a slot: to the longest waiter if one waits, else back to the pool."""
        waiters = self._waiters
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self._free += 1
