"""After the scenarios: sweep, reconcile with the server, complete the benchmark run.

* **Sweep**: read the scenario runs on the server (the benchmark run's listing, or
  each run this runner started) and end every run this runner started that is
  still live, whatever path left it so (a lost answer, a cancelled request).
* **Reconcile**: a row that says errored while the server holds its run
  ``completed`` with a score is corrected (the server is the truth).
* **Complete**: the benchmark run is completed only when every attempt of every
  scenario of the *benchmark* (every shard's) has a finished run on the server;
  whichever runner sees that first completes it, and "already completed" counts as
  success.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import anyio
import attrs

from .._eval._rows import attempt_tag
from .._exceptions import BadRequestError, RunloopError
from .._models import BenchmarkRunState, BenchmarkRunView, ScenarioRunState, ScenarioRunView
from ._attempts import Unit, planned_attempts, slot_runs
from ._results import ScenarioResult
from ._setup import list_benchmark_runs

if TYPE_CHECKING:
    from ._runner import BenchmarkRunner

__all__ = [
    "Ending",
    "finish",
    "reconcile",
    "sweep",
    "unfinished_scenarios",
    "complete_benchmark_run",
]

log = logging.getLogger("runloop_async.runner")
_LIVE = frozenset({ScenarioRunState.RUNNING, ScenarioRunState.SCORING, ScenarioRunState.SCORED})


def unfinished_scenarios(
    scenario_ids: Iterable[str],
    runs: Iterable[ScenarioRunView],
    *,
    ended_is_enough: bool,
    attempts: int = 1,
) -> list[str]:
    """The scenarios with an attempt (of ``attempts``) without a finished run (pure).

    Finished is ``completed`` with a score. With ``ended_is_enough`` an attempt
    whose runs all ended (canceled, failed) also counts, unless one is still live.
    Runs are assigned to attempts as for resume (:func:`slot_runs`).
    """
    by_scenario: dict[str, list[ScenarioRunView]] = {}
    for run in runs:
        by_scenario.setdefault(run.scenario_id, []).append(run)
    left = []
    for sid in dict.fromkeys(scenario_ids):
        mine = by_scenario.get(sid, [])
        slots: Iterable[list[ScenarioRunView]]
        if attempts == 1 and len(mine) == 1:
            # One attempt, one run (every scenario of a plain run): what slot_runs
            # decides for it, without sorting and slotting a thousand times.
            tag = attempt_tag(mine[0])
            fits = tag == 1 if tag is not None else mine[0].state in ScenarioRunState.ALL
            slots = (mine if fits else [],)
        else:
            slots = slot_runs(mine, attempts).slots.values()
        if not all(_finished(runs, ended_is_enough) for runs in slots):
            left.append(sid)
    return left


def _finished(runs: list[ScenarioRunView], ended_is_enough: bool) -> bool:
    if any(r.state == ScenarioRunState.COMPLETED and r.score is not None for r in runs):
        return True
    ended = bool(runs) and all(r.state in ScenarioRunState.TERMINAL for r in runs)
    return ended_is_enough and ended


def reconcile(
    rows: Mapping[Unit, ScenarioResult], runs: Iterable[ScenarioRunView]
) -> dict[Unit, ScenarioResult]:
    """Rows corrected by the server's view of their runs (pure).

    A row whose run the server holds ``completed`` with a score loses its error;
    any row gets the server's state for its run.
    """
    by_id = {run.id: run for run in runs}
    fixed: dict[Unit, ScenarioResult] = {}
    for unit, row in rows.items():
        run = by_id.get(row.run_id or "")
        if run is None or row.resumed:
            fixed[unit] = row
        elif run.state == ScenarioRunState.COMPLETED and run.score is not None:
            if _agrees(row, run):
                fixed[unit] = row  # nothing to correct (its last view: the same run, ended)
            else:
                fixed[unit] = attrs.evolve(row, state=run.state, score=run.score, error=None,
                                           error_type=None, phase=None, last_view=run)  # fmt: skip
        elif row.state == run.state:
            fixed[unit] = row
        else:
            fixed[unit] = attrs.evolve(row, state=run.state)
    return fixed


def _agrees(row: ScenarioResult, run: ScenarioRunView) -> bool:
    # A row that already says what the server holds (most of them): no new row.
    return (
        row.state == run.state and row.score == run.score
        and row.error is None and row.error_type is None and row.phase is None
    )  # fmt: skip


async def sweep(
    runner: BenchmarkRunner, started: Sequence[str], *, keep: Iterable[str] = ()
) -> list[ScenarioRunView]:
    """End every live run this runner started; return the runs as the server has them.

    ``started`` are the run ids this runner knows it started (read one by one when
    there is no benchmark run); runs in ``keep`` (kept for debugging) are left up.
    Shielded: it also runs on the way out of a cancellation. When an end's answer
    was lost, the runs are read once more (the server may have acted). Failures are
    logged, and what could be read is returned.
    """
    with anyio.CancelScope(shield=True):
        runs = await _read_runs(runner, started)
        ended: dict[str, ScenarioRunView | None] = {}

        async def end(run: ScenarioRunView) -> None:
            async with runner.cleanup_limiter:
                ended[run.id] = await runner.end_run(run)

        kept = set(keep)
        async with anyio.create_task_group() as tg:
            for run in runs:
                if run.state in _LIVE and runner.drives(run) and run.id not in kept:
                    tg.start_soon(end, run)
        if None in ended.values():
            runs = await _read_runs(runner, started) or runs
    return [ended.get(run.id) or run for run in runs]


async def _read_runs(runner: BenchmarkRunner, started: Sequence[str]) -> list[ScenarioRunView]:
    try:
        with anyio.fail_after(runner.options.cleanup_timeout):
            return await _server_runs(runner, started)
    except (RunloopError, TimeoutError) as exc:
        log.warning("could not read the scenario runs: %r", exc)
        return []


async def _server_runs(runner: BenchmarkRunner, started: Sequence[str]) -> list[ScenarioRunView]:
    if runner.benchmark_run_id is not None:
        return await list_benchmark_runs(runner, runner.benchmark_run_id)
    runs = runner.client.scenarios.runs
    found: list[ScenarioRunView] = []
    for run_id in started:
        found.append(await runner.persist(functools.partial(runs.retrieve, run_id), "read a run"))
    return found


@attrs.frozen(kw_only=True)
class Ending:
    """What :func:`finish` found: the rows as reconciled, and the benchmark run's end."""

    rows: dict[Unit, ScenarioResult]
    benchmark_run: BenchmarkRunView | None = None
    unfinished: list[str] | None = None
    incomplete: str | None = None


async def finish(
    runner: BenchmarkRunner, rows: dict[Unit, ScenarioResult], started: Sequence[str]
) -> Ending:
    """Sweep, reconcile, and complete the benchmark run when every attempt of every
    scenario is finished (as many attempts as any runner planned: another shard's
    or a resume's may be more than this runner's)."""
    keeping = runner.options.keep_devboxes
    keep = [r.run_id for r in rows.values() if keeping and r.error and r.run_id]
    runs = await sweep(runner, started, keep=keep)
    rows = reconcile(rows, runs)
    brid = runner.benchmark_run_id
    if brid is None:
        return Ending(rows=rows)
    opts = runner.options
    unfinished = None
    if runner.all_scenario_ids is not None and runs:
        unfinished = unfinished_scenarios(
            runner.all_scenario_ids, runs, ended_is_enough=opts.complete_benchmark_run is True,
            attempts=max(runner.attempts, planned_attempts(runs)),
        )  # fmt: skip
    if unfinished != [] or runner.stopped is not None or opts.complete_benchmark_run is False:
        view = await _read_benchmark_run(runner, brid)
        return Ending(rows=rows, benchmark_run=view, unfinished=unfinished)
    view = await complete_benchmark_run(runner, brid)
    state = None if view is None else view.state
    incomplete = None
    if state != BenchmarkRunState.COMPLETED:
        incomplete = f"completing benchmark run {brid} failed (it is {state or 'unknown'})"
    return Ending(rows=rows, benchmark_run=view, unfinished=unfinished, incomplete=incomplete)


async def complete_benchmark_run(runner: BenchmarkRunner, brid: str) -> BenchmarkRunView | None:
    """Complete it (retried through outages); "already completed" is success.

    Never raises: a failure is logged and the last view (or ``None``) returned.
    """
    key = f"runloop-async-complete-{brid}"
    brs = runner.client.benchmark_runs
    try:
        return await runner.persist(
            lambda: brs.complete(brid, idempotency_key=key), "complete the benchmark run"
        )
    except BadRequestError:
        view = await _read_benchmark_run(runner, brid)
        if view is None or view.state != BenchmarkRunState.COMPLETED:
            log.warning("benchmark run %s could not be completed: it is %s", brid,
                        None if view is None else view.state)  # fmt: skip
        return view
    except RunloopError as exc:
        log.warning("could not complete benchmark run %s: %s", brid, exc)
        return await _read_benchmark_run(runner, brid)


async def _read_benchmark_run(runner: BenchmarkRunner, brid: str) -> BenchmarkRunView | None:
    try:
        return await runner.persist(
            lambda: runner.client.benchmark_runs.retrieve(brid), "read the benchmark run",
            timeout=runner.options.cleanup_timeout,
        )  # fmt: skip
    except RunloopError as exc:
        log.warning("could not read benchmark run %s: %s", brid, exc)
        return None
