"""Comparing two results, scenario by scenario: pure functions, no I/O.

A scenario "passed" in a result when at least half of its attempts passed
(:attr:`ScenarioMetrics.passing`; with one attempt: it passed). A **regression** is
a scenario that passed in ``a`` and not in ``b``; a **fix** the reverse. The
pass-rate delta is ``b.pass_rate - a.pass_rate``; its interval is a seeded
bootstrap over the scenarios present in both (paired), and the p-value is McNemar's
exact test on the flips (:func:`sign_test`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from .._runner._results import BenchmarkResult, ScenarioResult
from ._metrics import Metrics, ScenarioMetrics, compute_metrics
from ._stats import DEFAULT_RESAMPLES, DEFAULT_SEED, bootstrap_ci, mean, sign_test

__all__ = ["Comparison", "ScenarioChange", "compare_metrics", "compare_results", "Rows"]

Rows = BenchmarkResult | Sequence[ScenarioResult]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


@attrs.frozen(kw_only=True)
class ScenarioChange:
    """One scenario, before (``a``) and after (``b``); either may be missing.

    Attributes:
        scenario_id, scenario_name: The scenario.
        a, b: Its metrics in each result, or ``None`` where it has no rows.
    """

    scenario_id: str
    scenario_name: str | None
    a: ScenarioMetrics | None
    b: ScenarioMetrics | None

    @property
    def status(self) -> str:
        """``regression``, ``fix``, ``passing`` (both), ``failing`` (both),
        ``only_a`` or ``only_b``."""
        if self.a is None:
            return "only_b"
        if self.b is None:
            return "only_a"
        if self.a.passing != self.b.passing:
            return "regression" if self.a.passing else "fix"
        return "passing" if self.a.passing else "failing"

    @property
    def pass_rate_delta(self) -> float | None:
        """``b``'s pass rate minus ``a``'s, when both have the scenario."""
        if self.a is None or self.b is None:
            return None
        return self.b.pass_rate - self.a.pass_rate

    @property
    def score_delta(self) -> float | None:
        """``b``'s mean score minus ``a``'s, when both have one."""
        before = None if self.a is None else self.a.mean_score
        after = None if self.b is None else self.b.mean_score
        return None if before is None or after is None else after - before

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""

        def side(m: ScenarioMetrics | None) -> dict[str, Any] | None:
            if m is None:
                return None
            return {"passed": m.passing, "pass_rate": _round(m.pass_rate),
                    "mean_score": _round(m.mean_score), "attempts": m.attempts,
                    "outcomes": list(m.outcomes)}  # fmt: skip

        return {
            "scenario_id": self.scenario_id,
            "scenario_name": self.scenario_name,
            "status": self.status,
            "a": side(self.a),
            "b": side(self.b),
            "pass_rate_delta": _round(self.pass_rate_delta),
            "score_delta": _round(self.score_delta),
        }


def _totals(m: Metrics, label: str | None) -> dict[str, Any]:
    doc = m.to_dict()
    doc.pop("per_scenario")
    return {"label": label, **doc}


@attrs.frozen(kw_only=True)
class Comparison:
    """What :func:`compare_results` returns.

    Attributes:
        a, b: The metrics of each side.
        label_a, label_b: What each side is (a benchmark run id, a file name), if known.
        scenarios: Every scenario of either side: ``a``'s order, then ``b``-only ones.
        paired_deltas: Per paired scenario, ``b``'s pass rate minus ``a``'s.
        ci: Bootstrap interval of the paired pass-rate delta (``None`` if nothing
            is paired).
        p_value: McNemar's exact p-value on regressions vs fixes (1.0 if none).
    """

    a: Metrics
    b: Metrics
    label_a: str | None
    label_b: str | None
    scenarios: tuple[ScenarioChange, ...]
    paired_deltas: tuple[float, ...]
    ci: tuple[float, float] | None
    p_value: float

    def _with(self, status: str) -> list[ScenarioChange]:
        return [s for s in self.scenarios if s.status == status]

    @property
    def regressions(self) -> list[ScenarioChange]:
        """Scenarios that passed in ``a`` and not in ``b``."""
        return self._with("regression")

    @property
    def fixes(self) -> list[ScenarioChange]:
        """Scenarios that did not pass in ``a`` and passed in ``b``."""
        return self._with("fix")

    @property
    def only_a(self) -> list[ScenarioChange]:
        """Scenarios with rows in ``a`` only."""
        return self._with("only_a")

    @property
    def only_b(self) -> list[ScenarioChange]:
        """Scenarios with rows in ``b`` only."""
        return self._with("only_b")

    @property
    def delta(self) -> float:
        """``b.pass_rate - a.pass_rate`` (each over all of its scenarios)."""
        return self.b.pass_rate - self.a.pass_rate

    @property
    def paired_delta(self) -> float | None:
        """The mean pass-rate change over scenarios in both (what ``ci`` brackets);
        equal to :attr:`delta` when both sides have the same scenarios."""
        return mean(self.paired_deltas)

    @property
    def mean_score_delta(self) -> float | None:
        """``b.mean_score - a.mean_score``, when both have one."""
        if self.a.mean_score is None or self.b.mean_score is None:
            return None
        return self.b.mean_score - self.a.mean_score

    def to_dict(self) -> dict[str, Any]:
        """One JSON-ready object: ``regressions``, ``fixes``, ``a``, ``b``, ``delta``,
        ``ci``, ``p_value`` and more (see the docs' "Evaluating agents" page)."""

        def brief(changes: list[ScenarioChange]) -> list[dict[str, Any]]:
            return [{"scenario_id": c.scenario_id, "scenario_name": c.scenario_name,
                     "score_delta": _round(c.score_delta)} for c in changes]  # fmt: skip

        return {
            "a": _totals(self.a, self.label_a),
            "b": _totals(self.b, self.label_b),
            "delta": _round(self.delta),
            "paired": len(self.paired_deltas),
            "paired_delta": _round(self.paired_delta),
            "ci": None if self.ci is None else [_round(self.ci[0]), _round(self.ci[1])],
            "confidence": self.a.confidence,
            "p_value": _round(self.p_value),
            "mean_score_delta": _round(self.mean_score_delta),
            "regressions": brief(self.regressions),
            "fixes": brief(self.fixes),
            "only_a": brief(self.only_a),
            "only_b": brief(self.only_b),
            "scenarios": [s.to_dict() for s in self.scenarios],
        }


def _rows(side: Rows) -> Sequence[ScenarioResult]:
    return side.rows if isinstance(side, BenchmarkResult) else side


def _label(side: Rows) -> str | None:
    return side.benchmark_run_id if isinstance(side, BenchmarkResult) else None


def compare_results(
    a: Rows,
    b: Rows,
    *,
    labels: tuple[str | None, str | None] | None = None,
    confidence: float = 0.95,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> Comparison:
    """Compare result ``a`` (before) with ``b`` (after), scenario by scenario.

    Args:
        a: The "before" result: a :class:`BenchmarkResult` or a list of rows.
        b: The "after" result, likewise.
        labels: Names for the two sides. Default: their benchmark run ids.
        confidence: Coverage of the intervals. Default 0.95.
        resamples: Bootstrap samples. Default 2000.
        seed: Bootstrap seed (same inputs and seed, same figures). Default 0.

    Raises:
        InvalidArgumentError: ``confidence`` outside (0, 1) or ``resamples < 1``.
    """
    settings: dict[str, Any] = {"confidence": confidence, "resamples": resamples, "seed": seed}
    ma, mb = compute_metrics(_rows(a), **settings), compute_metrics(_rows(b), **settings)
    names = labels or (_label(a), _label(b))
    return compare_metrics(ma, mb, labels=names)


def _changes(ma: Metrics, mb: Metrics) -> list[ScenarioChange]:
    after = {s.scenario_id: s for s in mb.scenarios}
    before = {s.scenario_id: s for s in ma.scenarios}
    changes = []
    for s in ma.scenarios:
        other = after.get(s.scenario_id)
        name = s.scenario_name or (other.scenario_name if other else None)
        changes.append(ScenarioChange(scenario_id=s.scenario_id, scenario_name=name, a=s, b=other))
    changes += [
        ScenarioChange(scenario_id=s.scenario_id, scenario_name=s.scenario_name, a=None, b=s)
        for s in mb.scenarios
        if s.scenario_id not in before
    ]
    return changes


def compare_metrics(
    ma: Metrics, mb: Metrics, *, labels: tuple[str | None, str | None] = (None, None)
) -> Comparison:
    """:func:`compare_results` on metrics already computed (the bootstrap settings are
    ``ma``'s).

    Raises:
        Nothing of its own: the settings were checked when ``ma`` was computed.
    """
    changes = _changes(ma, mb)
    deltas = tuple(d for c in changes if (d := c.pass_rate_delta) is not None)
    flips = [c.status for c in changes]
    ci = bootstrap_ci(deltas, confidence=ma.confidence, resamples=ma.resamples, seed=ma.seed)
    return Comparison(
        a=ma,
        b=mb,
        label_a=labels[0],
        label_b=labels[1],
        scenarios=tuple(changes),
        paired_deltas=deltas,
        ci=ci,
        p_value=sign_test(flips.count("regression"), flips.count("fix")),
    )
