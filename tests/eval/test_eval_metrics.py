"""Metrics: estimators against hand-computed values, and their properties."""

from __future__ import annotations

import csv
import io
import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runloop_async import (
    BenchmarkResult,
    InvalidArgumentError,
    ScenarioResult,
    bootstrap_ci,
    compute_metrics,
    pass_at_k,
    pass_hat_k,
    sign_test,
)


def row(sid: str, attempt: int, outcome: str, score: float | None = None) -> ScenarioResult:
    """A row with the given outcome (``P``assed, ``F``ailed, ``E``rrored)."""
    if outcome == "P":
        return ScenarioResult(scenario_id=sid, state="completed", score=1.0, attempt=attempt)
    if outcome == "F":
        value = 0.5 if score is None else score
        return ScenarioResult(scenario_id=sid, state="completed", score=value, attempt=attempt)
    return ScenarioResult(scenario_id=sid, state="canceled", error="X: y", attempt=attempt)


def rows_of(spec: dict[str, str]) -> list[ScenarioResult]:
    return [row(sid, i + 1, o) for sid, outs in spec.items() for i, o in enumerate(outs)]


# -- estimators, by hand ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "c", "k", "want"),
    [
        (5, 2, 1, 0.4),
        (5, 2, 2, 1 - 3 / 10),  # 1 - C(3,2)/C(5,2)
        (5, 2, 3, 1 - 1 / 10),  # 1 - C(3,3)/C(5,3)
        (5, 2, 4, 1.0),  # fewer than k failures: some draw passes
        (5, 0, 5, 0.0),
        (10, 3, 2, 1 - 21 / 45),  # 1 - C(7,2)/C(10,2)
        (1, 1, 1, 1.0),
    ],
)
def test_pass_at_k_by_hand(n: int, c: int, k: int, want: float) -> None:
    assert pass_at_k(n, c, k) == pytest.approx(want)


@pytest.mark.parametrize(
    ("n", "c", "k", "want"),
    [
        (5, 3, 1, 0.6),
        (5, 3, 2, 3 / 10),  # C(3,2)/C(5,2)
        (5, 3, 3, 1 / 10),
        (5, 3, 4, 0.0),
        (4, 4, 4, 1.0),  # all k = n attempts passed
        (4, 3, 4, 0.0),
    ],
)
def test_pass_hat_k_by_hand(n: int, c: int, k: int, want: float) -> None:
    assert pass_hat_k(n, c, k) == pytest.approx(want)


@pytest.mark.parametrize("args", [(0, 0, 1), (3, 4, 1), (3, 1, 0), (3, 1, 4), (3.0, 1, 1)])
def test_estimators_reject_impossible_counts(args: tuple[int, int, int]) -> None:
    with pytest.raises(InvalidArgumentError):
        pass_at_k(*args)
    with pytest.raises(InvalidArgumentError):
        pass_hat_k(*args)


@pytest.mark.parametrize(
    ("regressions", "fixes", "want"),
    [
        (0, 0, 1.0),
        (0, 5, 2 / 32),  # both tails of Binomial(5, 1/2): 0 or 5 fixes
        (5, 0, 2 / 32),
        (1, 9, 2 * (1 + 10) / 1024),
        (2, 3, 1.0),
        (3, 3, 1.0),
        (0, 10, 2 / 1024),
    ],
)
def test_sign_test_is_mcnemar_exact(regressions: int, fixes: int, want: float) -> None:
    assert sign_test(regressions, fixes) == pytest.approx(want)


def test_sign_test_rejects_negative_counts() -> None:
    with pytest.raises(InvalidArgumentError):
        sign_test(-1, 2)


def test_bootstrap_is_seeded_and_brackets_the_mean() -> None:
    values = [((i * 37) % 101) / 100 for i in range(40)]
    first = bootstrap_ci(values, seed=7)
    assert first == bootstrap_ci(values, seed=7)
    assert first != bootstrap_ci(values, seed=8)
    assert first is not None
    low, high = first
    assert 0.0 <= low < sum(values) / len(values) < high <= 1.0
    narrow = bootstrap_ci(values, confidence=0.5, seed=7)
    assert narrow is not None
    assert low <= narrow[0] <= narrow[1] <= high
    assert bootstrap_ci([]) is None
    assert bootstrap_ci([0.4]) == (0.4, 0.4)
    with pytest.raises(InvalidArgumentError):
        bootstrap_ci(values, confidence=1.0)
    with pytest.raises(InvalidArgumentError):
        bootstrap_ci(values, resamples=0)


def test_bootstrap_of_a_known_spread() -> None:
    # Half zeros, half ones over 200 scenarios: the standard error of the mean is
    # 0.5 / sqrt(200) = 0.0354, so a 95% interval is about 0.5 +- 0.069.
    ci = bootstrap_ci([0.0, 1.0] * 100, resamples=4000)
    assert ci is not None
    assert ci[0] == pytest.approx(0.5 - 0.069, abs=0.015)
    assert ci[1] == pytest.approx(0.5 + 0.069, abs=0.015)


# -- compute_metrics, by hand ---------------------------------------------------------


def test_metrics_of_three_scenarios_by_hand() -> None:
    rows = [
        row("A", 1, "P"), row("A", 2, "F"), row("A", 3, "P"),
        row("B", 1, "E"), row("B", 2, "E"), row("B", 3, "F", score=0.0),
        row("C", 1, "P"), row("C", 2, "P"), row("C", 3, "P"),
    ]  # fmt: skip
    m = compute_metrics(rows)
    assert (m.attempts, m.passed, m.failed, m.errored, m.max_k) == (9, 5, 2, 2, 3)
    assert m.pass_rate == pytest.approx((2 / 3 + 0 + 1) / 3)
    assert m.pass_at_k[1] == pytest.approx(m.pass_rate)
    assert m.pass_at_k[2] == pytest.approx(2 / 3)  # A: 1 - C(1,2)/C(3,2) = 1, B 0, C 1
    assert m.pass_at_k[3] == pytest.approx(2 / 3)
    assert m.pass_hat_k[2] == pytest.approx((1 / 3 + 0 + 1) / 3)  # A: C(2,2)/C(3,2)
    assert m.pass_hat_k[3] == pytest.approx(1 / 3)  # only C passed every attempt
    assert m.mean_score == pytest.approx((2.5 / 3 + 0.0 + 1.0) / 3)
    a = m.scenario("A")
    assert a is not None
    assert (a.attempts, a.passed, a.failed, a.errored) == (3, 2, 1, 0)
    assert a.passing
    assert not m.scenarios[1].passing
    assert m.scenario("Z") is None
    doc = m.to_dict()
    assert doc["pass_at_k"]["2"] == pytest.approx(2 / 3, abs=1e-6)
    assert doc["per_scenario"][0]["outcomes"] == ["passed", "failed", "passed"]


def test_metrics_attempts_are_ordered_and_uneven_counts_limit_k() -> None:
    rows = [row("A", 2, "F"), row("A", 1, "P"), row("B", 1, "P")]
    m = compute_metrics(rows)
    assert m.scenarios[0].outcomes == ("passed", "failed")
    assert m.max_k == 1
    assert list(m.pass_at_k) == [1]
    assert m.pass_rate == pytest.approx((0.5 + 1.0) / 2)


def test_metrics_of_single_attempts_match_the_totals() -> None:
    rows = rows_of({"A": "P", "B": "F", "C": "E", "D": "P"})
    m = compute_metrics(rows)
    totals = BenchmarkResult(rows=rows).totals
    assert m.pass_rate == totals.pass_rate
    assert m.mean_score == pytest.approx(totals.mean_score)
    assert (m.passed, m.failed, m.errored) == (totals.passed, totals.failed, totals.errored)


def test_metrics_are_reproducible_and_empty_is_defined() -> None:
    rows = rows_of({f"s{i}": "PFE"[i % 3] * 2 for i in range(30)})
    assert compute_metrics(rows).to_dict() == compute_metrics(rows).to_dict()
    empty = compute_metrics([])
    assert (empty.pass_rate, empty.mean_score, empty.max_k, empty.pass_at_k) == (0.0, None, 0, {})
    assert empty.pass_rate_ci is None


@st.composite
def attempt_rows(draw: st.DrawFn) -> list[ScenarioResult]:
    scenarios = draw(st.integers(1, 8))
    attempts = draw(st.integers(1, 6))
    outs = st.text(alphabet="PFE", min_size=attempts, max_size=attempts)
    return rows_of({f"s{i}": draw(outs) for i in range(scenarios)})


@given(st.integers(1, 30).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))))
def test_estimator_properties(nc: tuple[int, int]) -> None:
    n, c = nc
    at = [pass_at_k(n, c, k) for k in range(1, n + 1)]
    hat = [pass_hat_k(n, c, k) for k in range(1, n + 1)]
    assert all(0.0 <= v <= 1.0 for v in at + hat)
    assert all(x <= y + 1e-12 for x, y in itertools.pairwise(at))  # monotone up
    assert all(x + 1e-12 >= y for x, y in itertools.pairwise(hat))  # monotone down
    assert math.isclose(at[0], c / n)
    assert math.isclose(hat[0], c / n)
    assert all(h <= a + 1e-12 for h, a in zip(hat, at, strict=True))


@given(attempt_rows())
def test_metrics_properties(rows: list[ScenarioResult]) -> None:
    m = compute_metrics(rows, resamples=50)
    assert m.pass_at_k[1] == pytest.approx(m.pass_rate)
    assert m.pass_rate == pytest.approx(m.passed / m.attempts)  # equal attempts per scenario
    ks = sorted(m.pass_at_k)
    assert all(m.pass_at_k[a] <= m.pass_at_k[b] + 1e-12 for a, b in itertools.pairwise(ks))
    assert m.passed + m.failed + m.errored == m.attempts == len(rows)
    if m.pass_rate_ci is not None:
        assert m.pass_rate_ci[0] - 1e-9 <= m.pass_rate <= m.pass_rate_ci[1] + 1e-9


# -- CSV: no formula injection --------------------------------------------------------


def test_csv_cells_cannot_become_formulas() -> None:
    names = ['=HYPERLINK("http://evil","x")', "+1", "-cmd", "@SUM(A1)", "\tx", "\rx", "ok"]
    rows = [
        ScenarioResult(scenario_id=f"s{i}", scenario_name=n, state="completed", score=0.5)
        for i, n in enumerate(names)
    ]
    rows.append(ScenarioResult(scenario_id="e", error="=1+1", state="failed"))
    read = list(csv.DictReader(io.StringIO(BenchmarkResult(rows=rows).to_csv())))
    got = [r["scenario_name"] for r in read[: len(names)]]
    assert got == ["'" + n for n in names[:-1]] + ["ok"]
    assert read[-1]["error"] == "'=1+1"
    assert read[0]["score"] == "0.5"
    assert read[0]["attempt"] == "1"
