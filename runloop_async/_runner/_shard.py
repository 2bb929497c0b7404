"""Pure selection: which scenarios this process runs (shard) and which are done (resume).

Sharding sorts the unique scenario ids and takes every ``count``-th one starting at
``index``. Every shard computes the same split from the same id list, wherever and
whenever it runs, so N processes started by any job system cover a benchmark exactly
once, and the shards' sizes differ by at most one.

Resume reads the scenario runs already in the benchmark run: a scenario with a
``scored`` or ``completed`` run is done and is not run again; a run left ``running``
or ``scoring`` by a process that died is adopted (its devbox is still up: the agent
runs on it and it is scored), so no extra run joins the benchmark run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import attrs

from .._exceptions import InvalidArgumentError
from .._models import ScenarioRunState, ScenarioRunView

__all__ = ["ResumePlan", "Shard", "parse_shard", "plan_resume", "select_shard"]

Shard = tuple[int, int]
"""``(index, count)``: this process is shard ``index`` (0-based) of ``count``."""

#: Run states that mean "this scenario is done" for resume.
DONE_STATES = frozenset({ScenarioRunState.SCORED, ScenarioRunState.COMPLETED})
#: Run states of a run that still holds a devbox.
LIVE_STATES = frozenset({ScenarioRunState.RUNNING, ScenarioRunState.SCORING})


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
    """What resume found in a benchmark run, for the selected scenarios.

    Attributes:
        todo: Scenario ids that need a new scenario run, in order.
        done: Scenario id -> its best finished run (``scored`` or ``completed``).
        to_complete: Runs found ``scored`` (scoring ended, devbox still up) and not
            held by another live runner: the runner completes them.
        adopt: Scenario id -> a live run (``running``/``scoring``) left by a runner
            that is gone: the runner takes it over (waits for its devbox, runs the
            agent on it, scores it) instead of starting another run, so the
            benchmark run gets no extra run.
        orphans: Live runs not worth keeping (their scenario is done, or another
            run of it is adopted): the runner cancels them.
        held: Live runs held by another live runner (see
            :func:`~runloop_async._runner._owner.owner_is_live`); the runner refuses
            to start unless it takes over.
        runs_seen: Scenario id -> how many runs it already has in the benchmark run
            (names the next run's idempotency key).
    """

    todo: list[str]
    done: dict[str, ScenarioRunView]
    to_complete: list[ScenarioRunView]
    orphans: list[ScenarioRunView]
    adopt: dict[str, ScenarioRunView] = attrs.Factory(dict)
    held: list[ScenarioRunView] = attrs.Factory(list)
    runs_seen: dict[str, int] = attrs.Factory(dict)


def _rank(run: ScenarioRunView) -> int:
    if run.state == ScenarioRunState.COMPLETED:
        return 2 if run.score is not None else 1
    return 1 if run.state == ScenarioRunState.SCORED else 0


def _adopt_rank(run: ScenarioRunView) -> tuple[int, int]:
    # A run already scoring is further along; then the newest.
    return (int(run.state == ScenarioRunState.SCORING), run.start_time_ms or 0)


def plan_resume(
    selected: Sequence[str],
    existing: Iterable[ScenarioRunView],
    *,
    is_held: Callable[[ScenarioRunView], bool] = lambda run: False,
) -> ResumePlan:
    """Split ``selected`` scenario ids into done, to adopt and to do, given the runs found.

    A scenario is done when any of its runs is ``scored`` or ``completed`` (a
    completed run with a score is preferred). A scenario not done with live runs
    gets its most advanced one adopted; other live runs are canceled. Runs for
    which ``is_held(run)`` is true (another live runner's) are left alone and
    listed in ``held``. Runs of other scenarios (another shard's) are ignored.

    Raises:
        Nothing of its own: it is a pure function of its arguments.
    """
    wanted = set(selected)
    mine: dict[str, list[ScenarioRunView]] = {}
    for run in existing:
        if run.scenario_id in wanted:
            mine.setdefault(run.scenario_id, []).append(run)
    plan = ResumePlan(todo=[], done={}, to_complete=[], orphans=[],
                      runs_seen={sid: len(runs) for sid, runs in mine.items()})  # fmt: skip
    for sid in dict.fromkeys(selected):
        _plan_one(plan, sid, mine.get(sid, []), is_held)
    return plan


def _plan_one(
    plan: ResumePlan,
    sid: str,
    runs: list[ScenarioRunView],
    is_held: Callable[[ScenarioRunView], bool],
) -> None:
    held = [run for run in runs if run.state not in ScenarioRunState.TERMINAL and is_held(run)]
    plan.held.extend(held)
    free = [run for run in runs if run not in held]
    finished = [run for run in free if run.state in DONE_STATES]
    plan.to_complete.extend(run for run in free if run.state == ScenarioRunState.SCORED)
    live = sorted((r for r in free if r.state in LIVE_STATES), key=_adopt_rank, reverse=True)
    if finished:
        plan.done[sid] = max(finished, key=_rank)
        plan.orphans.extend(live)
    elif live:
        plan.adopt[sid] = live[0]
        plan.orphans.extend(live[1:])
    elif not held:
        plan.todo.append(sid)
