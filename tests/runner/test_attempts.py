"""Attempts over loopback: k runs per scenario in one benchmark run, tagged, counted by
the results loader, resumed and sharded without a repeat or a loss."""

from __future__ import annotations

from collections import Counter
from typing import Any

import anyio
import pytest
from runner_support import assert_nothing_running, ok_agent

from runloop_async import (
    AgentContext,
    AsyncRunloop,
    BenchmarkResult,
    BenchmarkRunner,
    BenchmarkRunState,
    RunnerEvent,
    ScenarioRunView,
    run_benchmark,
)
from runloop_async._eval._rows import ATTEMPT_METADATA_KEY, PLANNED_ATTEMPTS_METADATA_KEY

pytestmark = pytest.mark.anyio


def seeded_benchmark(emu: Any, count: int, probability: float = 0.5) -> tuple[str, list[str]]:
    """A benchmark of ``count`` scenarios that pass with ``probability`` (seeded)."""
    ids = [emu.add_scenario(f"m{i}")["id"] for i in range(count)]
    for i in range(count):
        emu.set_pass_probability(f"m{i}", probability)
    return emu.add_benchmark("attempts", scenario_ids=ids)["id"], ids


async def server_runs(client: AsyncRunloop, brid: str) -> list[ScenarioRunView]:
    return [r async for r in client.benchmark_runs.list_scenario_runs(brid, limit=1000)]


def finished_per_attempt(runs: list[ScenarioRunView]) -> Counter[tuple[str, str]]:
    """(scenario, attempt tag) -> completed runs with a score."""
    return Counter((r.scenario_id, r.metadata.get(ATTEMPT_METADATA_KEY, "?")) for r in runs
                   if r.state == "completed" and r.score is not None)  # fmt: skip


def every_attempt_once(ids: list[str], k: int) -> Counter[tuple[str, str]]:
    return Counter({(sid, str(n)): 1 for sid in ids for n in range(1, k + 1)})


async def test_attempts_are_runs_tagged_and_rebuilt_by_the_loader(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    bench_id, ids = seeded_benchmark(runloop_emulator, 4)
    events: list[RunnerEvent] = []
    result = await run_benchmark(client, ok_agent, benchmark_id=bench_id, attempts=3,
                                 concurrency=2, on_event=events.append)  # fmt: skip
    assert [(r.scenario_id, r.attempt) for r in result.rows] == [
        (sid, n) for sid in ids for n in (1, 2, 3)
    ]
    assert len({r.run_id for r in result.rows}) == 12
    runs = await server_runs(client, result.benchmark_run_id or "")
    by_id = {r.id: r for r in runs}
    for row in result.rows:
        meta = by_id[row.run_id or ""].metadata
        assert (meta[ATTEMPT_METADATA_KEY], meta[PLANNED_ATTEMPTS_METADATA_KEY]) == (
            str(row.attempt), "3",
        )  # fmt: skip
    # attempt 1 of every scenario starts before any attempt 2 (broad coverage first)
    starts = [r.json["metadata"][ATTEMPT_METADATA_KEY] for r in runloop_emulator.requests
              if r.path == "/v1/scenarios/start_run"]  # fmt: skip
    assert starts == ["1"] * 4 + ["2"] * 4 + ["3"] * 4
    assert events[0].total == 12
    assert sorted((e.scenario_id, e.attempt) for e in events if e.kind == "completed") == sorted(
        (sid, n) for sid in ids for n in (1, 2, 3)
    )
    # the outcomes are mixed, so pass@3 says more than pass@1
    m = result.metrics()
    assert 0 < m.pass_rate < m.pass_at_k[3] <= 1
    loaded = await BenchmarkResult.from_benchmark_run(client, result.benchmark_run_id or "")

    def key(r: Any) -> tuple[Any, ...]:
        return (r.scenario_id, r.attempt, r.run_id, r.state, r.score, r.outcome)

    assert [key(r) for r in loaded.rows] == [key(r) for r in result.rows]

    def figures(metrics: Any) -> dict[str, Any]:
        doc = metrics.to_dict()  # durations differ: the runner's wall time vs the server's
        for scenario in doc["per_scenario"]:
            scenario.pop("mean_duration_s")
        return doc

    assert figures(loaded.metrics()) == figures(m)
    assert loaded.totals == result.totals
    # every attempt is a scenario run: the platform's score is the mean over attempts
    assert result.benchmark_run.state == BenchmarkRunState.COMPLETED
    assert result.benchmark_run.score == pytest.approx(result.totals.mean_score)
    await assert_nothing_running(client)


async def test_attempts_of_one_scenario_run_at_once_under_one_limit(client: AsyncRunloop) -> None:
    ids = [(await client.scenarios.create(name=f"c{i}", input_context={"problem_statement": "x"},
                                          scoring_contract={"scoring_function_parameters": []})).id
           for i in range(2)]  # fmt: skip
    inside: Counter[str] = Counter()
    peak: Counter[str] = Counter()
    total_peak = 0

    async def agent(ctx: AgentContext) -> None:
        nonlocal total_peak
        inside[ctx.scenario.id] += 1
        peak[ctx.scenario.id] = max(peak[ctx.scenario.id], inside[ctx.scenario.id])
        total_peak = max(total_peak, sum(inside.values()))
        await anyio.sleep(0.3)
        inside[ctx.scenario.id] -= 1

    result = await run_benchmark(client, agent, scenario_ids=ids, attempts=3, concurrency=4)
    assert len(result.rows) == 6
    assert result.benchmark_run_id is None  # loose runs work too
    assert max(peak.values()) > 1  # attempts of one scenario overlapped
    assert total_peak <= 4  # ... under the one concurrency limit


async def test_shards_keep_a_scenarios_attempts_together_and_count_each_once(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    bench_id, ids = seeded_benchmark(runloop_emulator, 5)
    brun = await client.benchmarks.start_run(benchmark_id=bench_id)
    parts = [await run_benchmark(client, ok_agent, benchmark_run_id=brun.id, shard=(i, 2),
                                 attempts=2) for i in range(2)]  # fmt: skip
    mine = [{r.scenario_id for r in part.rows} for part in parts]
    assert not mine[0] & mine[1]
    assert mine[0] | mine[1] == set(ids)
    for part, sids in zip(parts, mine, strict=True):
        assert Counter(r.scenario_id for r in part.rows) == dict.fromkeys(sids, 2)
    assert [p.benchmark_run.state for p in parts] == ["running", "completed"]
    assert parts[0].unfinished == sorted(mine[1], key=ids.index)
    runs = await server_runs(client, brun.id)
    assert len(runs) == 10
    assert finished_per_attempt(runs) == every_attempt_once(ids, 2)
    again = await run_benchmark(client, ok_agent, benchmark_run_id=brun.id, shard=(0, 2))
    assert len(again.rows) == len(parts[0].rows)
    assert all(r.resumed for r in again.rows)
    assert len(await server_runs(client, brun.id)) == 10  # nothing repeated


async def test_resume_after_an_interruption_mid_attempts_loses_and_repeats_nothing(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    bench_id, ids = seeded_benchmark(runloop_emulator, 4)
    brun = await client.benchmarks.start_run(benchmark_id=bench_id)
    calls = 0
    stuck = anyio.Event()

    async def agent(ctx: AgentContext) -> None:
        nonlocal calls
        calls += 1
        if calls > 5:
            if calls == 8:  # every slot holds a stuck agent: interrupt
                stuck.set()
            await anyio.sleep(30)

    runner = BenchmarkRunner(client, agent, benchmark_run_id=brun.id, attempts=3, concurrency=3)
    with anyio.move_on_after(20):
        async with anyio.create_task_group() as tg:
            tg.start_soon(runner.run)
            await stuck.wait()
            await anyio.sleep(0.2)
            tg.cancel_scope.cancel()
    first = finished_per_attempt(await server_runs(client, brun.id))
    assert 5 <= sum(first.values()) < 12
    # resumed without repeating attempts=3: the runs say how many were planned
    result = await run_benchmark(client, ok_agent, benchmark_run_id=brun.id)
    assert len(result.rows) == 12
    assert sum(r.resumed for r in result.rows) == sum(first.values())
    assert finished_per_attempt(await server_runs(client, brun.id)) == every_attempt_once(ids, 3)
    assert result.benchmark_run.state == BenchmarkRunState.COMPLETED
    await assert_nothing_running(client)
