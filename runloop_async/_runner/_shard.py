"""Pure selection: which scenarios this process runs (shard) and which are done (resume).

Sharding sorts the unique scenario ids and takes every ``count``-th one starting at
``index``. Every shard computes the same split from the same id list, wherever and
whenever it runs, so N processes started by any job system cover a benchmark exactly
once, and the shards' sizes differ by at most one.

Resume reads the scenario runs already in the benchmark run: a scenario with a
``scored`` or ``completed`` run is done and is not run again; a run left ``running``
or ``scoring`` by a process that died is an orphan (its devbox is still up), and is
canceled before its scenario is run again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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
        todo: Scenario ids still to run, in order.
        done: Scenario id -> its best finished run (``scored`` or ``completed``).
        to_complete: Runs of the selected scenarios found ``scored`` (scoring ended,
            devbox still up): the runner completes them.
        orphans: Runs of the selected scenarios found ``running``/``scoring``, left
            by a process that died: the runner cancels them (their devboxes are
            still up) before running any scenario again.
    """

    todo: list[str]
    done: dict[str, ScenarioRunView]
    to_complete: list[ScenarioRunView]
    orphans: list[ScenarioRunView]


def _rank(run: ScenarioRunView) -> int:
    if run.state == ScenarioRunState.COMPLETED:
        return 2 if run.score is not None else 1
    return 1 if run.state == ScenarioRunState.SCORED else 0


def plan_resume(selected: Sequence[str], existing: Iterable[ScenarioRunView]) -> ResumePlan:
    """Split ``selected`` scenario ids into done and to-do, given the runs found.

    A scenario is done when any of its runs is ``scored`` or ``completed`` (a
    completed run with a score is preferred). Runs of other scenarios (another
    shard's) are ignored entirely.

    Raises:
        Nothing of its own: it is a pure function of its arguments.
    """
    wanted = set(selected)
    best: dict[str, ScenarioRunView] = {}
    live: list[ScenarioRunView] = []
    scored: list[ScenarioRunView] = []
    for run in existing:
        if run.scenario_id not in wanted:
            continue
        if run.state == ScenarioRunState.SCORED:
            scored.append(run)
        if run.state in DONE_STATES:
            current = best.get(run.scenario_id)
            if current is None or _rank(run) > _rank(current):
                best[run.scenario_id] = run
        elif run.state in LIVE_STATES:
            live.append(run)
    todo = [sid for sid in selected if sid not in best]
    return ResumePlan(
        todo=todo,
        done={sid: best[sid] for sid in selected if sid in best},
        to_complete=scored,
        orphans=live,
    )
