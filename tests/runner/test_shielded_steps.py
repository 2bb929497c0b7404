"""A cancellation cannot cut a run's start or its cleanup short, however it comes: an
anyio cancel scope around the runner (delivered again and again until the tasks
leave it), or a native ``Task.cancel()`` of the task running it (what ``asyncio.run``
does on Ctrl-C). The scenario tasks are plain asyncio tasks (``_runner/_flock.py``):
these tests show the shields inside them still hold."""

from __future__ import annotations

import asyncio
from typing import Any

import anyio
import pytest
from runner_support import assert_nothing_running, make_benchmark, ok_agent

from runloop_async import AsyncRunloop, BenchmarkRunner, ScenarioRunState

pytestmark = pytest.mark.anyio

START = "POST /v1/scenarios/start_run"
COMPLETE = "POST /v1/scenarios/runs/{id}/complete"
CANCEL = "POST /v1/scenarios/runs/{id}/cancel"
SCENARIOS = 4


def _requests(emulator: Any, method: str, suffix: str) -> list[Any]:
    return [r for r in emulator.requests if r.method == method and r.path.endswith(suffix)]


def _once_per_run(emulator: Any, action: str, runs: list[Any]) -> list[Any]:
    """The ``POST .../{action}`` requests, after checking there was exactly one a run."""
    requests = _requests(emulator, "POST", f"/{action}")
    expected = sorted(f"/v1/scenarios/runs/{r.id}/{action}" for r in runs)
    assert sorted(r.path for r in requests) == expected
    return requests


async def _cancel_during(runner: BenchmarkRunner, emulator: Any, how: str, suffix: str) -> None:
    """Run ``runner``; cancel it (``how``: an anyio scope or a native task cancel) once
    every scenario has a POST ending in ``suffix`` in flight; return when it is done."""

    async def in_flight() -> None:
        while len(_requests(emulator, "POST", suffix)) < SCENARIOS:  # noqa: ASYNC110
            await anyio.sleep(0.01)

    if how == "anyio":
        async with anyio.create_task_group() as tg:
            tg.start_soon(runner.run)
            await in_flight()
            tg.cancel_scope.cancel()
        return
    task = asyncio.get_running_loop().create_task(runner.run())
    await in_flight()
    task.cancel()
    await asyncio.wait([task])
    assert task.cancelled()


@pytest.mark.parametrize("how", ["anyio", "native"])
async def test_a_cancel_during_the_starts_loses_no_run(
    client: AsyncRunloop, runloop_emulator: Any, how: str
) -> None:
    bench_id, _ = await make_benchmark(client, ["pytest"] * SCENARIOS)
    runloop_emulator.faults.add(START, kind="delay", delay=0.5)
    runner = BenchmarkRunner(client, ok_agent, benchmark_id=bench_id, concurrency=SCENARIOS)
    await _cancel_during(runner, runloop_emulator, how, "/start_run")
    runs = [r async for r in client.scenarios.runs.list(limit=100)]
    # Every start went through (a start cut off makes no run here: the emulator drops
    # the request with its connection) and its id was kept:
    assert len(runs) == SCENARIOS
    assert sorted(runner.started_runs) == sorted(r.id for r in runs)
    await assert_nothing_running(client)


@pytest.mark.parametrize("how", ["anyio", "native"])
async def test_a_cancel_does_not_cut_the_cleanup_it_starts(
    client: AsyncRunloop, runloop_emulator: Any, how: str
) -> None:
    bench_id, _ = await make_benchmark(client, ["pytest"] * SCENARIOS)
    runloop_emulator.faults.add(START, kind="delay", delay=0.3)
    runloop_emulator.faults.add(CANCEL, kind="delay", delay=0.5)
    runner = BenchmarkRunner(client, ok_agent, benchmark_id=bench_id, concurrency=SCENARIOS)
    await _cancel_during(runner, runloop_emulator, how, "/start_run")
    runs = [r async for r in client.scenarios.runs.list(limit=100)]
    assert [r.state for r in runs] == [ScenarioRunState.CANCELED] * SCENARIOS
    # One cancel a run, each waited for by its task: none was cut off and sent again
    # by the final sweep.
    cancels = _once_per_run(runloop_emulator, "cancel", runs)
    assert all(r.status == 200 for r in cancels)
    await assert_nothing_running(client)


@pytest.mark.parametrize("how", ["anyio", "native"])
async def test_a_cancel_does_not_cut_a_runs_completion(
    client: AsyncRunloop, runloop_emulator: Any, how: str
) -> None:
    bench_id, _ = await make_benchmark(client, ["pytest"] * SCENARIOS)
    runloop_emulator.faults.add(COMPLETE, kind="delay", delay=0.5)
    runner = BenchmarkRunner(client, ok_agent, benchmark_id=bench_id, concurrency=SCENARIOS)
    await _cancel_during(runner, runloop_emulator, how, "/complete")
    runs = [r async for r in client.scenarios.runs.list(limit=100)]
    assert [r.state for r in runs] == [ScenarioRunState.COMPLETED] * SCENARIOS
    # Each completion went through once (none cut off and done again by the cleanup):
    _once_per_run(runloop_emulator, "complete", runs)
    assert _requests(runloop_emulator, "POST", "/cancel") == []
