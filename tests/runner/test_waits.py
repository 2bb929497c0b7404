"""Every wait over loopback: success, terminal failure, deadline, cancellation."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from runner_support import make_benchmark, make_scenario

from runloop_async import (
    AsyncRunloop,
    BenchmarkJobState,
    BenchmarkRunState,
    DevboxFailedError,
    RunCanceledError,
    ScenarioRunState,
    ScoringFailedError,
    UnexpectedStateError,
    WaitTimeoutError,
)

pytestmark = pytest.mark.anyio


async def cancelled_within(seconds: float, wait: Any) -> float:
    """Run ``wait`` under a scope cancelled after ``seconds``; return how long it took."""
    start = anyio.current_time()
    with anyio.move_on_after(seconds) as scope:
        await wait()
    assert scope.cancelled_caught
    return anyio.current_time() - start


# -- benchmark runs -------------------------------------------------------------------


async def test_benchmark_run_wait_success(client: AsyncRunloop) -> None:
    bench_id, _ = await make_benchmark(client, ["pytest"])
    brun = await client.benchmarks.start_run(benchmark_id=bench_id)

    async def complete_soon() -> None:
        await anyio.sleep(0.3)
        await client.benchmark_runs.complete(brun.id)

    async with anyio.create_task_group() as tg:
        tg.start_soon(complete_soon)
        done = await client.benchmark_runs.await_completed(brun.id, timeout=10)
    assert done.state == BenchmarkRunState.COMPLETED


async def test_benchmark_run_wait_canceled_raises_with_last_view(client: AsyncRunloop) -> None:
    bench_id, _ = await make_benchmark(client, ["pytest"])
    brun = await client.benchmarks.start_run(benchmark_id=bench_id)
    await client.benchmark_runs.cancel(brun.id)
    with pytest.raises(RunCanceledError) as info:
        await client.benchmark_runs.await_completed(brun.id)
    assert info.value.last.state == BenchmarkRunState.CANCELED


async def test_benchmark_run_wait_deadline_and_cancel(client: AsyncRunloop) -> None:
    bench_id, _ = await make_benchmark(client, ["pytest"])
    brun = await client.benchmarks.start_run(benchmark_id=bench_id)
    with pytest.raises(WaitTimeoutError) as info:
        await client.benchmark_runs.await_completed(brun.id, timeout=0.4)
    assert info.value.last.id == brun.id
    assert info.value.last.state == BenchmarkRunState.RUNNING
    took = await cancelled_within(0.3, lambda: client.benchmark_runs.await_completed(brun.id))
    assert took < 1.0


# -- benchmark jobs -------------------------------------------------------------------


async def new_job(client: AsyncRunloop) -> str:
    sid = await make_scenario(client, "job-s")
    job = await client.benchmark_jobs.create(
        name="job",
        spec={  # orchestrator_config: null spelled out (the emulator needs it today)
            "type": "scenarios",
            "scenario_ids": [sid],
            "agent_configs": [{"type": "job_agent", "name": "a"}],
            "orchestrator_config": None,
        },
    )
    return job.id


async def test_benchmark_job_wait_success(client: AsyncRunloop) -> None:
    job_id = await new_job(client)
    done = await client.benchmark_jobs.await_completed(job_id, timeout=10)
    assert done.state == BenchmarkJobState.COMPLETED


async def test_benchmark_job_wait_failure_deadline_cancel(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    job_id = await new_job(client)
    runloop_emulator.force_job_outcome(job_id, "failed")
    with pytest.raises(UnexpectedStateError) as info:
        await client.benchmark_jobs.await_completed(job_id, timeout=10)
    assert info.value.last.state == BenchmarkJobState.FAILED
    job_id = await new_job(client)
    with pytest.raises(WaitTimeoutError):
        await client.benchmark_jobs.await_completed(job_id, timeout=0.01)
    took = await cancelled_within(0.01, lambda: client.benchmark_jobs.await_completed(job_id))
    assert took < 1.0


# -- devboxes and scoring -------------------------------------------------------------


async def test_devbox_wait_success_failure_deadline_cancel(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    ok = await client.scenarios.start_run(scenario_id=await make_scenario(client, "ok"))
    assert (await client.devboxes.await_running(ok.devbox_id, timeout=10)).status == "running"
    runloop_emulator.force_devbox_outcome("bad", "failure")
    bad = await client.scenarios.start_run(scenario_id=await make_scenario(client, "bad"))
    with pytest.raises(DevboxFailedError) as info:
        await client.devboxes.await_running(bad.devbox_id, timeout=10)
    assert info.value.last.status == "failure"
    runloop_emulator.force_devbox_outcome("stuck", "stuck")
    stuck = await client.scenarios.start_run(scenario_id=await make_scenario(client, "stuck"))
    with pytest.raises(WaitTimeoutError):
        await client.devboxes.await_running(stuck.devbox_id, timeout=0.5)
    took = await cancelled_within(0.3, lambda: client.devboxes.await_running(stuck.devbox_id))
    assert took < 1.0


async def test_env_ready_helper_cancels_the_run_when_the_devbox_fails(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    runloop_emulator.force_devbox_outcome("stuck2", "stuck")
    sid = await make_scenario(client, "stuck2")
    with pytest.raises(WaitTimeoutError):
        await client.scenarios.start_run_and_await_env_ready(sid, timeout=0.3)
    runs = [r async for r in client.scenarios.runs.list(scenario_id=sid)]
    assert [r.state for r in runs] == [ScenarioRunState.CANCELED]


async def test_scoring_wait_success_failure_deadline_cancel(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    runs = client.scenarios.runs
    run = await client.scenarios.start_run(scenario_id=await make_scenario(client, "p", "PARTIAL"))
    assert (await runs.score_and_await(run.id, timeout=10)).score == 0.5
    runloop_emulator.force_scoring_outcome("t", "timeout")
    run = await client.scenarios.start_run(scenario_id=await make_scenario(client, "t"))
    with pytest.raises(ScoringFailedError) as info:
        await runs.score_and_await(run.id, timeout=10)
    assert info.value.last.state == ScenarioRunState.TIMEOUT
    runloop_emulator.force_scoring_outcome("st", "stuck")
    run = await client.scenarios.start_run(scenario_id=await make_scenario(client, "st"))
    with pytest.raises(WaitTimeoutError) as info2:
        await runs.score_and_await(run.id, timeout=0.5)
    assert info2.value.last.state == ScenarioRunState.SCORING
    took = await cancelled_within(0.3, lambda: runs.await_scored(run.id))
    assert took < 1.0
