"""Pure conversions into result rows: scenario runs found on the server, and saved rows.

Several scenario runs of one scenario in a benchmark run are its attempts, numbered
in creation order. A run whose metadata carries :data:`ATTEMPT_METADATA_KEY` belongs
to that attempt: the runner tags the runs it starts, so the runs an attempt needed
(a devbox retried, an orphan restarted on resume) count as one attempt, represented
by its best run (completed with a score, else completed, else scored, else the
latest), with ``attempts`` = how many runs it took.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs

from .._exceptions import InvalidArgumentError
from .._models import ScenarioRunState, ScenarioRunView
from .._runner._results import ROW_FIELDS, ScenarioResult

__all__ = [
    "ATTEMPT_METADATA_KEY",
    "NOT_STARTED",
    "PLANNED_ATTEMPTS_METADATA_KEY",
    "attempt_tag",
    "row_from_dict",
    "rows_from_runs",
]

#: Scenario-run metadata key naming the attempt a run belongs to (``"1"``, ``"2"``, ...).
#: The benchmark runner writes it on every run it starts; this loader reads it.
ATTEMPT_METADATA_KEY: Final = "runloop_async.attempt"
#: Scenario-run metadata key: how many attempts per scenario the runner that started
#: the run was asked for (``"3"``), so a resume or another shard plans as many.
PLANNED_ATTEMPTS_METADATA_KEY: Final = "runloop_async.attempts_planned"
#: ``error_type`` of the row of a scenario that has no run in the benchmark run.
NOT_STARTED: Final = "NotStarted"

_FIELDS = {f.name: f for f in attrs.fields(ScenarioResult) if f.name in ROW_FIELDS}
_INTS = ("attempts", "attempt")
_FLOATS = ("score", "duration_s")


def attempt_tag(run: ScenarioRunView, key: str = ATTEMPT_METADATA_KEY) -> int | None:
    """The positive integer a run's metadata holds under ``key`` (by default the attempt
    it belongs to), or ``None`` when absent or malformed."""
    text = run.metadata.get(key) if run.metadata else None
    return None if text is None else _positive(text)


@functools.lru_cache(maxsize=256)
def _positive(text: str) -> int | None:
    # Cached: the runs of a benchmark run carry the same few tags ("1", "3"), and the
    # runner reads two of every run's at its end (planned attempts, attempt slots).
    if not text.strip().isdigit() or int(text) < 1:
        return None
    return int(text)


def _rank(run: ScenarioRunView) -> int:
    if run.state == ScenarioRunState.COMPLETED:
        return 3 if run.score is not None else 2
    return 1 if run.state == ScenarioRunState.SCORED else 0


def _attempts(runs: Sequence[ScenarioRunView]) -> list[tuple[int, list[ScenarioRunView]]]:
    """``(attempt, runs)`` of one scenario; ``runs`` are in creation order."""
    tagged: dict[int, list[ScenarioRunView]] = {}
    loose: list[list[ScenarioRunView]] = []
    for run in runs:
        tag = attempt_tag(run)
        if tag is None:
            loose.append([run])
        else:
            tagged.setdefault(tag, []).append(run)
    free = (n for n in range(1, len(runs) + len(tagged) + 1) if n not in tagged)
    numbered = list(tagged.items()) + [(next(free), group) for group in loose]
    return sorted(numbered, key=lambda item: item[0])


def _row(attempt: int, group: list[ScenarioRunView], name: str | None) -> ScenarioResult:
    # max() keeps the first of equals, so reverse: the latest of the best-ranked runs.
    best = max(reversed(group), key=_rank)
    return ScenarioResult(
        scenario_id=best.scenario_id,
        scenario_name=name,
        run_id=best.id,
        devbox_id=best.devbox_id,
        state=best.state,
        score=best.score,
        duration_s=None if best.duration_ms is None else best.duration_ms / 1000,
        attempts=len(group),
        attempt=attempt,
        last_view=best,
    )


def _created(indexed: tuple[int, ScenarioRunView]) -> tuple[float, int]:
    index, run = indexed
    start = run.start_time_ms
    return (float("inf") if start is None else float(start), index)


def rows_from_runs(
    runs: Iterable[ScenarioRunView],
    *,
    scenario_ids: Sequence[str] = (),
    names: Mapping[str, str] | None = None,
) -> list[ScenarioResult]:
    """One row per attempt of each scenario, from a benchmark run's scenario runs.

    Scenarios come in ``scenario_ids`` order (the benchmark's), then the others in
    order of their first run. A scenario of ``scenario_ids`` without any run gets one
    row with no run, outcome ``errored`` and ``error_type`` :data:`NOT_STARTED`.
    Unfinished runs (``running``, ``scoring``, ``scored``) and canceled or failed ones
    are rows with their state (outcome ``errored``: not passed).

    Raises:
        Nothing of its own: it is a pure function of its arguments.
    """
    names = names or {}
    ordered = [run for _, run in sorted(enumerate(runs), key=_created)]
    by_scenario: dict[str, list[ScenarioRunView]] = {sid: [] for sid in scenario_ids}
    for run in ordered:
        by_scenario.setdefault(run.scenario_id, []).append(run)
    rows: list[ScenarioResult] = []
    for sid, found in by_scenario.items():
        if not found:
            rows.append(_not_started(sid, names.get(sid)))
            continue
        rows.extend(_row(n, group, names.get(sid)) for n, group in _attempts(found))
    return rows


def _not_started(scenario_id: str, name: str | None) -> ScenarioResult:
    return ScenarioResult(
        scenario_id=scenario_id,
        scenario_name=name,
        error="not started: the benchmark run has no run of this scenario",
        error_type=NOT_STARTED,
        phase="start",
        attempts=0,
    )


def _coerce(name: str, value: Any, from_csv: bool) -> Any:
    """A saved cell as the field's type (CSV cells are text, ``""`` for None)."""
    if value is None or value == "":
        return None if name not in ("resumed", *_INTS) else _FIELDS[name].default
    if name == "resumed":
        return value if isinstance(value, bool) else str(value).lower() in ("true", "1")
    if name in _INTS:
        return int(value)
    if name in _FLOATS:
        return float(value)
    text = str(value)
    # Undo the CSV export's formula guard (a leading apostrophe before = + - @ TAB CR).
    if from_csv and len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def row_from_dict(data: Mapping[str, Any], *, from_csv: bool = False) -> ScenarioResult:
    """A row saved by ``to_json``/``to_jsonl``/``to_csv`` back as a :class:`ScenarioResult`.

    Unknown keys (``outcome``, which is derived, or keys of a newer version) are
    ignored; missing ones take their defaults. ``from_csv``: the values are CSV text
    (``""`` for None, the formula guard's apostrophe to drop).

    Raises:
        InvalidArgumentError: no ``scenario_id``, or a value of the wrong type.
    """
    if not isinstance(data, Mapping) or not data.get("scenario_id"):
        raise InvalidArgumentError("a result row needs a scenario_id")
    values: dict[str, Any] = {}
    for name in _FIELDS:
        if name in data:
            try:
                values[name] = _coerce(name, data[name], from_csv)
            except (TypeError, ValueError):
                raise InvalidArgumentError(
                    f"result row {data.get('scenario_id')!r}: bad {name} {data[name]!r}"
                ) from None
    values["scenario_id"] = str(values["scenario_id"])
    return ScenarioResult(**values)
