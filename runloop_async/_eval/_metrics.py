"""Metrics over result rows: pure functions, no I/O.

A row is one attempt of one scenario (a :class:`ScenarioResult`); rows of the same
``scenario_id`` are that scenario's attempts. "Passed" is the runner's outcome
(:func:`outcome_of`: the run completed with score >= 1.0); failed and errored
attempts both count as not passed.

Overall figures weigh every scenario equally: the pass rate is the mean over
scenarios of each scenario's pass rate (its pass@1), and the mean score is the mean
over scenarios of each scenario's mean scored attempt. When every scenario has the
same number of attempts and all are scored these equal the row counts of
:class:`Totals`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from .._runner._results import Outcome, ScenarioResult
from ._stats import DEFAULT_RESAMPLES, DEFAULT_SEED, bootstrap_ci, mean, pass_at_k, pass_hat_k

__all__ = ["Metrics", "ScenarioMetrics", "compute_metrics", "group_attempts"]


def group_attempts(rows: Iterable[ScenarioResult]) -> dict[str, list[ScenarioResult]]:
    """Rows by scenario id, scenarios in first-seen order, attempts by ``attempt``.

    Raises:
        Nothing of its own.
    """
    groups: dict[str, list[ScenarioResult]] = {}
    for row in rows:
        groups.setdefault(row.scenario_id, []).append(row)
    return {sid: sorted(group, key=lambda r: r.attempt) for sid, group in groups.items()}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


@attrs.frozen(kw_only=True)
class ScenarioMetrics:
    """One scenario's attempts, counted.

    Attributes:
        scenario_id, scenario_name: The scenario.
        outcomes: Each attempt's outcome, in attempt order.
        scores: Each attempt's score (``None`` when unscored), in attempt order.
        durations: Each attempt's duration in seconds (``None`` when unknown).
    """

    scenario_id: str
    scenario_name: str | None
    outcomes: tuple[str, ...]
    scores: tuple[float | None, ...]
    durations: tuple[float | None, ...]

    @classmethod
    def of(cls, attempts: Sequence[ScenarioResult]) -> ScenarioMetrics:
        """Count the attempts of one scenario (all rows share one ``scenario_id``).

        Raises:
            ValueError: no rows.
        """
        if not attempts:
            raise ValueError("a scenario needs at least one attempt")
        name = next((r.scenario_name for r in attempts if r.scenario_name), None)
        return cls(
            scenario_id=attempts[0].scenario_id,
            scenario_name=name,
            outcomes=tuple(r.outcome for r in attempts),
            scores=tuple(r.score for r in attempts),
            durations=tuple(r.duration_s for r in attempts),
        )

    @property
    def attempts(self) -> int:
        """How many attempts (rows) the scenario has."""
        return len(self.outcomes)

    @property
    def passed(self) -> int:
        """Attempts that passed."""
        return self.outcomes.count(Outcome.PASSED)

    @property
    def failed(self) -> int:
        """Attempts scored below 1.0."""
        return self.outcomes.count(Outcome.FAILED)

    @property
    def errored(self) -> int:
        """Attempts that did not finish with a score."""
        return self.outcomes.count(Outcome.ERRORED)

    @property
    def pass_rate(self) -> float:
        """``passed / attempts``: pass@1."""
        return self.passed / self.attempts

    @property
    def passing(self) -> bool:
        """Whether at least half of the attempts passed (with one attempt: it passed).

        This is what :func:`compare_results` calls "passed" for a scenario.
        """
        return 2 * self.passed >= self.attempts

    @property
    def mean_score(self) -> float | None:
        """The mean over scored attempts, or ``None`` when none was scored."""
        return mean([s for s in self.scores if s is not None])

    @property
    def mean_duration_s(self) -> float | None:
        """The mean over attempts with a known duration, or ``None``."""
        return mean([d for d in self.durations if d is not None])

    def pass_at(self, k: int) -> float:
        """pass@k for this scenario (see :func:`pass_at_k`).

        Raises:
            InvalidArgumentError: ``k`` outside ``1..attempts``.
        """
        return pass_at_k(self.attempts, self.passed, k)

    def pass_hat(self, k: int) -> float:
        """pass^k for this scenario (see :func:`pass_hat_k`).

        Raises:
            InvalidArgumentError: ``k`` outside ``1..attempts``.
        """
        return pass_hat_k(self.attempts, self.passed, k)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (pass@k keyed by ``str(k)``)."""
        ks = range(1, self.attempts + 1)
        return {
            "scenario_id": self.scenario_id,
            "scenario_name": self.scenario_name,
            "attempts": self.attempts,
            "passed": self.passed,
            "failed": self.failed,
            "errored": self.errored,
            "pass_rate": _round(self.pass_rate),
            "mean_score": _round(self.mean_score),
            "mean_duration_s": _round(self.mean_duration_s),
            "pass_at_k": {str(k): _round(self.pass_at(k)) for k in ks},
            "pass_hat_k": {str(k): _round(self.pass_hat(k)) for k in ks},
            "outcomes": list(self.outcomes),
        }


@attrs.frozen(kw_only=True)
class Metrics:
    """What :func:`compute_metrics` returns: overall figures and one entry per scenario.

    Attributes:
        scenarios: Per-scenario metrics, in first-seen order.
        attempts: Rows (attempts over all scenarios).
        passed, failed, errored: Rows by outcome.
        pass_rate: Mean over scenarios of their pass rate (pass@1); 0.0 when empty.
        pass_rate_ci: Bootstrap interval of ``pass_rate`` over scenarios, or ``None``.
        pass_at_k: ``{k: pass@k}`` for ``k`` in ``1..max_k`` (mean over scenarios).
        pass_hat_k: ``{k: pass^k}`` for the same ``k`` (mean over scenarios).
        max_k: The fewest attempts any scenario has (the largest ``k`` every scenario
            supports); 0 when empty.
        mean_score: Mean over scored scenarios of their mean score, or ``None``.
        mean_score_ci: Bootstrap interval of ``mean_score`` over scenarios, or ``None``.
        confidence, resamples, seed: The bootstrap's settings.
    """

    scenarios: tuple[ScenarioMetrics, ...]
    attempts: int
    passed: int
    failed: int
    errored: int
    pass_rate: float
    pass_rate_ci: tuple[float, float] | None
    pass_at_k: dict[int, float]
    pass_hat_k: dict[int, float]
    max_k: int
    mean_score: float | None
    mean_score_ci: tuple[float, float] | None
    confidence: float
    resamples: int
    seed: int

    def scenario(self, scenario_id: str) -> ScenarioMetrics | None:
        """The metrics of one scenario, or ``None`` if it has no rows."""
        return next((s for s in self.scenarios if s.scenario_id == scenario_id), None)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: the overall figures and ``per_scenario``."""

        def interval(ci: tuple[float, float] | None) -> list[float | None] | None:
            return None if ci is None else [_round(ci[0]), _round(ci[1])]

        return {
            "scenarios": len(self.scenarios),
            "attempts": self.attempts,
            "passed": self.passed,
            "failed": self.failed,
            "errored": self.errored,
            "pass_rate": _round(self.pass_rate),
            "pass_rate_ci": interval(self.pass_rate_ci),
            "max_k": self.max_k,
            "pass_at_k": {str(k): _round(v) for k, v in self.pass_at_k.items()},
            "pass_hat_k": {str(k): _round(v) for k, v in self.pass_hat_k.items()},
            "mean_score": _round(self.mean_score),
            "mean_score_ci": interval(self.mean_score_ci),
            "confidence": self.confidence,
            "per_scenario": [s.to_dict() for s in self.scenarios],
        }


def compute_metrics(
    rows: Iterable[ScenarioResult],
    *,
    confidence: float = 0.95,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> Metrics:
    """Pass rate, pass@k, pass^k, mean score with intervals, and counts, from rows.

    Rows of one ``scenario_id`` are its attempts. Intervals are percentile bootstraps
    over scenarios (see :func:`bootstrap_ci`), seeded: the same rows give the same
    figures.

    Args:
        rows: The rows (a :class:`BenchmarkResult`'s ``rows``, or any iterable).
        confidence: Coverage of the intervals. Default 0.95.
        resamples: Bootstrap samples. Default 2000.
        seed: Bootstrap seed. Default 0.

    Raises:
        InvalidArgumentError: ``confidence`` outside (0, 1) or ``resamples < 1``.
    """
    per = tuple(ScenarioMetrics.of(group) for group in group_attempts(rows).values())
    rates = [s.pass_rate for s in per]
    scores = [m for m in (s.mean_score for s in per) if m is not None]
    max_k = min((s.attempts for s in per), default=0)
    ci = functools.partial(bootstrap_ci, confidence=confidence, resamples=resamples, seed=seed)
    return Metrics(
        scenarios=per,
        attempts=sum(s.attempts for s in per),
        passed=sum(s.passed for s in per),
        failed=sum(s.failed for s in per),
        errored=sum(s.errored for s in per),
        pass_rate=mean(rates) or 0.0,
        pass_rate_ci=ci(rates),
        pass_at_k={k: mean([s.pass_at(k) for s in per]) or 0.0 for k in range(1, max_k + 1)},
        pass_hat_k={k: mean([s.pass_hat(k) for s in per]) or 0.0 for k in range(1, max_k + 1)},
        max_k=max_k,
        mean_score=mean(scores),
        mean_score_ci=ci(scores),
        confidence=confidence,
        resamples=resamples,
        seed=seed,
    )
