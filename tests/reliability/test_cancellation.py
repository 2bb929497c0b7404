"""Cancelling a large fan-out leaves nothing behind.

1000 calls are started against an answer delayed by a minute: 100 hold a connection
(the pool's limit) and 900 queue for one. The task group is then cancelled. No
connection may stay open on either side, no task may be left, the pool's slots
must all come back, and closing the client must not warn.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import warnings
from typing import Any

import anyio
import pytest
from reliability_support import HANG, until

from runloop_async import AsyncRunloop, Limits

pytestmark = pytest.mark.anyio

RUN_ROUTE = "GET /v1/scenarios/runs/{id}"
CALLS = 1000
LIMIT = 100


def established(port: int) -> tuple[int, int]:
    """ESTABLISHED TCP connections (to, from) a loopback port, from the kernel's table."""
    to_port = from_port = 0
    with open("/proc/net/tcp") as table:
        next(table)
        for line in table:
            fields = line.split()
            local, remote, state = fields[1], fields[2], fields[3]
            if state != "01":
                continue
            if int(remote.rsplit(":", 1)[1], 16) == port:
                to_port += 1
            if int(local.rsplit(":", 1)[1], 16) == port:
                from_port += 1
    return to_port, from_port


async def test_cancelling_a_thousand_calls_leaves_nothing_open(
    runloop_emulator: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    port = runloop_emulator.port
    before_to, before_from = established(port)
    tasks_before = asyncio.all_tasks()
    run_id = runloop_emulator.seed_runs(1)[0]
    delay = runloop_emulator.faults.add(route=RUN_ROUTE, kind="delay", delay=60.0)
    client = AsyncRunloop(
        runloop_emulator.api_key,
        runloop_emulator.base_url,
        limits=Limits(max_connections=LIMIT),
        max_retries=0,
    )
    finished: list[str] = []

    async def one() -> None:
        finished.append((await client.scenarios.runs.retrieve(run_id)).id)

    with anyio.fail_after(HANG):
        async with anyio.create_task_group() as tg:
            for _ in range(CALLS):
                tg.start_soon(one)
            await until(lambda: len(runloop_emulator.requests) >= LIMIT)
            await until(lambda: established(port)[0] - before_to >= LIMIT)
            assert len(asyncio.all_tasks()) >= CALLS  # every call is in flight or queued
            tg.cancel_scope.cancel()
    assert finished == []
    assert len(runloop_emulator.requests) == LIMIT  # the 900 queued ones never went out

    # Before close(): the cancelled calls already gave their connections up,
    # and the emulator saw every one of them go away.
    await until(lambda: established(port)[0] <= before_to)
    await until(lambda: established(port)[1] <= before_from)
    assert all(r.status is None for r in runloop_emulator.requests)  # none was answered
    assert asyncio.all_tasks() == tasks_before

    # Every pool slot came back: a second fan-out of LIMIT calls all get a connection.
    delay.remove()
    with anyio.fail_after(HANG):
        async with anyio.create_task_group() as tg:
            for _ in range(LIMIT):
                tg.start_soon(one)
    assert finished == [run_id] * LIMIT

    await client.close()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gc.collect()
        await asyncio.sleep(0)
    assert [str(w.message) for w in caught] == []
    await until(lambda: established(port)[0] <= before_to)
    await until(lambda: established(port)[1] <= before_from)
    assert asyncio.all_tasks() == tasks_before
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert problems == []  # no "Unclosed client session", no "Task was destroyed"
