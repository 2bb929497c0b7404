"""Results of a benchmark run: one row per attempt of each scenario, totals, and exports.

Outcomes follow what ``rli bmj watch`` reports:

* **passed**: the run completed with score == 1.0;
* **failed**: the run completed with a score below 1.0;
* **errored**: anything else (start, devbox, agent or scoring failed, no score).
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

import attrs

from .._models import DevboxView, ScenarioRunState, ScenarioRunView
from .._request import MAX_PAGE_SIZE

if TYPE_CHECKING:
    from .._client import AsyncRunloop
    from .._eval import Metrics
    from .._sync import Runloop

__all__ = [
    "BenchmarkResult",
    "Outcome",
    "OutcomeName",
    "ScenarioResult",
    "Totals",
    "outcome_of",
    "ROW_FIELDS",
    "PLATFORM_URL",
    "csv_cell",
]

#: Columns of the CSV export and of every JSON row, in order.
ROW_FIELDS: Final = (
    "scenario_id",
    "scenario_name",
    "run_id",
    "devbox_id",
    "state",
    "score",
    "outcome",
    "duration_s",
    "error",
    "error_type",
    "phase",
    "resumed",
    "attempts",
    "attempt",
)

#: First characters that make a spreadsheet read a cell as a formula (CSV injection).
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


#: The Runloop web platform, whose run pages :attr:`ScenarioResult.platform_url` links.
PLATFORM_URL: Final = "https://platform.runloop.ai"


OutcomeName: TypeAlias = Literal["passed", "failed", "errored"]
"""The type of an outcome: one of the :class:`Outcome` values."""


class Outcome:
    """The three outcomes of a scenario in a benchmark run."""

    PASSED: Final = "passed"
    FAILED: Final = "failed"
    ERRORED: Final = "errored"


def outcome_of(state: str | None, score: float | None, error: str | None) -> OutcomeName:
    """``passed`` / ``failed`` / ``errored`` for a run's final state, score and error."""
    if error is not None or state != ScenarioRunState.COMPLETED or score is None:
        return Outcome.ERRORED
    return Outcome.PASSED if score >= 1.0 else Outcome.FAILED


@attrs.frozen(kw_only=True)
class ScenarioResult:
    """How one scenario went.

    Attributes:
        scenario_id, scenario_name: The scenario.
        run_id, devbox_id: Its scenario run (``None`` if it never started).
        state: The run's last known state (``completed``, ``canceled``, ...).
        score: The scoring result's total score, if scored.
        duration_s: Wall time this runner spent on it (``None`` when resumed).
        error: ``"ExceptionType: message"`` when a step raised, else ``None``.
        error_type: The exception's class name.
        phase: The step that raised: ``start``, ``env``, ``agent``, ``scoring``,
            ``complete``.
        resumed: Done before this runner started (found in a resumed benchmark run).
        attempts: Scenario runs this runner started for this attempt (more than 1
            when a devbox failed to start and was retried; 0 when resumed).
        attempt: Which attempt at the scenario this row is (1-based; rows of one
            scenario with different ``attempt`` are repeated tries, see
            :func:`compute_metrics`). Default 1.
        last_view: The last model seen for the failing step (a ``ScenarioRunView``
            or ``DevboxView``), for debugging; not exported.
    """

    scenario_id: str
    scenario_name: str | None = None
    run_id: str | None = None
    devbox_id: str | None = None
    state: str | None = None
    score: float | None = None
    duration_s: float | None = None
    error: str | None = None
    error_type: str | None = None
    phase: str | None = None
    resumed: bool = False
    attempts: int = 1
    attempt: int = 1
    last_view: ScenarioRunView | DevboxView | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def outcome(self) -> OutcomeName:
        """``passed``, ``failed`` or ``errored`` (see the module docstring)."""
        return outcome_of(self.state, self.score, self.error)

    @property
    def platform_url(self) -> str | None:
        """The run's page on the Runloop platform, or ``None`` if no run started.

        Meaningful for runs on ``api.runloop.ai`` (not for the emulator's).
        """
        if self.run_id is None:
            return None
        return f"{PLATFORM_URL}/scenarios/{self.scenario_id}/runs/{self.run_id}"

    def to_dict(self) -> dict[str, Any]:
        """The row as a plain dict with the keys of :data:`ROW_FIELDS`."""
        return {name: getattr(self, name) for name in ROW_FIELDS}


@attrs.frozen(kw_only=True)
class Totals:
    """Counts over the rows of a result (a row is one attempt at one scenario).

    Attributes:
        total: Rows.
        passed, failed, errored: Rows by outcome.
        resumed: Rows done before this runner started (counted in their outcome too).
        mean_score: Mean over the rows that have a score, or ``None``.
        pass_rate: ``passed / total`` (0.0 when there are no rows): pass@1 when every
            scenario has the same number of attempts.
        scenarios: Distinct scenarios among the rows.
        attempts_per_scenario: The fewest attempts (rows) any scenario has: the
            ``k`` of ``pass_at_k``. 1 without attempts, 0 when there are no rows.
        pass_at_k: With ``attempts_per_scenario`` ``k`` > 1, the chance that at
            least one of ``k`` attempts passes, averaged over scenarios (see
            :func:`pass_at_k`); else ``None``.
    """

    total: int
    passed: int
    failed: int
    errored: int
    resumed: int
    mean_score: float | None
    pass_rate: float
    scenarios: int = 0
    attempts_per_scenario: int = 1
    pass_at_k: float | None = None

    @classmethod
    def of(cls, rows: Sequence[ScenarioResult]) -> Totals:
        """Count ``rows``."""
        outcomes = [row.outcome for row in rows]
        scores = [row.score for row in rows if row.score is not None]
        passed = outcomes.count(Outcome.PASSED)
        groups: dict[str, list[str]] = {}
        for row, outcome in zip(rows, outcomes, strict=True):
            groups.setdefault(row.scenario_id, []).append(outcome)
        k = min((len(group) for group in groups.values()), default=0)
        return cls(
            total=len(rows),
            passed=passed,
            failed=outcomes.count(Outcome.FAILED),
            errored=outcomes.count(Outcome.ERRORED),
            resumed=sum(1 for row in rows if row.resumed),
            mean_score=sum(scores) / len(scores) if scores else None,
            pass_rate=passed / len(rows) if rows else 0.0,
            scenarios=len(groups),
            attempts_per_scenario=k,
            pass_at_k=_mean_pass_at(list(groups.values()), k) if k > 1 else None,
        )

    def to_dict(self) -> dict[str, Any]:
        """The totals as a plain dict."""
        return attrs.asdict(self)


def _mean_pass_at(groups: list[list[str]], k: int) -> float:
    from .._eval._stats import pass_at_k  # the estimator lives with the metrics

    estimates = [pass_at_k(len(group), group.count(Outcome.PASSED), k) for group in groups]
    return sum(estimates) / len(estimates)


def csv_cell(value: object) -> object:
    """A value as a CSV cell: ``""`` for None; text a spreadsheet would run as a
    formula (``=HYPERLINK(...)``, ``+``, ``-``, ``@``, tab, CR first) gets a leading
    apostrophe, so a scenario name or error message cannot become a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _write(text: str, path: str | os.PathLike[str] | None) -> str:
    if path is not None:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    return text


@attrs.frozen(kw_only=True)
class BenchmarkResult:
    """What :func:`run_benchmark` returns.

    Attributes:
        rows: One :class:`ScenarioResult` per attempt of each selected scenario:
            scenarios in input order, each one's attempts in order (one row per
            scenario with ``attempts=1``).
        benchmark_id: The benchmark, when the run came from one.
        benchmark_run_id: The benchmark run the scenario runs joined (``None`` for
            loose scenario runs).
        benchmark_run: The benchmark run's last view (after ``complete`` when the
            runner completed it), or ``None``.
        shard: ``(index, count)`` when sharded.
        wall_time_s: Seconds the runner took.
        stopped: Why the runner stopped before the end (a long outage), else
            ``None``. Its runs were canceled; the benchmark run is left running.
        unfinished: Scenarios of the benchmark (every shard's) with an attempt
            without a finished run on the server at the end; ``[]`` when all are
            finished, ``None`` when unknown (no benchmark run, or the server could
            not be read).
        incomplete: Why the benchmark run is still running although this runner
            should have completed it (its completion failed), else ``None``.
    """

    rows: list[ScenarioResult]
    benchmark_id: str | None = None
    benchmark_run_id: str | None = None
    benchmark_run: Any = attrs.field(default=None, eq=False, repr=False)
    shard: tuple[int, int] | None = None
    wall_time_s: float = 0.0
    stopped: str | None = None
    unfinished: list[str] | None = None
    incomplete: str | None = None

    @property
    def benchmark_run_completed(self) -> bool:
        """Whether the benchmark run is ``completed`` (by this runner or another)."""
        return getattr(self.benchmark_run, "state", None) == "completed"

    @property
    def ok(self) -> bool:
        """No errored row, not stopped, and the benchmark run not left open by failure.

        A shard whose rows are fine is ok while other shards still run.
        """
        return self.stopped is None and self.incomplete is None and not self.totals.errored

    @property
    def totals(self) -> Totals:
        """Counts by outcome and the mean score."""
        return Totals.of(self.rows)

    def metrics(self, *, confidence: float = 0.95, resamples: int = 2000, seed: int = 0) -> Metrics:
        """Pass rate, pass@k, pass^k, mean score with intervals (see :func:`compute_metrics`).

        Raises:
            InvalidArgumentError: ``confidence`` outside (0, 1) or ``resamples < 1``.
        """
        from .._eval import compute_metrics

        return compute_metrics(self.rows, confidence=confidence, resamples=resamples, seed=seed)

    @classmethod
    async def from_benchmark_run(
        cls, client: AsyncRunloop, benchmark_run_id: str, *, page_size: int = MAX_PAGE_SIZE
    ) -> BenchmarkResult:
        """The rows and totals of any benchmark run, built from the server's state.

        Works for runs started by this runner, benchmark jobs, other tools or a process
        that died: every page of its scenario runs is read (``page_size`` runs a page,
        default 5000). Several runs of one scenario are its attempts, in creation order;
        canceled, failed and unfinished runs are rows with their state (not passed);
        a scenario of the benchmark with no run is an ``errored`` row with
        ``error_type="NotStarted"``. For a blocking :class:`Runloop` client use
        :meth:`from_benchmark_run_sync`.

        Raises:
            NotFoundError: no benchmark run with that id.
            InvalidArgumentError: an empty id or ``page_size`` outside 1..5000.
            APIError: a request failed.
        """
        from .._eval._load import load_benchmark_run

        return await load_benchmark_run(client, benchmark_run_id, page_size=page_size)

    @classmethod
    def from_benchmark_run_sync(
        cls, client: Runloop, benchmark_run_id: str, *, page_size: int = MAX_PAGE_SIZE
    ) -> BenchmarkResult:
        """Blocking twin of :meth:`from_benchmark_run`, for a :class:`Runloop` client.

        Raises:
            NotFoundError, InvalidArgumentError, APIError: as :meth:`from_benchmark_run`.
            ClientClosedError: the client is closed.
        """
        from .._eval._load import load_benchmark_run_sync

        return load_benchmark_run_sync(client, benchmark_run_id, page_size=page_size)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> BenchmarkResult:
        """Read back a result saved by :meth:`to_json`, :meth:`to_jsonl` or :meth:`to_csv`
        (format by extension, else by content); totals are recomputed from the rows.

        Raises:
            InvalidArgumentError: the file cannot be read or is not a saved result.
        """
        from .._eval._load import load_result_file

        return load_result_file(path)

    def by_outcome(self, outcome: str) -> list[ScenarioResult]:
        """The rows with ``outcome`` (``passed``, ``failed`` or ``errored``)."""
        return [row for row in self.rows if row.outcome == outcome]

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain JSON-ready data: ids, totals and rows."""
        return {
            "benchmark_id": self.benchmark_id,
            "benchmark_run_id": self.benchmark_run_id,
            "shard": list(self.shard) if self.shard else None,
            "wall_time_s": round(self.wall_time_s, 3),
            "stopped": self.stopped,
            "unfinished": self.unfinished,
            "incomplete": self.incomplete,
            "totals": self.totals.to_dict(),
            "rows": [row.to_dict() for row in self.rows],
        }

    def to_json(self, path: str | os.PathLike[str] | None = None, *, indent: int = 2) -> str:
        """The result as one JSON document; also written to ``path`` when given."""
        return _write(json.dumps(self.to_dict(), indent=indent) + "\n", path)

    def to_jsonl(self, path: str | os.PathLike[str] | None = None) -> str:
        """One JSON object per row (per line); also written to ``path`` when given."""
        lines = [json.dumps(row.to_dict()) + "\n" for row in self.rows]
        return _write("".join(lines), path)

    def to_csv(self, path: str | os.PathLike[str] | None = None) -> str:
        """One CSV line per row with a header (:data:`ROW_FIELDS`); empty cells for None;
        CRLF line ends.

        Text cells that a spreadsheet would evaluate as a formula get a leading
        apostrophe (see :func:`csv_cell`).
        """
        buffer = io.StringIO()
        # CRLF line ends (RFC 4180) also make the writer quote cells holding a bare CR.
        writer = csv.DictWriter(buffer, fieldnames=ROW_FIELDS, lineterminator="\r\n")
        writer.writeheader()
        for row in self.rows:
            writer.writerow({k: csv_cell(v) for k, v in row.to_dict().items()})
        return _write(buffer.getvalue(), path)

    def summary(self) -> str:
        """One line of totals: ``100 scenarios: 70 passed (70.0%), 20 failed, ...``.

        With attempts: ``20 scenarios x 3 attempts: 42/60 passed (pass@1 70.0%,
        pass@3 90.0%), 15 failed, 3 errored; ...``.
        """
        t = self.totals
        mean = "-" if t.mean_score is None else f"{t.mean_score:.3f}"
        rest = f"{t.failed} failed, {t.errored} errored; mean score {mean}; {self.wall_time_s:.1f}s"
        if t.pass_at_k is None:
            return f"{t.total} scenarios: {t.passed} passed ({100 * t.pass_rate:.1f}%), {rest}"
        k = t.attempts_per_scenario
        return (
            f"{t.scenarios} scenarios x {k} attempts: {t.passed}/{t.total} passed "
            f"(pass@1 {100 * t.pass_rate:.1f}%, pass@{k} {100 * t.pass_at_k:.1f}%), {rest}"
        )
