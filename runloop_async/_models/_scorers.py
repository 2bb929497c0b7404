"""Custom scorers registered with ``scenarios.scorers``."""

from typing import Any

import attrs

from ._base import Model, extra_field

__all__ = ["ScenarioScorerView"]


@attrs.frozen(kw_only=True, eq=False, repr=False)
class ScenarioScorerView(Model):
    """A custom scorer. Every field is required.

    Attributes:
        id: Scorer id.
        bash_script: Script that reads its context from ``$RL_SCORER_CONTEXT`` (a JSON
            string) and prints the score.
        type: The scorer type name that ``CustomScorer.custom_scorer_type`` refers to.
        extra: Fields this client version does not know, as sent by the server
            (a newer API); ``{}`` when there are none. Not compared, not sent.
    """

    id: str
    bash_script: str
    type: str
    extra: dict[str, Any] = extra_field()
