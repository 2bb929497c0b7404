"""Scenarios (their runs are in ``_runs``)."""

from typing import Any

import attrs

from ._base import Model, extra_field
from ._common import LaunchParameters
from ._scoring import ScoringContract

__all__ = [
    "InputContext",
    "InputContextUpdate",
    "ScenarioEnvironment",
    "ScenarioView",
]


@attrs.frozen(kw_only=True, eq=False, repr=False)
class InputContext(Model):
    """What the agent is asked to do.

    Attributes:
        problem_statement: The task (required).
        additional_context: Any JSON with extra structured context, default ``None``.
    """

    problem_statement: str
    additional_context: Any = None


@attrs.frozen(kw_only=True, eq=False, repr=False)
class InputContextUpdate(Model):
    """Update form of :class:`InputContext`; ``None`` (the default) keeps the old value."""

    problem_statement: str | None = None
    additional_context: Any = None


@attrs.frozen(kw_only=True, eq=False, repr=False)
class ScenarioEnvironment(Model):
    """The environment a scenario runs in. Every field defaults to ``None``.

    Sent as ``environment_parameters`` in create/update bodies; comes back as
    ``ScenarioView.environment``.

    Attributes:
        blueprint_id: Blueprint to boot the devbox from.
        snapshot_id: Snapshot to boot the devbox from.
        launch_parameters: Devbox launch parameters.
        working_directory: Where the agent works and where scoring functions run.
    """

    blueprint_id: str | None = None
    snapshot_id: str | None = None
    launch_parameters: LaunchParameters | None = None
    working_directory: str | None = None


@attrs.frozen(kw_only=True, eq=False, repr=False)
class ScenarioView(Model):
    """A scenario: a repeatable evaluation test (environment plus success criteria).

    ``id``, ``name``, ``input_context``, ``scoring_contract``, ``metadata`` and
    ``status`` are required; the rest default to ``None``.

    Attributes:
        status: One of :class:`ScenarioStatus` (kept as ``str``); archived scenarios
            are left out of listings and cannot be updated.
        environment: The environment (sent as ``environment_parameters`` in requests).
        reference_output: The reference solution ("gold patch").
        required_environment_variables: Env vars a run must be given.
        required_secret_names: Secrets a run must be given.
        scorer_timeout_sec: Scoring timeout (server default 1800).
        validation_type: One of :class:`ValidationType` (kept as ``str``).
        extra: Fields this client version does not know, as sent by the server
            (a newer API); ``{}`` when there are none. Not compared, not sent.
    """

    id: str
    name: str
    input_context: InputContext
    scoring_contract: ScoringContract
    metadata: dict[str, str]
    status: str
    environment: ScenarioEnvironment | None = None
    is_public: bool | None = None
    reference_output: str | None = None
    required_environment_variables: list[str] | None = None
    required_secret_names: list[str] | None = None
    scorer_timeout_sec: int | None = None
    validation_type: str | None = None
    extra: dict[str, Any] = extra_field()
