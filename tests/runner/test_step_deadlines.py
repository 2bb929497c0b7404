"""Runner step deadlines hold (the request in flight is cut off), and bad agents and
options are rejected before any run starts."""

from __future__ import annotations

import math
from typing import Any

import anyio
import pytest
from runner_support import make_benchmark, ok_agent

from runloop_async import AgentContext, AsyncRunloop, InvalidArgumentError, run_benchmark

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("route", "option", "phase"),
    [
        ("GET /v1/scenarios/runs/{id}", "scoring_timeout", "scoring"),
        ("POST /v1/devboxes/{id}/wait_for_status", "env_ready_timeout", "env"),
    ],
)
async def test_a_hung_answer_does_not_stretch_a_step_deadline(
    client: AsyncRunloop, runloop_emulator: Any, route: str, option: str, phase: str
) -> None:
    bench_id, _ = await make_benchmark(client, ["pytest"])
    runloop_emulator.faults.add(route, kind="delay", delay=60)
    result = await run_benchmark(client, ok_agent, benchmark_id=bench_id, env_retries=0,
                                 **{option: 1.0})  # fmt: skip
    row = result.rows[0]
    assert (row.outcome, row.phase) == ("errored", phase)
    assert row.duration_s is not None
    assert row.duration_s < 1.0 + 4.0  # the deadline, its slack, the cleanup (not 60 s)


async def test_bad_agents_and_deadlines_are_rejected_before_any_request(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    def no_args() -> None:
        pass

    def two_args(ctx: AgentContext, other: int) -> None:
        pass

    for agent in (None, 42, no_args, two_args, "module:function"):
        with pytest.raises(InvalidArgumentError, match="agent"):
            await run_benchmark(client, agent, benchmark_id="bmd_1")  # type: ignore[arg-type]
    for bad in (math.nan, -1, 0, float("inf")):
        for option in ("scoring_timeout", "env_ready_timeout", "agent_timeout"):
            with pytest.raises(InvalidArgumentError, match=option):
                await run_benchmark(client, ok_agent, benchmark_id="bmd_1", **{option: bad})
    assert runloop_emulator.requests == []


async def test_another_benchmarks_run_is_rejected(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    bench_a, _ = await make_benchmark(client, ["pytest"], prefix="a")
    bench_b, ids_b = await make_benchmark(client, ["pytest"], prefix="b")
    brun = await client.benchmarks.start_run(benchmark_id=bench_a)
    with pytest.raises(InvalidArgumentError, match=f"belongs to benchmark {bench_a}"):
        await run_benchmark(client, ok_agent, benchmark_id=bench_b, benchmark_run_id=brun.id)
    with pytest.raises(InvalidArgumentError, match="not in benchmark"):
        await run_benchmark(client, ok_agent, benchmark_run_id=brun.id, scenario_ids=ids_b)
    assert not [r for r in runloop_emulator.requests if r.path == "/v1/scenarios/start_run"]


async def test_a_sync_agent_is_told_when_the_runner_gives_up_on_it(client: AsyncRunloop) -> None:
    import threading
    import time

    from runloop_async._runner._agent import agents_running

    bench_id, _ = await make_benchmark(client, ["pytest"])
    returned = threading.Event()

    def patient(ctx: AgentContext) -> None:
        while not ctx.cancelled:  # a long sync agent checks between its steps
            time.sleep(0.02)
        returned.set()

    result = await run_benchmark(client, patient, benchmark_id=bench_id, agent_timeout=0.3)
    assert result.rows[0].error_type == "TimeoutError"
    assert await anyio.to_thread.run_sync(returned.wait, 5.0)
    assert agents_running() == 0
