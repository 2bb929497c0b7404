"""Chosen scoring outcomes: a fixed score, or a seeded per-scenario pass probability.

By default a scenario's score comes from its scoring contract (``FAIL`` / ``PARTIAL``
in a scorer's text). A test, or a demo, can instead give a scenario:

* a fixed score (``set_score``), which every later scoring returns, so an outcome
  can change between two runs;
* a pass probability (``set_pass_probability``, or the scenario metadata key
  ``emulator_pass_probability``): each scoring passes (score 1.0) with that
  probability, else scores below 1.0. Draw ``n`` of a scenario depends only on the
  emulator's ``seed``, the scenario's name and ``n``, so repeated runs give the same
  mixed outcomes in any order of completion across scenarios.
"""

from __future__ import annotations

import random
from typing import Any, Final

__all__ = ["PASS_PROBABILITY_KEY", "ScoringPlan", "FAILED_MAX", "check_fraction"]

#: Scenario metadata key: the pass probability (``"0.7"``) of every scoring.
PASS_PROBABILITY_KEY: Final = "emulator_pass_probability"
#: A failed draw scores uniformly in [0, FAILED_MAX] (partial credit, never a pass).
FAILED_MAX: Final = 0.9


def check_fraction(value: float, what: str) -> float:
    """``value`` as a float in [0, 1].

    Raises:
        ValueError: not a number in [0, 1].
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError(f"{what} must be a number in [0, 1], not {value!r}")
    return float(value)


class ScoringPlan:
    """Fixed scores and pass probabilities by scenario id or name, and draw counters."""

    def __init__(self) -> None:
        self.scores: dict[str, float] = {}
        self.probabilities: dict[str, float] = {}
        self.draws: dict[str, int] = {}

    def clear(self) -> None:
        """Forget every choice and counter."""
        self.scores.clear()
        self.probabilities.clear()
        self.draws.clear()

    @staticmethod
    def _first(table: dict[str, float], scenario: dict[str, Any]) -> float | None:
        for key in (scenario["id"], scenario.get("name")):
            if key is not None and key in table:
                return table[key]
        return None

    def _probability(self, scenario: dict[str, Any]) -> float | None:
        chosen = self._first(self.probabilities, scenario)
        if chosen is not None:
            return chosen
        text = (scenario.get("metadata") or {}).get(PASS_PROBABILITY_KEY)
        try:
            return None if text is None else check_fraction(float(text), PASS_PROBABILITY_KEY)
        except ValueError:  # a malformed value is ignored: the contract decides
            return None

    def score_for(self, scenario: dict[str, Any], seed: int) -> float | None:
        """The chosen score of the next scoring of ``scenario``, or ``None`` (the contract
        decides). Each call with a probability consumes one draw."""
        fixed = self._first(self.scores, scenario)
        if fixed is not None:
            return fixed
        probability = self._probability(scenario)
        if probability is None:
            return None
        n = self.draws.get(scenario["id"], 0)
        self.draws[scenario["id"]] = n + 1
        rng = random.Random(f"{seed}:{scenario.get('name')}:{n}")
        if rng.random() < probability:
            return 1.0
        return round(rng.uniform(0.0, FAILED_MAX), 3)
