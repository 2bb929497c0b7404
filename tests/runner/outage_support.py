"""Helpers for the runner's outage tests: a benchmark on an emulator of its own, and
what the server saw (runs per scenario, benchmark-run completions)."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio

from runloop_async import AgentContext, AsyncRunloop, Backoff, RetryConfig, ScenarioRunView
from runloop_async.testing import EmulatorThread

#: The client's own retries: quick, with the default client-wide retry budget.
FAST_RETRY = RetryConfig(max_retries=3, initial_delay=0.01, max_delay=0.05)
#: The runner's step retries and gate: short, so the tests stay fast.
FAST_BACKOFF = Backoff(initial=0.1, maximum=1.0)


async def slow_agent(ctx: AgentContext) -> None:
    await anyio.sleep(1.0)


@asynccontextmanager
async def own_emulator(scenarios: int) -> AsyncIterator[tuple[Any, AsyncRunloop, str]]:
    """An emulator thread of its own (faults are per emulator), a client, a benchmark."""
    with EmulatorThread(api_key="k", scoring_delay=0.05, devbox_boot_delay=0.05) as emu:
        ids = [emu.add_scenario(f"o-{i:02d}", command="pytest")["id"] for i in range(scenarios)]
        bench = emu.add_benchmark("outage", scenario_ids=ids)
        async with AsyncRunloop(emu.api_key, emu.base_url, retry=FAST_RETRY) as client:
            yield emu, client, bench["id"]


async def server_runs(client: AsyncRunloop) -> list[ScenarioRunView]:
    """Every scenario run on the server."""
    return [run async for run in client.scenarios.runs.list(limit=1000)]


async def runs_per_scenario(client: AsyncRunloop, benchmark_run_id: str) -> Counter[str]:
    """How many scenario runs each scenario has in the benchmark run (server state)."""
    pager = client.benchmark_runs.list_scenario_runs(benchmark_run_id, limit=1000)
    return Counter([run.scenario_id async for run in pager])


async def live_runs(client: AsyncRunloop) -> list[str]:
    """Scenario runs still holding a devbox, on the server."""
    live = ("running", "scoring", "scored")
    return [run.id for run in await server_runs(client) if run.state in live]


def benchmark_run_completions(emu: Any, benchmark_run_id: str) -> int:
    """Successful ``complete`` calls on the benchmark run (replays of one call, with
    its idempotency key, count once)."""
    path = f"/v1/benchmark_runs/{benchmark_run_id}/complete"
    return len({r.request_id for r in emu.requests if r.path == path and r.status == 200})


Seen = tuple[float, str, str, int | None, str | None]


def requests_about(emu: Any, *ids: str | None) -> list[Seen]:
    """The requests whose path names one of ``ids`` (a run, its devbox), as
    ``(time, method, path, status, fault)``: what a failed row's steps met."""
    wanted = [i for i in ids if i]
    return [(round(r.time % 1000, 2), r.method, r.path, r.status, r.fault)
            for r in emu.requests if any(i in r.path for i in wanted)]  # fmt: skip
