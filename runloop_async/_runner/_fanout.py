"""The scenarios in flight: resumed ones settled, the rest fanned out under the gate.

A watchdog stops the fan-out when the gate reports an outage (the API failed for
``outage_timeout`` without a success): the scenario tasks are cancelled (each ends
its run) and every unfinished scenario gets a ``RunnerStopped`` row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import anyio
import attrs

from .._models import ScenarioRunView
from ._events import EventKind
from ._results import ScenarioResult, outcome_of
from ._scenario import ScenarioTask
from ._shard import ResumePlan

if TYPE_CHECKING:
    from ._runner import BenchmarkRunner

__all__ = ["fan_out", "settle_resumed"]


async def settle_resumed(runner: BenchmarkRunner, plan: ResumePlan) -> dict[str, ScenarioResult]:
    """Complete the scored runs found, cancel the unwanted live ones, and report the
    scenarios already done as ``resumed`` rows."""
    finished: dict[str, ScenarioRunView] = dict(plan.done)

    async def settle(run: ScenarioRunView) -> None:
        async with runner.cleanup_limiter:
            view = await runner.end_run(run, failed=False)
        best = finished.get(run.scenario_id)
        if best is not None and best.id == run.id and view is not None:
            finished[run.scenario_id] = attrs.evolve(run, state=view.state)

    async with anyio.create_task_group() as tg:
        for run in [*plan.orphans, *plan.to_complete]:
            tg.start_soon(settle, run)
    rows = {}
    for sid, run in finished.items():
        name = runner.views[sid].name if sid in runner.views else None
        rows[sid] = ScenarioResult(
            scenario_id=sid, scenario_name=name, run_id=run.id, devbox_id=run.devbox_id,
            state=run.state, score=run.score, resumed=True, attempts=0, last_view=run,
        )  # fmt: skip
        await runner.emit(
            EventKind.SKIPPED, scenario_id=sid, scenario_name=name, run_id=run.id,
            state=run.state, score=run.score, outcome=outcome_of(run.state, run.score, None),
        )  # fmt: skip
    return rows


async def fan_out(runner: BenchmarkRunner, plan: ResumePlan) -> dict[str, ScenarioResult]:
    """Drive the adopted and the to-do scenarios, ``concurrency`` at a time."""
    rows: dict[str, ScenarioResult] = {}
    tasks: dict[str, ScenarioTask] = {}
    limiter = anyio.CapacityLimiter(runner.options.concurrency)

    async def one(scenario_id: str, adopted: ScenarioRunView | None) -> None:
        async with limiter:
            await _attempts(runner, scenario_id, adopted, rows, tasks)

    with anyio.CancelScope() as scope:
        async with anyio.create_task_group() as tg:
            tg.start_soon(_watch_outage, runner, scope)
            async with anyio.create_task_group() as scenarios:
                for sid, run in plan.adopt.items():
                    scenarios.start_soon(one, sid, run)
                for sid in plan.todo:
                    scenarios.start_soon(one, sid, None)
            tg.cancel_scope.cancel()  # the watchdog
    if scope.cancelled_caught:
        reason = runner.stopped or "stopped"
        for sid in [*plan.adopt, *plan.todo]:
            if sid not in rows:
                task = tasks.get(sid) or ScenarioTask(runner, sid)
                rows[sid] = task.stopped_row(reason)
                await task.emit(EventKind.FAILED, error=rows[sid].error, phase=task.phase,
                                outcome="errored")  # fmt: skip
    return rows


async def _attempts(
    runner: BenchmarkRunner,
    scenario_id: str,
    adopted: ScenarioRunView | None,
    rows: dict[str, ScenarioResult],
    tasks: dict[str, ScenarioTask],
) -> None:
    # An adopted run is attempt 0: a devbox found dead gets a new run whatever
    # env_retries says. A devbox that fails to start is retried with a new run;
    # the task emits ``retrying`` instead of ``failed`` while attempts remain.
    retries = runner.options.env_retries
    first = 0 if adopted is not None else 1
    if adopted is not None:
        runner.adopted_runs.add(adopted.id)
    for attempt in range(first, retries + 2):
        run = adopted if attempt == 0 else None
        task = ScenarioTask(runner, scenario_id, run=run, attempt=attempt, final=attempt > retries)
        tasks[scenario_id] = task
        rows[scenario_id] = await task()
        if not task.retry_env:
            break


async def _watch_outage(runner: BenchmarkRunner, scope: anyio.CancelScope) -> None:
    limit = runner.options.outage_timeout
    while True:
        await anyio.sleep(min(1.0, limit / 10))
        if runner.gate.outage(limit):
            runner.stopped = (
                f"the API failed for {limit:g} s without a success (outage_timeout); "
                "every run was canceled and the benchmark run left running, to resume"
            )
            scope.cancel()
            return
