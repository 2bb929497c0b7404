"""Pure selection: which scenarios this process runs (shard) and which are done (resume).

Sharding sorts the unique scenario ids and takes every ``count``-th one starting at
``index``. Every shard computes the same split from the same id list, wherever and
whenever it runs, so N processes started by any job system cover a benchmark exactly
once, and the shards' sizes differ by at most one. With attempts, a scenario's
attempts all go to its shard.

Resume reads the scenario runs already in the benchmark run, per attempt of each
scenario (see ``_attempts``): an attempt with a ``scored`` or ``completed`` run is
done and is not run again; a run left ``running`` or ``scoring`` by a process that
died is adopted (its devbox is still up: the agent runs on it and it is scored), so
no extra run joins the benchmark run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import attrs

from .._exceptions import InvalidArgumentError
from .._models import ScenarioRunState, ScenarioRunView
from ._attempts import (
    DONE_STATES,
    LIVE_STATES,
    Unit,
    adopt_rank,
    done_rank,
    planned_attempts,
    slot_runs,
    units_of,
)

__all__ = [
    "ResumePlan",
    "Shard",
    "Unit",
    "parse_shard",
    "plan_resume",
    "select_shard",
    "check_shard",
]

Shard = tuple[int, int]
"""``(index, count)``: this process is shard ``index`` (0-based) of ``count``."""


def check_shard(shard: Shard | None) -> Shard | None:
    """Validate ``(index, count)``; ``None`` (no sharding) passes through.

    Raises:
        InvalidArgumentError: count < 1 or index outside ``0..count-1``.
    """
    if shard is None:
        return None
    try:
        index, count = shard
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"shard must be (index, count), got {shard!r}") from None
    if not (isinstance(index, int) and isinstance(count, int)) or count < 1:
        raise InvalidArgumentError(f"shard count must be a positive int, got {shard!r}")
    if not 0 <= index < count:
        raise InvalidArgumentError(f"shard index must be in 0..{count - 1}, got {index}")
    return (index, count)


def parse_shard(text: str) -> Shard:
    """Parse ``"I/N"`` (as the CLI takes it) into ``(I, N)``.

    Raises:
        InvalidArgumentError: not two integers separated by ``/``, or out of range.
    """
    index, sep, count = text.partition("/")
    if not sep or not index.strip().isdigit() or not count.strip().isdigit():
        raise InvalidArgumentError(f"shard must look like INDEX/COUNT (e.g. 0/4), got {text!r}")
    shard = check_shard((int(index), int(count)))
    assert shard is not None
    return shard


def select_shard(scenario_ids: Iterable[str], shard: Shard | None) -> list[str]:
    """The ids this shard runs, in the caller's order, without duplicates.

    Shard ``i`` of ``n`` gets the ids at positions ``i, i+n, i+2n, ...`` of the sorted
    unique ids. With ``shard=None`` every id is selected.

    Raises:
        InvalidArgumentError: a malformed shard (see :func:`check_shard`).
    """
    unique = list(dict.fromkeys(scenario_ids))
    checked = check_shard(shard)
    if checked is None or checked[1] == 1:
        return unique
    index, count = checked
    mine = {sid for pos, sid in enumerate(sorted(unique)) if pos % count == index}
    return [sid for sid in unique if sid in mine]


@attrs.frozen(kw_only=True)
class ResumePlan:
    """What resume found in a benchmark run, for the selected scenarios' attempts.

    Every entry is per unit, ``(scenario_id, attempt)`` (see :data:`Unit`).

    Attributes:
        todo: Units that need a new scenario run, attempt-major (attempt 1 of every
            scenario first).
        done: Unit -> its best finished run (``scored`` or ``completed``).
        to_complete: Runs found ``scored`` (scoring ended, devbox still up) and not
            held by another live runner: the runner completes them.
        adopt: Unit -> a live run (``running``/``scoring``) left by a runner that is
            gone: the runner takes it over (waits for its devbox, runs the agent on
            it, scores it) instead of starting another run, so the benchmark run
            gets no extra run.
        orphans: Live runs not worth keeping (their attempt is done, or another run
            of it is adopted): the runner cancels them.
        held: Live runs held by another live runner (see
            :func:`~runloop_async._runner._owner.owner_is_live`); the runner refuses
            to start unless it takes over.
        runs_seen: Unit -> how many runs it already has in the benchmark run
            (names the next run's idempotency key).
        attempts: Attempts per scenario: the ones asked for, or more when the
            benchmark run's runs were planned with more.
    """

    todo: list[Unit]
    done: dict[Unit, ScenarioRunView]
    to_complete: list[ScenarioRunView]
    orphans: list[ScenarioRunView]
    adopt: dict[Unit, ScenarioRunView] = attrs.Factory(dict)
    held: list[ScenarioRunView] = attrs.Factory(list)
    runs_seen: dict[Unit, int] = attrs.Factory(dict)
    attempts: int = 1


def plan_resume(
    selected: Sequence[str],
    existing: Iterable[ScenarioRunView],
    *,
    attempts: int = 1,
    is_held: Callable[[ScenarioRunView], bool] = lambda run: False,
) -> ResumePlan:
    """Split the selected scenarios' attempts into done, to adopt and to do.

    Every scenario is run ``attempts`` times, or as many times as any run found was
    planned with (a resume, or another shard, asked for more). Runs are assigned
    to attempts by their metadata (see :func:`slot_runs`). An attempt is done when
    any of its runs is ``scored`` or ``completed`` (a completed run with a score is
    preferred). An attempt not done with live runs gets its most advanced one
    adopted; other live runs are canceled. Runs for which ``is_held(run)`` is true
    (another live runner's) are left alone and listed in ``held``. Runs of other
    scenarios (another shard's) are ignored.

    Raises:
        Nothing of its own: it is a pure function of its arguments.
    """
    found = list(existing)
    k = max(attempts, planned_attempts(found))
    wanted = set(selected)
    mine: dict[str, list[ScenarioRunView]] = {}
    for run in found:
        if run.scenario_id in wanted:
            mine.setdefault(run.scenario_id, []).append(run)
    slots = {sid: slot_runs(runs, k) for sid, runs in mine.items()}
    plan = ResumePlan(todo=[], done={}, to_complete=[], orphans=[], attempts=k)
    for sid, found_slots in slots.items():
        for n, runs in found_slots.slots.items():
            if runs:
                plan.runs_seen[(sid, n)] = len(runs)
    for sid, n in units_of(selected, k):
        runs = slots[sid].slots[n] if sid in slots else []
        _plan_unit(plan, (sid, n), runs, is_held)
    for extra in (a.extra for a in slots.values()):
        _plan_extra(plan, extra, is_held)
    return plan


def _plan_unit(
    plan: ResumePlan,
    unit: Unit,
    runs: list[ScenarioRunView],
    is_held: Callable[[ScenarioRunView], bool],
) -> None:
    held = [run for run in runs if run.state not in ScenarioRunState.TERMINAL and is_held(run)]
    plan.held.extend(held)
    free = [run for run in runs if run not in held]
    finished = [run for run in free if run.state in DONE_STATES]
    plan.to_complete.extend(run for run in free if run.state == ScenarioRunState.SCORED)
    live = sorted((r for r in free if r.state in LIVE_STATES), key=adopt_rank, reverse=True)
    if finished:
        plan.done[unit] = max(finished, key=done_rank)
        plan.orphans.extend(live)
    elif live:
        plan.adopt[unit] = live[0]
        plan.orphans.extend(live[1:])
    elif not held:
        plan.todo.append(unit)


def _plan_extra(
    plan: ResumePlan, runs: list[ScenarioRunView], is_held: Callable[[ScenarioRunView], bool]
) -> None:
    # Runs of no attempt: ended as any other (a scored one's score stands).
    for run in runs:
        if run.state not in ScenarioRunState.TERMINAL and is_held(run):
            plan.held.append(run)
        elif run.state == ScenarioRunState.SCORED:
            plan.to_complete.append(run)
        elif run.state in LIVE_STATES:
            plan.orphans.append(run)
