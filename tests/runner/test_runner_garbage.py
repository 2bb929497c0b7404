"""A finished run leaves its runner to reference counting, not to the collector (issue 15).

The outage watchdog used to be cancelled at the end of every run: anyio's task-done
frame kept the CancelledError, whose traceback kept the watchdog's frame and so the
whole runner (its rows, tasks, gate and events, ~2,100 objects for 200 scenarios)
until a collection found the cycle. Counts, not times.
"""

from __future__ import annotations

import gc
from typing import Any

import anyio
import pytest
from runner_support import make_benchmark

from runloop_async import AgentContext, AsyncRunloop, run_benchmark

pytestmark = pytest.mark.anyio


async def slow_agent(ctx: AgentContext) -> None:
    """Long enough for the watchdog to look at the gate several times."""
    await anyio.sleep(0.35)


async def test_a_finished_run_leaves_no_runner_state_to_the_collector(client: AsyncRunloop) -> None:
    bench_id, ids = await make_benchmark(client, ["pytest"] * 3)
    gc.collect()
    gc.disable()
    try:
        # outage_timeout=1: the watchdog looks every 0.1 s, so it has woken up
        # several times before the end (each wake-up must leave nothing either).
        result = await run_benchmark(client, slow_agent, benchmark_id=bench_id, outage_timeout=1.0)
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        garbage: list[Any] = list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert [row.outcome for row in result.rows] == ["passed"] * len(ids)
    runner_objects = sorted(
        type(obj).__qualname__
        for obj in garbage
        if type(obj).__module__.startswith("runloop_async._runner")
    )
    assert runner_objects == []
