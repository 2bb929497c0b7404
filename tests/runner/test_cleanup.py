"""Cleanup that finishes: retried under its own deadline, a final sweep, rows that
agree with the server."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from outage_support import FAST_BACKOFF, live_runs
from runner_support import make_benchmark

from runloop_async import AgentContext, AsyncRunloop, ScenarioRunState, run_benchmark

pytestmark = pytest.mark.anyio

CANCEL = "POST /v1/scenarios/runs/{id}/cancel"


async def crashing_agent(ctx: AgentContext) -> None:
    raise RuntimeError("agent crashed")


async def test_a_failed_runs_cancel_is_retried_through_an_outage(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    bench_id, _ = await make_benchmark(client, ["pytest"] * 4)
    fault = runloop_emulator.faults.add(CANCEL, status=503, duration=2.0)
    result = await run_benchmark(client, crashing_agent, benchmark_id=bench_id,
                                 backoff=FAST_BACKOFF)  # fmt: skip
    assert fault.fired > 4 * 4  # more than the client's own retries
    assert [row.state for row in result.rows] == [ScenarioRunState.CANCELED] * 4
    assert await live_runs(client) == []


async def test_the_final_sweep_ends_what_a_task_could_not(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    bench_id, _ = await make_benchmark(client, ["pytest"] * 3)
    runloop_emulator.faults.add(CANCEL, status=503, duration=2.0)

    async def agent(ctx: AgentContext) -> None:
        if ctx.scenario.name == "s0":
            raise RuntimeError("agent crashed")
        await anyio.sleep(3.0)  # the others outlast the outage

    result = await run_benchmark(client, agent, benchmark_id=bench_id, backoff=FAST_BACKOFF,
                                 cleanup_timeout=0.5)  # fmt: skip
    assert result.rows[0].error_type == "RuntimeError"
    assert await live_runs(client) == []  # the task gave up after 0.5 s; the sweep did not
    assert (await client.scenarios.runs.retrieve(result.rows[0].run_id or "")).state == "canceled"


async def test_rows_agree_with_the_server(client: AsyncRunloop, runloop_emulator: Any) -> None:
    # complete is applied, but every answer is lost: the task gives up on it (after
    # 1.5 s), the server holds the run completed with its score: the row says passed.
    bench_id, _ = await make_benchmark(client, ["pytest", "pytest"])
    runloop_emulator.faults.add("POST /v1/scenarios/runs/{id}/complete", kind="reset")

    async def agent(ctx: AgentContext) -> None:
        pass

    result = await run_benchmark(client, agent, benchmark_id=bench_id, backoff=FAST_BACKOFF,
                                 cleanup_timeout=1.5)  # fmt: skip
    assert [(r.outcome, r.state, r.score, r.error) for r in result.rows] == [
        ("passed", "completed", 1.0, None)
    ] * 2
    assert result.ok
    assert result.benchmark_run is not None
    assert result.benchmark_run.state == "completed"


async def test_shards_finishing_together_complete_the_benchmark_run_once(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    bench_id, _ = await make_benchmark(client, ["pytest"] * 6)
    brun = await client.benchmarks.start_run(benchmark_id=bench_id)
    results: list[Any] = []

    async def shard(index: int) -> None:
        results.append(
            await run_benchmark(client, _quick, benchmark_run_id=brun.id, shard=(index, 3))
        )

    async with anyio.create_task_group() as tg:
        for index in range(3):
            tg.start_soon(shard, index)
    assert all(r.ok for r in results)
    path = f"/v1/benchmark_runs/{brun.id}/complete"
    answers = [r for r in runloop_emulator.requests if r.path == path]
    # completed once: a late shard's call is the same idempotent call (a replay), or a
    # 400 "already completed", which counts as done
    assert len({r.request_id for r in answers if r.status == 200}) == 1
    assert {r.status for r in answers} <= {200, 400}
    assert (await client.benchmark_runs.retrieve(brun.id)).state == "completed"
    assert "completed" in {r.benchmark_run.state for r in results}


async def _quick(ctx: AgentContext) -> None:
    await anyio.sleep(0.05)
