"""Scenarios and scenario runs (and a run's logs archive)."""

import os
from typing import Any

import attrs

from ._base import Model
from ._common import LaunchParameters, extra_field, redacted_values
from ._scoring import ScoringContract, ScoringContractResultView
from ._states import ScenarioRunState

__all__ = [
    "InputContext",
    "InputContextUpdate",
    "LogsArchive",
    "ScenarioEnvironment",
    "ScenarioRunView",
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


@attrs.frozen(kw_only=True, eq=False, repr=False)
class ScenarioRunView(Model):
    """A single run of a scenario on a devbox.

    ``id``, ``scenario_id``, ``devbox_id``, ``state`` and ``metadata`` are required;
    the rest default to ``None``.

    Attributes:
        devbox_id: The devbox the run uses; it may still be booting right after
            ``start_run``.
        state: One of :class:`ScenarioRunState` (kept as ``str``).
        benchmark_run_id: The benchmark run this run belongs to, if any.
        name: The ``run_name`` given to ``start_run``.
        scoring_contract_result: Filled in once the run is scored.
        start_time_ms: Start time, Unix epoch milliseconds.
        duration_ms: How long the run took, in milliseconds.
        purpose: From ``RunProfile.purpose``.
        environment_variables: Env vars used for the run.
        secrets_provided: Env var name -> secret name used for the run.
        extra: Fields this client version does not know, as sent by the server
            (a newer API); ``{}`` when there are none. Not compared, not sent.
    """

    id: str
    scenario_id: str
    devbox_id: str
    state: str
    metadata: dict[str, str]
    benchmark_run_id: str | None = None
    name: str | None = None
    scoring_contract_result: ScoringContractResultView | None = None
    start_time_ms: int | None = None
    duration_ms: int | None = None
    purpose: str | None = None
    environment_variables: dict[str, str] | None = None
    secrets_provided: dict[str, str] | None = attrs.field(default=None, repr=redacted_values)
    extra: dict[str, Any] = extra_field()

    @property
    def score(self) -> float | None:
        """The run's total score, or ``None`` until it is scored."""
        result = self.scoring_contract_result
        return None if result is None else result.score

    @property
    def scorer_outputs(self) -> dict[str, str]:
        """Each scoring function's log output by its name; ``{}`` until the run is scored.

        The output is what a failed test prints: the first thing to read when a
        score is below 1.
        """
        result = self.scoring_contract_result
        if result is None:
            return {}
        return {r.scoring_function_name: r.output for r in result.scoring_function_results}

    @property
    def is_terminal(self) -> bool:
        """Whether the run is in a state it never leaves (``ScenarioRunState.TERMINAL``)."""
        return self.state in ScenarioRunState.TERMINAL


@attrs.frozen
class LogsArchive:
    """The zip archive of a scenario run's logs, held in memory.

    Attributes:
        content: The zip file's bytes.
    """

    content: bytes = attrs.field(repr=lambda b: f"<{len(b)} bytes>")

    def read(self) -> bytes:
        """The zip bytes (as the official ``BinaryAPIResponse.read()``)."""
        return self.content

    def write_to_file(self, file: str | os.PathLike[str]) -> None:
        """Write the zip to ``file`` (as the official ``write_to_file``)."""
        with open(file, "wb") as handle:
            handle.write(self.content)

    def __len__(self) -> int:
        return len(self.content)

    def __bytes__(self) -> bytes:
        return self.content
