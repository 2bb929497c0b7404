"""The attempts in flight: resumed ones settled, the rest fanned out under the gate.

Each unit (one attempt at one scenario) is a task of its own; attempts of one
scenario may run at the same time, all under the one ``concurrency`` limit.

A watchdog stops the fan-out when the gate reports an outage (the API failed for
``outage_timeout`` without a success): the scenario tasks are cancelled (each ends
its run) and every unfinished scenario gets a ``RunnerStopped`` row.
"""

from __future__ import annotations

import asyncio
import functools
from typing import TYPE_CHECKING

import anyio
import attrs

from .._models import ScenarioRunView
from ._attempts import Unit
from ._events import EventKind
from ._flock import Flock
from ._results import ScenarioResult, outcome_of
from ._scenario import ScenarioTask
from ._shard import ResumePlan

if TYPE_CHECKING:
    from ._runner import BenchmarkRunner

__all__ = ["fan_out", "settle_resumed"]


async def settle_resumed(runner: BenchmarkRunner, plan: ResumePlan) -> dict[Unit, ScenarioResult]:
    """Complete the scored runs found, cancel the unwanted live ones, and report the
    attempts already done as ``resumed`` rows."""
    finished: dict[Unit, ScenarioRunView] = dict(plan.done)
    unit_of = {run.id: unit for unit, run in finished.items()}

    async def settle(run: ScenarioRunView) -> None:
        async with runner.cleanup_limiter:
            view = await runner.end_run(run, failed=False)
        unit = unit_of.get(run.id)
        if unit is not None and view is not None:
            finished[unit] = attrs.evolve(run, state=view.state)

    async with anyio.create_task_group() as tg:
        for run in [*plan.orphans, *plan.to_complete]:
            tg.start_soon(settle, run)
    rows = {}
    for (sid, n), run in finished.items():
        name = runner.views[sid].name if sid in runner.views else None
        rows[(sid, n)] = ScenarioResult(
            scenario_id=sid, scenario_name=name, run_id=run.id, devbox_id=run.devbox_id,
            state=run.state, score=run.score, resumed=True, attempts=0, attempt=n,
            last_view=run,
        )  # fmt: skip
        await runner.emit(
            EventKind.SKIPPED, scenario_id=sid, scenario_name=name, attempt=n, run_id=run.id,
            state=run.state, score=run.score, outcome=outcome_of(run.state, run.score, None),
        )  # fmt: skip
    return rows


async def fan_out(runner: BenchmarkRunner, plan: ResumePlan) -> dict[Unit, ScenarioResult]:
    """Drive the adopted and the to-do units, ``concurrency`` at a time.

    Adopted runs go first (their devboxes are up), then the to-do units in the plan's
    order, attempt-major: each starts when a slot frees, in that order.
    """
    rows: dict[Unit, ScenarioResult] = {}
    tasks: dict[Unit, ScenarioTask] = {}
    # A unit's task is created when a slot frees, not all of them up front: thousands
    # of pending tasks (and their coroutines) would only give the garbage collector
    # more to walk. Each unit still runs in a task of its own (its own context).
    # (asyncio's semaphore: a free slot is taken without a checkpoint and its scope.)
    slots = asyncio.Semaphore(runner.options.concurrency)
    units: list[tuple[Unit, ScenarioRunView | None]] = [
        *plan.adopt.items(), *((unit, None) for unit in plan.todo)
    ]  # fmt: skip

    async def one(unit: Unit, adopted: ScenarioRunView | None, scope: anyio.CancelScope) -> None:
        try:
            with scope:
                await _with_env_retries(runner, unit, adopted, rows, tasks)
        finally:
            slots.release()

    with anyio.CancelScope() as scope:
        async with anyio.create_task_group() as tg:
            ended = anyio.Event()
            tg.start_soon(_watch_outage, runner, scope, ended)
            # Plain tasks, each cancelled only through its own anyio scope (_flock.py).
            async with Flock() as scenarios:
                for unit, run in units:
                    await slots.acquire()
                    scenarios.spawn(functools.partial(one, unit, run))
            ended.set()  # the watchdog returns (see _watch_outage)
    if scope.cancelled_caught:
        reason = runner.stopped or "stopped"
        for unit, _ in units:
            if unit not in rows:
                task = tasks.get(unit) or ScenarioTask(runner, unit[0], attempt=unit[1])
                rows[unit] = task.stopped_row(reason)
                await task.emit(EventKind.FAILED, error=rows[unit].error, phase=task.phase,
                                outcome="errored")  # fmt: skip
    return rows


async def _with_env_retries(
    runner: BenchmarkRunner,
    unit: Unit,
    adopted: ScenarioRunView | None,
    rows: dict[Unit, ScenarioResult],
    tasks: dict[Unit, ScenarioTask],
) -> None:
    # An adopted run is try 0: a devbox found dead gets a new run whatever
    # env_retries says. A devbox that fails to start is retried with a new run;
    # the task emits ``retrying`` instead of ``failed`` while tries remain.
    retries = runner.options.env_retries
    first = 0 if adopted is not None else 1
    if adopted is not None:
        runner.adopted_runs.add(adopted.id)
    sid, attempt = unit
    for env_try in range(first, retries + 2):
        run = adopted if env_try == 0 else None
        task = ScenarioTask(runner, sid, run=run, attempt=attempt, env_try=env_try,
                            final=env_try > retries)  # fmt: skip
        tasks[unit] = task
        rows[unit] = await task()
        if not task.retry_env:
            break
    # Its row is final: only the unfinished units' tasks are needed (for stopped rows),
    # and every finished one kept to the end would be walked by each full collection.
    del tasks[unit]


async def _watch_outage(
    runner: BenchmarkRunner, scope: anyio.CancelScope, ended: anyio.Event
) -> None:
    # Ended by ``ended``, not cancelled: a cancelled watchdog's CancelledError, kept
    # by anyio's task-done frame, held this frame and so the whole runner (rows,
    # tasks, gate, events) in a cycle only a garbage collection would free.
    limit = runner.options.outage_timeout
    while not ended.is_set():
        with anyio.move_on_after(min(1.0, limit / 10)):
            await ended.wait()
        if not ended.is_set() and runner.gate.outage(limit):
            runner.stopped = (
                f"the API failed for {limit:g} s without a success (outage_timeout); "
                "every run was canceled and the benchmark run left running, to resume"
            )
            scope.cancel()
            return
