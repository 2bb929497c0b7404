"""The estimators and tests behind the evaluation metrics: pure math, no I/O.

* :func:`pass_at_k` is the unbiased estimator of Chen et al. (2021, "Evaluating Large
  Language Models Trained on Code"): the chance that at least one of ``k`` attempts
  drawn without replacement from ``n`` (``c`` of them passing) passes.
* :func:`pass_hat_k` is τ-bench's ``pass^k`` (Yao et al., 2024): the chance that all
  ``k`` such attempts pass, ``C(c, k) / C(n, k)``; with ``k == n`` it is 1 exactly
  when every attempt passed.
* :func:`bootstrap_ci` is a seeded percentile bootstrap of a mean, so the same data
  always gives the same interval.
* :func:`sign_test` is the exact two-sided binomial test on discordant pairs, which
  is McNemar's exact test for paired pass/fail outcomes.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from .._exceptions import InvalidArgumentError

__all__ = [
    "bootstrap_ci",
    "mean",
    "pass_at_k",
    "pass_hat_k",
    "sign_test",
    "DEFAULT_RESAMPLES",
    "DEFAULT_SEED",
]

#: Resamples drawn by :func:`bootstrap_ci` unless told otherwise.
DEFAULT_RESAMPLES = 2000
#: The seed of every bootstrap unless told otherwise (same data, same interval).
DEFAULT_SEED = 0


def _check_counts(n: int, c: int, k: int) -> None:
    for name, value in (("n", n), ("c", c), ("k", k)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidArgumentError(f"{name} must be an int, got {value!r}")
    if n < 1 or not 0 <= c <= n:
        raise InvalidArgumentError(f"need n >= 1 and 0 <= c <= n, got n={n}, c={c}")
    if not 1 <= k <= n:
        raise InvalidArgumentError(f"k must be in 1..n ({n}), got {k}")


def pass_at_k(n: int, c: int, k: int) -> float:
    """The unbiased estimate of pass@k from ``n`` attempts of which ``c`` passed.

    ``1 - C(n - c, k) / C(n, k)``: the probability that at least one of ``k``
    attempts, drawn without replacement from the ``n``, passed. ``pass_at_k(n, c, 1)
    == c / n``.

    Raises:
        InvalidArgumentError: not ints, ``n < 1``, ``c`` outside ``0..n`` or ``k``
            outside ``1..n``.
    """
    _check_counts(n, c, k)
    if n - c < k:
        return 1.0
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


def pass_hat_k(n: int, c: int, k: int) -> float:
    """The unbiased estimate of pass^k (all ``k`` attempts pass) from ``n`` and ``c``.

    ``C(c, k) / C(n, k)``: the probability that ``k`` attempts drawn without
    replacement from the ``n`` all passed. It measures reliability: an agent that
    passes half the time has pass^1 = 0.5 but pass^4 close to 0.06.

    Raises:
        InvalidArgumentError: as :func:`pass_at_k`.
    """
    _check_counts(n, c, k)
    return math.comb(c, k) / math.comb(n, k)


def mean(values: Sequence[float]) -> float | None:
    """The arithmetic mean, or ``None`` for no values.

    Raises:
        Nothing of its own.
    """
    return math.fsum(values) / len(values) if values else None


def _quantile(ordered: Sequence[float], q: float) -> float:
    # Linear interpolation between closest ranks (numpy's default "linear" method).
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def bootstrap_ci(
    values: Sequence[float],
    *,
    confidence: float = 0.95,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> tuple[float, float] | None:
    """A percentile bootstrap interval for the mean of ``values``.

    Draws ``resamples`` samples of ``len(values)`` values with replacement using a
    ``random.Random(seed)``, so the interval is reproducible. With a single value the
    interval is that value; with none it is ``None``.

    Args:
        values: One number per independent unit (per scenario, or per paired
            scenario for a difference).
        confidence: The interval's coverage, in (0, 1). Default 0.95.
        resamples: How many bootstrap samples. Default 2000.
        seed: The random seed. Default 0.

    Raises:
        InvalidArgumentError: ``confidence`` outside (0, 1) or ``resamples < 1``.
    """
    if not 0.0 < confidence < 1.0:
        raise InvalidArgumentError(f"confidence must be in (0, 1), got {confidence!r}")
    if isinstance(resamples, bool) or not isinstance(resamples, int) or resamples < 1:
        raise InvalidArgumentError(f"resamples must be a positive int, got {resamples!r}")
    if not values:
        return None
    data = [float(v) for v in values]
    if min(data) == max(data):
        return (data[0], data[0])
    rng = random.Random(seed)
    size = len(data)
    means = sorted(sum(rng.choices(data, k=size)) / size for _ in range(resamples))
    tail = (1.0 - confidence) / 2.0
    return (_quantile(means, tail), _quantile(means, 1.0 - tail))


def sign_test(regressions: int, fixes: int) -> float:
    """The exact two-sided p-value that ``regressions`` and ``fixes`` are equally likely.

    McNemar's exact test: under "no change" each discordant pair (a scenario that
    flipped) is a regression or a fix with probability 1/2, so the count of fixes is
    Binomial(regressions + fixes, 1/2). The p-value is the probability of a split at
    least as uneven as the one seen (capped at 1.0); 1.0 when nothing flipped.

    Raises:
        InvalidArgumentError: a negative or non-int count.
    """
    for name, value in (("regressions", regressions), ("fixes", fixes)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidArgumentError(f"{name} must be a non-negative int, got {value!r}")
    flips = regressions + fixes
    if flips == 0:
        return 1.0
    tail = min(regressions, fixes)
    # Exact integer arithmetic: P(X <= tail) for X ~ Binomial(flips, 1/2), doubled.
    count = sum(math.comb(flips, i) for i in range(tail + 1))
    p_value: float = 2 * count / 2**flips
    return min(1.0, p_value)
