"""close() is shielded and bounded: no "Unclosed ..." on any cancellation path (issue 11, item 8).

Before: ``anyio.move_on_after`` around ``async with AsyncRunloop(...)`` with a
long-poll in flight cut the close short (the cancellation hit ``session.close()``),
leaving a ResourceWarning and aiohttp's "Unclosed client session/connector" for the
garbage collector to report. Each test grabs the client's aiohttp sessions and
checks they are all closed when the block is left, and that collecting garbage then
reports nothing (no warning, nothing through the loop's exception handler).
"""

from __future__ import annotations

import asyncio
import functools
import gc
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import anyio
import pytest
from reliability_support import HANG, until

from runloop_async import AsyncRunloop

pytestmark = pytest.mark.anyio

WAIT_ROUTE = "POST /v1/devboxes/{id}/wait_for_status"


def _sessions(client: AsyncRunloop) -> list[Any]:
    return [pool.session for pool in client._core.transport._pools.values()]


@contextmanager
def _nothing_reported() -> Iterator[list[str]]:
    """Collect garbage on exit; fail on any ResourceWarning or loop-reported error."""
    reported: list[str] = []
    loop = asyncio.get_running_loop()
    old_handler = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: reported.append(context["message"]))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield reported
            gc.collect()
        reported.extend(str(w.message) for w in caught if issubclass(w.category, ResourceWarning))
    finally:
        loop.set_exception_handler(old_handler)
    assert reported == []


async def _held_long_poll(emulator: Any, client: AsyncRunloop) -> str:
    emulator.configure(devbox_boot_delay=60.0)
    scenario = emulator.add_scenario("booting")
    run = await client.scenarios.start_run(scenario_id=scenario["id"])
    return run.devbox_id


async def test_move_on_after_around_async_with_and_a_long_poll_in_flight(
    runloop_emulator: Any,
) -> None:
    sessions: list[Any] = []
    with _nothing_reported():
        with anyio.fail_after(HANG), anyio.move_on_after(1.0) as scope:
            async with AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url) as c:
                devbox_id = await _held_long_poll(runloop_emulator, c)
                async with anyio.create_task_group() as tg:
                    tg.start_soon(c.devboxes.await_running, devbox_id)
                    await until(
                        lambda: any(r.route == WAIT_ROUTE for r in runloop_emulator.requests)
                    )
                    sessions.extend(_sessions(c))
                    await anyio.sleep(30)  # cancelled by move_on_after
        assert scope.cancelled_caught
        assert len(sessions) == 2  # the API pool and the long-poll pool
        assert all(s.closed for s in sessions)
        sessions.clear()


async def test_a_close_that_is_itself_cancelled_still_closes(runloop_emulator: Any) -> None:
    with _nothing_reported():
        client = AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url)
        devbox_id = await _held_long_poll(runloop_emulator, client)
        async with anyio.create_task_group() as tg:
            tg.start_soon(client.devboxes.await_running, devbox_id)
            await until(lambda: any(r.route == WAIT_ROUTE for r in runloop_emulator.requests))
            sessions = _sessions(client)
            with anyio.CancelScope() as scope:
                scope.cancel()  # cancelled before close() even starts
                await client.close()
            tg.cancel_scope.cancel()
        assert client.is_closed
        assert all(s.closed for s in sessions)
        del sessions


async def test_cancelling_the_task_inside_async_with_closes_every_session(
    runloop_emulator: Any,
) -> None:
    seen: list[Any] = []

    async def user_task(task_status: Any) -> None:
        async with AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url) as c:
            devbox_id = await _held_long_poll(runloop_emulator, c)
            task_status.started()
            async with anyio.create_task_group() as inner:
                inner.start_soon(functools.partial(
                    c.devboxes.wait_for_status, devbox_id, statuses="running", timeout_seconds=20
                ))  # fmt: skip
                await until(lambda: any(r.route == WAIT_ROUTE for r in runloop_emulator.requests))
                seen.extend(_sessions(c))
                await anyio.sleep(30)

    with _nothing_reported():
        async with anyio.create_task_group() as tg:
            await tg.start(user_task)
            await until(lambda: len(seen) == 2)
            tg.cancel_scope.cancel()
        assert all(s.closed for s in seen)
        seen.clear()
