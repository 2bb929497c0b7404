"""The transport's connection slots (_slots.Slots): FIFO, and no slot lost to a cancel.

Pool timeouts over real sockets are checked in reliability/test_timeouts_and_pools.py;
here, the limiter's own rules, on one event loop.
"""

from __future__ import annotations

import asyncio

import pytest

from runloop_async._slots import Slots


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_free_slots_are_taken_without_waiting() -> None:
    slots = Slots(2)
    assert slots.try_take()
    assert slots.try_take()
    assert not slots.try_take()
    slots.release()
    assert slots.free == 1


def test_a_freed_slot_goes_to_the_longest_waiter_not_to_a_newcomer() -> None:
    async def main() -> list[str]:
        slots, order = Slots(1), []
        assert slots.try_take()

        async def waiter(name: str) -> None:
            await slots.take()
            order.append(name)

        tasks = [asyncio.create_task(waiter(n)) for n in ("a", "b")]
        await _settle()
        slots.release()  # handed to "a", not left for anyone
        assert not slots.try_take()
        await _settle()
        slots.release()
        await asyncio.gather(*tasks)
        slots.release()
        assert slots.free == 1
        return order

    assert asyncio.run(main()) == ["a", "b"]


@pytest.mark.parametrize("handed_first", [False, True])
def test_a_cancelled_waiter_loses_no_slot(handed_first: bool) -> None:
    async def main() -> int:
        slots = Slots(1)
        assert slots.try_take()
        first = asyncio.create_task(slots.take())
        second = asyncio.create_task(slots.take())
        await _settle()
        if handed_first:
            slots.release()  # "first" is handed the slot, then cancelled before it runs
        first.cancel()
        await _settle()
        if not handed_first:
            slots.release()
        await _settle()
        assert first.cancelled()
        assert second.done()  # the slot went on to "second"
        slots.release()
        return slots.free

    assert asyncio.run(main()) == 1


def test_a_timed_out_wait_leaves_the_line() -> None:
    async def main() -> int:
        slots = Slots(1)
        assert slots.try_take()
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(slots.take(), 0.01)
        slots.release()
        return slots.free

    assert asyncio.run(main()) == 1
