"""Calls and a closed client leave nothing for the garbage collector (issue 15).

An object kept alive only by a reference cycle waits for a collection, and the
process's first full collection (tens of milliseconds) then lands wherever enough
of them have piled up. A connection closed by the client used to be kept: its
protocol held its pending ``sock_read`` timer (``_readtimer``) and the timer held
the protocol, with its futures, buffers and the disconnect error, on the loop's
heap until the timer fired, and as a cycle once the loop was gone. Counts, not
times: the collector is switched off, calls are made, and what is still alive or
only a collection would free (``gc.DEBUG_SAVEALL``) is looked at.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from runloop_async import AsyncRunloop, NotFoundError, RetryConfig, Runloop

pytestmark = pytest.mark.anyio

RUN_ROUTE = "GET /v1/scenarios/runs/{id}"
FAST_RETRY = RetryConfig(max_retries=3, initial_delay=0.001, max_delay=0.002)

#: Modules of the client side: the emulator shares the process (its own thread), and
#: its server objects and asyncio's own transport cycles are not what is checked.
_CLIENT_MODULES = ("runloop_async.", "aiohttp.client", "aiohttp.connector", "aiohttp.streams")


def _ours(garbage: list[Any]) -> list[str]:
    names = []
    for obj in garbage:
        module = type(obj).__module__ + "."
        if module.startswith(_CLIENT_MODULES) and not module.startswith("runloop_async.testing"):
            names.append(type(obj).__qualname__)
    return sorted(names)


@contextmanager
def _collector_off() -> Iterator[list[Any]]:
    """The collector off while the block runs; then what a collection finds, kept."""
    gc.collect()
    gc.disable()
    found: list[Any] = []
    try:
        yield found
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        found.extend(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def _protocols() -> list[str]:
    """The client connections' protocols still alive (the emulator's are another class)."""
    from aiohttp.client_proto import ResponseHandler

    return [type(o).__name__ for o in gc.get_objects() if isinstance(o, ResponseHandler)]


async def _settle() -> None:
    # Closed transports call connection_lost through the loop (call_soon).
    for _ in range(20):
        await asyncio.sleep(0)


async def test_calls_and_a_closed_client_leave_no_cyclic_garbage(runloop_emulator: Any) -> None:
    scenario = runloop_emulator.add_scenario("garbage")
    with _collector_off() as garbage:
        async with AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url) as client:
            run = await client.scenarios.start_run(scenario_id=scenario["id"])
            runs = await asyncio.gather(*(client.scenarios.runs.retrieve(run.id) for _ in range(8)))
            assert {r.id for r in runs} == {run.id}
            assert _protocols()
        await _settle()
        assert _protocols() == []
    assert _ours(garbage) == []


def test_the_garbage_filter_sees_client_objects() -> None:
    """The garbage check above can fail: client objects are not filtered out."""
    from aiohttp.client_proto import ResponseHandler

    loop = asyncio.new_event_loop()
    try:
        assert _ours([ResponseHandler(loop), object()]) == ["ResponseHandler"]
    finally:
        loop.close()


@pytest.mark.parametrize(
    "fault", [{"kind": "status", "status": 503}, {"kind": "close"}, {"kind": "html"}]
)
async def test_a_retried_failure_leaves_no_cyclic_garbage(
    runloop_emulator: Any, fault: dict[str, Any]
) -> None:
    """A failed attempt kept in a local of the frame its traceback holds (the call
    loop's last failure, the transport's error as it is raised) made every retried
    call leave its exception, frames, request and answer to the collector."""
    scenario = runloop_emulator.add_scenario("retried")
    key, url = runloop_emulator.api_key, runloop_emulator.base_url
    async with AsyncRunloop(key, url, retry=FAST_RETRY) as client:
        run = await client.scenarios.start_run(scenario_id=scenario["id"])
        with _collector_off() as garbage:
            for _ in range(3):
                runloop_emulator.faults.add(route=RUN_ROUTE, times=1, **fault)
                assert (await client.scenarios.runs.retrieve(run.id)).id == run.id
    assert _ours(garbage) == []


def test_an_error_raised_through_the_blocking_client_leaves_no_cyclic_garbage(
    runloop_emulator: Any,
) -> None:
    """The portal's frame held the error it raised (and the call and task holding it)."""
    key, url = runloop_emulator.api_key, runloop_emulator.base_url
    with Runloop(key, url) as client, _collector_off() as garbage:
        for _ in range(3):
            with pytest.raises(NotFoundError):
                client.scenarios.runs.retrieve("scr_missing")
    assert _ours(garbage) == []
