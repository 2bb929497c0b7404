"""The benchmark runner over loopback: outcomes, isolation, cleanup, resume, shards."""

from __future__ import annotations

import threading
from typing import Any

import anyio
import pytest
from runner_support import assert_nothing_running, make_benchmark, ok_agent

from runloop_async import (
    AgentContext,
    AsyncRunloop,
    BenchmarkRunner,
    BenchmarkRunState,
    EventKind,
    InvalidArgumentError,
    RunnerEvent,
    ScenarioRunState,
    run_benchmark,
)

pytestmark = pytest.mark.anyio


def start_runs(emulator: Any) -> list[Any]:
    return [r for r in emulator.requests if r.path == "/v1/scenarios/start_run"]


async def test_a_benchmark_end_to_end(client: AsyncRunloop) -> None:
    bench_id, ids = await make_benchmark(client, ["pytest", "pytest", "PARTIAL", "FAIL"])
    events: list[RunnerEvent] = []
    result = await run_benchmark(client, ok_agent, benchmark_id=bench_id, on_event=events.append)
    assert [r.scenario_id for r in result.rows] == ids
    assert [r.outcome for r in result.rows] == ["passed", "passed", "failed", "failed"]
    assert [r.score for r in result.rows] == [1.0, 1.0, 0.5, 0.0]
    assert all(r.state == ScenarioRunState.COMPLETED and r.error is None for r in result.rows)
    assert result.rows[0].scenario_name == "s0"
    t = result.totals
    assert (t.passed, t.failed, t.errored, t.mean_score) == (2, 2, 0, 0.625)
    assert result.benchmark_run is not None
    assert result.benchmark_run.state == BenchmarkRunState.COMPLETED
    kinds = [e.kind for e in events if e.scenario_id == ids[0]]
    assert kinds == ["started", "env_ready", "agent_done", "scoring", "scored", "completed"]
    assert events[0].kind == EventKind.RUN_STARTED
    assert events[0].total == 4
    assert events[-1].kind == EventKind.RUN_FINISHED
    await assert_nothing_running(client)


async def test_failures_are_isolated_and_cleaned_up(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    bench_id, _ = await make_benchmark(client, ["pytest"] * 6)
    runloop_emulator.force_devbox_outcome("s1", "failure")
    runloop_emulator.force_scoring_outcome("s2", "failed")

    async def agent(ctx: AgentContext) -> None:
        if ctx.scenario.name == "s3":
            raise ValueError("agent bug")
        if ctx.scenario.name == "s4":
            await anyio.sleep(30)

    result = await run_benchmark(client, agent, benchmark_id=bench_id, agent_timeout=0.5)
    rows = {r.scenario_name: r for r in result.rows}
    assert rows["s0"].outcome == rows["s5"].outcome == "passed"
    assert (rows["s1"].phase, rows["s1"].error_type) == ("env", "DevboxFailedError")
    assert rows["s1"].last_view.status == "failure"
    assert (rows["s2"].phase, rows["s2"].error_type, rows["s2"].state) == (
        "scoring", "ScoringFailedError", "failed",
    )  # fmt: skip
    assert (rows["s3"].phase, rows["s3"].error) == ("agent", "ValueError: agent bug")
    assert rows["s3"].state == ScenarioRunState.CANCELED
    assert rows["s4"].error_type == "TimeoutError"
    assert result.totals.errored == 4
    await assert_nothing_running(client)


async def test_sync_agents_run_in_worker_threads(client: AsyncRunloop) -> None:
    bench_id, _ = await make_benchmark(client, ["pytest"] * 3)
    seen: list[str] = []

    def agent(ctx: AgentContext) -> None:
        assert threading.current_thread() is not threading.main_thread()
        seen.append(anyio.from_thread.run(ctx.client.devboxes.retrieve, ctx.devbox_id).status)

    result = await run_benchmark(client, agent, benchmark_id=bench_id)
    assert result.totals.passed == 3
    assert seen == ["running"] * 3


async def test_cancellation_midway_leaves_nothing_running(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    bench_id, _ = await make_benchmark(client, ["pytest"] * 12)
    runloop_emulator.force_scoring_outcome("s5", "stuck")
    done = anyio.Event()

    async def agent(ctx: AgentContext) -> None:
        if ctx.scenario.name in ("s0", "s1"):
            return
        done.set()
        await anyio.sleep(60)

    runner = BenchmarkRunner(client, agent, benchmark_id=bench_id, concurrency=5)
    with anyio.move_on_after(10):
        async with anyio.create_task_group() as tg:
            tg.start_soon(runner.run)
            await done.wait()
            await anyio.sleep(0.3)
            tg.cancel_scope.cancel()
    assert runner.progress.in_flight > 0  # it really was interrupted mid-way
    await assert_nothing_running(client)
    assert runner.benchmark_run_id is not None
    brun = await client.benchmark_runs.retrieve(runner.benchmark_run_id)
    assert brun.state == BenchmarkRunState.RUNNING  # left open, so it can be resumed


async def test_resume_repeats_nothing_done(client: AsyncRunloop, runloop_emulator: Any) -> None:
    bench_id, ids = await make_benchmark(client, ["pytest", "FAIL", "pytest", "PARTIAL"])
    brun = await client.benchmarks.start_run(benchmark_id=bench_id)

    async def flaky(ctx: AgentContext) -> None:
        if ctx.scenario.name in ("s2", "s3"):
            raise RuntimeError("flaky")

    first = await run_benchmark(
        client, flaky, benchmark_run_id=brun.id, complete_benchmark_run=False
    )
    assert [r.outcome for r in first.rows] == ["passed", "failed", "errored", "errored"]
    # a dead process's leftovers: scored runs never completed, an orphan still running
    for sid in (ids[3], ids[0]):
        left = await client.scenarios.start_run(scenario_id=sid, benchmark_run_id=brun.id)
        await client.scenarios.runs.score_and_await(left.id, timeout=10)
    orphan = await client.scenarios.start_run(scenario_id=ids[2], benchmark_run_id=brun.id)
    before = len(start_runs(runloop_emulator))
    second = await run_benchmark(client, ok_agent, benchmark_run_id=brun.id)
    started = [r.json["scenario_id"] for r in start_runs(runloop_emulator)[before:]]
    assert started == []  # the orphan is adopted: its devbox is up, the agent runs there
    assert [r.resumed for r in second.rows] == [True, True, False, True]
    assert [r.outcome for r in second.rows] == ["passed", "failed", "passed", "failed"]
    assert second.rows[3].score == 0.5
    assert second.rows[2].run_id == orphan.id
    assert (await client.scenarios.runs.retrieve(orphan.id)).state == "completed"
    assert second.benchmark_run.state == BenchmarkRunState.COMPLETED
    await assert_nothing_running(client)


async def test_shards_split_one_benchmark_run_exactly_once(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    bench_id, ids = await make_benchmark(client, ["pytest"] * 10)
    with pytest.raises(InvalidArgumentError, match="share one benchmark run"):
        await run_benchmark(client, ok_agent, benchmark_id=bench_id, shard=(0, 3))
    brun = await client.benchmarks.start_run(benchmark_id=bench_id)
    results = []
    for index in range(3):
        shard = (index, 3)
        results.append(await run_benchmark(client, ok_agent, benchmark_run_id=brun.id, shard=shard))
    started = [r.json["scenario_id"] for r in start_runs(runloop_emulator)]
    assert sorted(started) == sorted(ids)
    assert sorted(len(r.rows) for r in results) == [3, 3, 4]
    # whichever shard finds every scenario finished (the last here) completes it, once
    states = [r.benchmark_run.state for r in results]
    assert states == [BenchmarkRunState.RUNNING, BenchmarkRunState.RUNNING, "completed"]
    assert [len(r.unfinished or []) for r in results] == [6, 3, 0]
    assert all(r.ok for r in results)
    completes = [r for r in runloop_emulator.requests if r.path.endswith("/complete")
                 and r.path.startswith("/v1/benchmark_runs")]  # fmt: skip
    assert len(completes) == 1
    again = await run_benchmark(client, ok_agent, benchmark_run_id=brun.id, shard=(1, 3))
    assert len(start_runs(runloop_emulator)) == len(ids)  # a restarted shard repeats nothing
    assert all(r.resumed for r in again.rows)


async def test_loose_scenarios_subscribe_and_keep_devboxes(client: AsyncRunloop) -> None:
    _, ids = await make_benchmark(client, ["pytest", "pytest"])

    async def agent(ctx: AgentContext) -> None:
        if ctx.scenario.name == "s1":
            raise RuntimeError("debug me")

    def bad_callback(event: RunnerEvent) -> None:
        raise KeyError("ignored")

    runner = BenchmarkRunner(
        client, agent, scenario_ids=ids, keep_devboxes=True, on_event=bad_callback
    )
    with runner.subscribe() as events:
        result = await runner.run()
        kinds = [e.kind async for e in events]
    assert result.benchmark_run_id is None
    assert kinds[0] == "run_started"
    assert kinds[-1] == "run_finished"
    assert kinds.count("failed") == 1
    kept = result.rows[1]
    assert kept.state == ScenarioRunState.RUNNING
    devbox = await client.devboxes.retrieve(kept.devbox_id or "")
    assert devbox.status == "running"
    await client.scenarios.runs.cancel(kept.run_id or "")


async def test_bad_arguments_fail_before_any_request(client: AsyncRunloop) -> None:
    for kwargs in ({}, {"scenario_ids": "scn_1"}, {"scenario_ids": [], "concurrency": 0}):
        with pytest.raises(InvalidArgumentError):
            BenchmarkRunner(client, ok_agent, **kwargs)  # type: ignore[arg-type]
