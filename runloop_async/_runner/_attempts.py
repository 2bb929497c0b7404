"""Attempts: which scenario runs of a benchmark run belong to which attempt (pure).

With ``attempts=k`` every scenario is run ``k`` times; each ``(scenario, attempt)``
is a *unit* the runner drives, resumes and counts on its own. The runner tags every
run it starts with its attempt (:data:`ATTEMPT_METADATA_KEY`) and with the number of
attempts it was asked for (:data:`PLANNED_ATTEMPTS_METADATA_KEY`), so a resume,
another shard and the results loader (``BenchmarkResult.from_benchmark_run``) all
assign the runs the same way:

* a tagged run belongs to its attempt (the runs one attempt needed: a devbox retry,
  an orphan replaced on resume);
* an untagged run (started by another tool) fills an attempt still missing one: a
  finished run (``scored``/``completed``) the first attempt without a finished run,
  then a live one the first attempt with neither, then an ended one (canceled,
  failed) the first attempt with no run at all; a run that fits nowhere is *extra*.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from .._eval._rows import ATTEMPT_METADATA_KEY, PLANNED_ATTEMPTS_METADATA_KEY, attempt_tag
from .._models import ScenarioRunState, ScenarioRunView

__all__ = [
    "DONE_STATES",
    "LIVE_STATES",
    "AttemptSlots",
    "Unit",
    "adopt_rank",
    "attempt_metadata",
    "done_rank",
    "planned_attempts",
    "slot_runs",
    "units_of",
]

Unit = tuple[str, int]
"""``(scenario_id, attempt)``: one attempt at one scenario (attempts count from 1)."""

#: Run states that mean "this attempt is done" for resume.
DONE_STATES = frozenset({ScenarioRunState.SCORED, ScenarioRunState.COMPLETED})
#: Run states of a run that still holds a devbox.
LIVE_STATES = frozenset({ScenarioRunState.RUNNING, ScenarioRunState.SCORING})


def attempt_metadata(attempt: int, attempts: int) -> dict[str, str]:
    """The metadata keys a run of ``attempt`` (of ``attempts`` planned) carries."""
    return {ATTEMPT_METADATA_KEY: str(attempt), PLANNED_ATTEMPTS_METADATA_KEY: str(attempts)}


def planned_attempts(runs: Iterable[ScenarioRunView]) -> int:
    """The most attempts any run says it belongs to or was planned with; 0 when none."""
    most = 0
    for run in runs:
        for key in (ATTEMPT_METADATA_KEY, PLANNED_ATTEMPTS_METADATA_KEY):
            most = max(most, attempt_tag(run, key) or 0)
    return most


def units_of(scenario_ids: Sequence[str], attempts: int) -> list[Unit]:
    """Every unit, attempt-major: attempt 1 of every scenario, then attempt 2, ...

    This is the order the runner starts them in, so a run cut short still covers
    as many scenarios as it can.
    """
    unique = list(dict.fromkeys(scenario_ids))
    return [(sid, n) for n in range(1, attempts + 1) for sid in unique]


@attrs.frozen(kw_only=True)
class AttemptSlots:
    """One scenario's runs, by attempt.

    Attributes:
        slots: Attempt (1..k) -> its runs, in creation order.
        extra: Runs that belong to no attempt 1..k (untagged runs beyond the
            attempts, or tagged with a larger attempt).
    """

    slots: dict[int, list[ScenarioRunView]]
    extra: list[ScenarioRunView]


def _created(indexed: tuple[int, ScenarioRunView]) -> tuple[float, int]:
    index, run = indexed
    start = run.start_time_ms
    return (float("inf") if start is None else float(start), index)


def _first(slots: dict[int, list[ScenarioRunView]], wanted: frozenset[str] | None) -> int | None:
    """The first attempt none of whose runs is in ``wanted`` (``None``: with no run)."""
    for n, runs in slots.items():
        if (not runs) if wanted is None else not any(r.state in wanted for r in runs):
            return n
    return None


def done_rank(run: ScenarioRunView) -> int:
    """How good a finished run is: completed with a score, completed, scored."""
    if run.state == ScenarioRunState.COMPLETED:
        return 2 if run.score is not None else 1
    return 1 if run.state == ScenarioRunState.SCORED else 0


def adopt_rank(run: ScenarioRunView) -> tuple[int, int]:
    """How worth adopting a live run is: one already scoring is further along; then
    the newest."""
    return (int(run.state == ScenarioRunState.SCORING), run.start_time_ms or 0)


_ENDED = ScenarioRunState.TERMINAL - DONE_STATES


def slot_runs(runs: Iterable[ScenarioRunView], attempts: int) -> AttemptSlots:
    """Assign one scenario's runs to its attempts ``1..attempts`` (see the module doc).

    Untagged runs fill the attempts best first: finished runs by :func:`done_rank`,
    live ones by :func:`adopt_rank`, ended ones in creation order.

    Raises:
        Nothing of its own: it is a pure function of its arguments.
    """
    slots: dict[int, list[ScenarioRunView]] = {n: [] for n in range(1, attempts + 1)}
    extra: list[ScenarioRunView] = []
    loose: list[ScenarioRunView] = []
    for _, run in sorted(enumerate(runs), key=_created):
        tag = attempt_tag(run)
        if tag is None:
            loose.append(run)
        else:
            slots.get(tag, extra).append(run)
    done = sorted((r for r in loose if r.state in DONE_STATES), key=done_rank, reverse=True)
    live = sorted((r for r in loose if r.state in LIVE_STATES), key=adopt_rank, reverse=True)
    ended = [r for r in loose if r.state in _ENDED]
    fits = ((done, DONE_STATES), (live, DONE_STATES | LIVE_STATES), (ended, None))
    for group, blocked_by in fits:
        for run in group:
            n = _first(slots, blocked_by)
            (extra if n is None else slots[n]).append(run)
    extra.extend(r for r in loose if r.state not in ScenarioRunState.ALL)  # a newer state
    return AttemptSlots(slots=slots, extra=extra)
