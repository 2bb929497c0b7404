"""The runner's scenario tasks (``_runner/_flock.py``) keep a task group's structure:
errors cancel the rest and are raised in a group, a cancelled host cancels its tasks
through their scopes (shields inside hold) and waits for them."""

from __future__ import annotations

import asyncio

import anyio
import pytest

from runloop_async._runner._flock import Flock

pytestmark = pytest.mark.anyio


async def test_a_tasks_error_cancels_the_others_and_is_raised_in_a_group() -> None:
    reached: list[str] = []

    async def waits(scope: anyio.CancelScope) -> None:
        with scope:
            await anyio.sleep(60)
            reached.append("never")
        reached.append("cancelled")

    async def fails(scope: anyio.CancelScope) -> None:
        with scope:
            raise ValueError("boom")

    async def both() -> None:
        async with Flock() as flock:
            flock.spawn(waits)
            flock.spawn(fails)

    with pytest.raises(BaseExceptionGroup) as info:
        await both()
    assert [type(e) for e in info.value.exceptions] == [ValueError]
    assert reached == ["cancelled"]


@pytest.mark.parametrize("how", ["anyio", "native"])
async def test_a_cancelled_host_waits_for_its_tasks_and_their_shields_hold(how: str) -> None:
    reached: list[str] = []
    started = anyio.Event()

    async def task(scope: anyio.CancelScope) -> None:
        with scope:
            with anyio.CancelScope(shield=True):
                started.set()
                await anyio.sleep(0.1)
                reached.append("shielded part done")
            await anyio.sleep(60)
            reached.append("never")

    async def host() -> None:
        async with Flock() as flock:
            flock.spawn(task)
        reached.append("never")

    if how == "anyio":
        async with anyio.create_task_group() as tg:
            tg.start_soon(host)
            await started.wait()
            tg.cancel_scope.cancel()
    else:
        hosting = asyncio.get_running_loop().create_task(host())
        await started.wait()
        hosting.cancel()
        await asyncio.wait([hosting])
        assert hosting.cancelled()
    assert reached == ["shielded part done"]


async def test_a_task_spawned_after_a_cancel_is_cancelled_on_entering_its_scope() -> None:
    reached: list[str] = []

    async def task(scope: anyio.CancelScope) -> None:
        with scope:
            await anyio.sleep(60)
            reached.append("never")
        reached.append("cancelled")

    async with Flock() as flock:
        flock.cancel()
        flock.spawn(task)
    assert reached == ["cancelled"]
