"""Custom scorers registered with ``scenarios.scorers``."""

import attrs

__all__ = ["ScenarioScorerView"]


@attrs.frozen(kw_only=True)
class ScenarioScorerView:
    """A custom scorer. Every field is required.

    Attributes:
        id: Scorer id.
        bash_script: Script that reads its context from ``$RL_SCORER_CONTEXT`` (a JSON
            string) and prints the score.
        type: The scorer type name that ``CustomScorer.custom_scorer_type`` refers to.
    """

    id: str
    bash_script: str
    type: str
