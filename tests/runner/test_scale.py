"""The runner at the size users run it: 500 scenarios at concurrency 50."""

from __future__ import annotations

import random
from typing import Any

import anyio
import pytest
from runner_support import assert_nothing_running

from runloop_async import AgentContext, AsyncRunloop, RunnerEvent, run_benchmark

pytestmark = pytest.mark.anyio


async def test_500_scenarios_at_concurrency_50(client: AsyncRunloop, runloop_emulator: Any) -> None:
    runloop_emulator.configure(scoring_delay=0.05, devbox_boot_delay=0.05)
    commands = ["true", "true", "true", "PARTIAL", "FAIL"]
    ids = [
        runloop_emulator.add_scenario(f"big-{i:03d}", command=commands[i % 5])["id"]
        for i in range(500)
    ]
    bench = runloop_emulator.add_benchmark("big", scenario_ids=ids)
    in_flight = peak = 0
    running: set[str] = set()
    most_running = 0

    def on_event(event: RunnerEvent) -> None:
        nonlocal most_running
        if event.kind == "started":
            running.add(event.scenario_id or "")
        elif event.kind in ("completed", "failed"):
            running.discard(event.scenario_id or "")
        most_running = max(most_running, len(running))

    async def agent(ctx: AgentContext) -> None:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await anyio.sleep(random.uniform(0.01, 0.05))
        in_flight -= 1
        if ctx.scenario.name.endswith("7"):
            raise RuntimeError("agent error")

    start = anyio.current_time()
    result = await run_benchmark(
        client, agent, benchmark_id=bench["id"], concurrency=50, on_event=on_event
    )
    wall = anyio.current_time() - start
    t = result.totals
    print(f"\n500 scenarios @ concurrency 50: {wall:.2f} s wall; {t}")
    assert t.total == 500
    assert t.errored == 50  # the names ending in 7
    assert (t.passed, t.failed) == (250, 200)  # 300 pass - 50 errored; 100 partial + 100 fail
    assert most_running == 50
    assert 0 < peak <= 50
    assert wall < 20
    assert result.benchmark_run is not None
    # 50 scenarios errored: the benchmark run is left running, to resume them
    assert result.benchmark_run.state == "running"
    assert len(result.unfinished or []) == 50
    assert not result.ok
    await assert_nothing_running(client)
