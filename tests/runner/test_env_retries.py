"""A devbox that fails to start is an infrastructure flake: the scenario gets a new run."""

from __future__ import annotations

from typing import Any

import pytest
from runner_support import assert_nothing_running, make_benchmark

from runloop_async import (
    AgentContext,
    AsyncRunloop,
    BenchmarkRunner,
    EventKind,
    InvalidArgumentError,
    RunnerEvent,
    run_benchmark,
)

pytestmark = pytest.mark.anyio


async def ok_agent(ctx: AgentContext) -> None:
    assert ctx.devbox.status == "running"


def starts(emulator: Any, scenario_id: str) -> list[Any]:
    return [
        r
        for r in emulator.requests
        if r.route == "POST /v1/scenarios/start_run" and r.json["scenario_id"] == scenario_id
    ]


async def test_a_devbox_failing_once_is_retried_and_the_scenario_passes(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    runloop_emulator.configure(devbox_boot_delay=0.3)
    bench_id, ids = await make_benchmark(client, ["pytest", "pytest"])
    kinds: list[str] = []
    broken: list[str] = []

    def on_event(event: RunnerEvent) -> None:
        if event.scenario_name == "s1":
            kinds.append(event.kind)
            if event.kind == EventKind.STARTED and not broken and event.devbox_id:
                broken.append(event.devbox_id)  # only the first run's devbox fails
                runloop_emulator.force_devbox_outcome(event.devbox_id, "failure")

    result = await run_benchmark(client, ok_agent, benchmark_id=bench_id, on_event=on_event)
    rows = {r.scenario_name: r for r in result.rows}
    assert (rows["s1"].outcome, rows["s1"].attempts) == ("passed", 2)
    assert (rows["s0"].outcome, rows["s0"].attempts) == ("passed", 1)
    assert kinds.count(EventKind.RETRYING) == 1
    assert EventKind.FAILED not in kinds
    assert len(starts(runloop_emulator, ids[1])) == 2
    assert result.totals.passed == 2
    await assert_nothing_running(client)


async def test_a_devbox_that_never_starts_ends_errored_after_the_retries(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    bench_id, ids = await make_benchmark(client, ["pytest"])
    runloop_emulator.force_devbox_outcome("s0", "failure")
    runner = BenchmarkRunner(client, ok_agent, benchmark_id=bench_id, env_retries=2)
    result = await runner.run()
    (row,) = result.rows
    assert (row.outcome, row.phase, row.error_type, row.attempts) == (
        "errored", "env", "DevboxFailedError", 3,
    )  # fmt: skip
    assert len(starts(runloop_emulator, ids[0])) == 3
    assert (runner.progress.errored, runner.progress.in_flight) == (1, 0)
    await assert_nothing_running(client)


async def test_no_retry_when_env_retries_is_zero_or_the_agent_failed(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    bench_id, ids = await make_benchmark(client, ["pytest", "pytest"])
    runloop_emulator.force_devbox_outcome("s0", "failure")

    async def agent(ctx: AgentContext) -> None:
        if ctx.scenario.name == "s1":
            raise RuntimeError("not an infrastructure problem")

    result = await run_benchmark(client, agent, benchmark_id=bench_id, env_retries=0)
    assert [r.attempts for r in result.rows] == [1, 1]
    assert [len(starts(runloop_emulator, sid)) for sid in ids] == [1, 1]
    result = await run_benchmark(client, agent, scenario_ids=[ids[1]])  # default: 1 retry
    assert result.rows[0].attempts == 1  # an agent error is never retried


@pytest.mark.parametrize("bad", [-1, True, 1.5])
async def test_env_retries_is_validated(client: AsyncRunloop, bad: Any) -> None:
    with pytest.raises(InvalidArgumentError, match="env_retries"):
        BenchmarkRunner(client, ok_agent, scenario_ids=["scn_1"], env_retries=bad)
