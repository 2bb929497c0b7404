"""Benchmark jobs ([Beta]): runs of a set of scenarios orchestrated by the server."""

from typing import Any, TypeAlias

import attrs

from ._base import Model, extra_field, redacted_values
from ._states import BenchmarkJobState

__all__ = [
    "AgentConfig",
    "AgentEnvironment",
    "BenchmarkJobCreateSpec",
    "BenchmarkJobSource",
    "BenchmarkJobView",
    "BenchmarkOutcome",
    "ExternalApiAgentConfig",
    "FailureReason",
    "HarborJobCreateSpec",
    "HarborJobSource",
    "InProgressRun",
    "JobAgentConfig",
    "JobCreateSpec",
    "JobSource",
    "JobSpec",
    "OrchestratorConfig",
    "ScenarioOutcome",
    "ScenariosJobCreateSpec",
    "ScenariosJobSource",
    "UnknownAgentConfig",
    "UnknownJobCreateSpec",
    "UnknownJobSource",
]


@attrs.frozen(kw_only=True, eq=False, repr=False)
class AgentEnvironment(Model):
    """Environment given to a job's agent; both fields default to ``None``.

    Attributes:
        environment_variables: Env var name -> value.
        secrets: Env var name -> secret *id*.
    """

    environment_variables: dict[str, str] | None = None
    secrets: dict[str, str] | None = attrs.field(default=None, repr=redacted_values)


@attrs.frozen(kw_only=True, eq=False, repr=False)
class JobAgentConfig(Model):
    """An agent a benchmark job runs (``type="job_agent"``). ``name`` is required.

    Attributes:
        name: Agent name.
        agent_id: Optional if an agent with that name exists; default ``None``.
        model_name: Model override, default ``None`` (the JSON key is ``model_name``).
        timeout_seconds: Per-scenario timeout, default ``None``.
        kwargs: Extra agent arguments, default ``None``.
        agent_environment: Env vars and secrets for the agent, default ``None``.
    """

    name: str
    agent_id: str | None = None
    model_name: str | None = None
    timeout_seconds: float | None = None
    kwargs: dict[str, str] | None = None
    agent_environment: AgentEnvironment | None = None
    type: str = "job_agent"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class ExternalApiAgentConfig(Model):
    """A run driven from outside over the API (``type="external_api"``).

    Attributes:
        info: Free-text description, default ``None``.
    """

    info: str | None = None
    type: str = "external_api"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class UnknownAgentConfig(Model):
    """An agent config whose ``type`` this SDK does not know; ``raw`` is the whole object."""

    type: str
    raw: dict[str, Any]


AgentConfig: TypeAlias = ExternalApiAgentConfig | JobAgentConfig | UnknownAgentConfig
"""``InProgressRun.agent_config``; told apart by ``type`` on the wire."""


@attrs.frozen(kw_only=True, eq=False, repr=False)
class OrchestratorConfig(Model):
    """How a job schedules its trials; every field defaults to ``None`` (server default).

    Attributes:
        n_attempts: Retries of a failed scenario (server default 0).
        n_concurrent_trials: Parallelism (server default 1).
        quiet: Less output (server default false).
        timeout_multiplier: Applied to the timeout on each retry (server default 1.0).
    """

    n_attempts: int | None = None
    n_concurrent_trials: int | None = None
    quiet: bool | None = None
    timeout_multiplier: float | None = None


@attrs.frozen(kw_only=True, eq=False, repr=False)
class JobSpec(Model):
    """The scenarios and execution configuration of a job (response side).

    ``agent_configs`` and ``scenario_ids`` are required; ``orchestrator_config``
    defaults to ``None``.
    """

    agent_configs: list[JobAgentConfig]
    scenario_ids: list[str]
    orchestrator_config: OrchestratorConfig | None = None


# --- job source (union on "type") ---------------------------------------------------


@attrs.frozen(kw_only=True, eq=False, repr=False)
class HarborJobSource(Model):
    """The job came from a Harbor configuration (``type="harbor"``): ``inline_yaml``."""

    inline_yaml: str
    type: str = "harbor"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class BenchmarkJobSource(Model):
    """The job came from a benchmark (``type="benchmark"``); ``benchmark_name`` is optional."""

    benchmark_id: str
    benchmark_name: str | None = None
    type: str = "benchmark"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class ScenariosJobSource(Model):
    """The job came from a list of scenarios (``type="scenarios"``): ``scenario_ids``."""

    scenario_ids: list[str]
    type: str = "scenarios"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class UnknownJobSource(Model):
    """A job source whose ``type`` this SDK does not know; ``raw`` is the whole object."""

    type: str
    raw: dict[str, Any]


JobSource: TypeAlias = HarborJobSource | BenchmarkJobSource | ScenariosJobSource | UnknownJobSource
"""``BenchmarkJobView.job_source``; told apart by ``type`` on the wire."""


# --- create spec (union on "type"; request side) ------------------------------------


@attrs.frozen(kw_only=True, eq=False, repr=False)
class HarborJobCreateSpec(Model):
    """Create a job from an inline Harbor YAML configuration (``type="harbor"``)."""

    inline_yaml: str
    type: str = "harbor"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class BenchmarkJobCreateSpec(Model):
    """Run a benchmark's scenarios with one or more agents (``type="benchmark"``).

    ``benchmark_id`` and ``agent_configs`` (at least one) are required;
    ``orchestrator_config`` defaults to ``None``.
    """

    benchmark_id: str
    agent_configs: list[JobAgentConfig]
    orchestrator_config: OrchestratorConfig | None = None
    type: str = "benchmark"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class ScenariosJobCreateSpec(Model):
    """Run a list of scenarios with one or more agents (``type="scenarios"``).

    ``scenario_ids`` and ``agent_configs`` (at least one) are required;
    ``orchestrator_config`` defaults to ``None``.
    """

    scenario_ids: list[str]
    agent_configs: list[JobAgentConfig]
    orchestrator_config: OrchestratorConfig | None = None
    type: str = "scenarios"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class UnknownJobCreateSpec(Model):
    """A create spec of a ``type`` this SDK does not know; sent exactly as ``raw``."""

    type: str
    raw: dict[str, Any]


JobCreateSpec: TypeAlias = (
    HarborJobCreateSpec | BenchmarkJobCreateSpec | ScenariosJobCreateSpec | UnknownJobCreateSpec
)
"""The ``spec`` of a benchmark job create body; told apart by ``type``."""


# --- job view -------------------------------------------------------------------------


@attrs.frozen(kw_only=True, eq=False, repr=False)
class FailureReason(Model):
    """Why a scenario failed inside a job: ``exception_type`` and ``exception_message``."""

    exception_type: str
    exception_message: str


@attrs.frozen(kw_only=True, eq=False, repr=False)
class ScenarioOutcome(Model):
    """How one scenario went in a job's benchmark run.

    ``scenario_definition_id``, ``scenario_name`` and ``state`` are required; the rest
    default to ``None``.

    Attributes:
        state: One of :class:`ScenarioOutcomeState` (upper case; kept as ``str``).
        scenario_run_id: Missing if the scenario failed during setup.
        score: Only when ``state`` is ``COMPLETED``.
    """

    scenario_definition_id: str
    scenario_name: str
    state: str
    duration_ms: int | None = None
    failure_reason: FailureReason | None = None
    scenario_run_id: str | None = None
    score: float | None = None


@attrs.frozen(kw_only=True, eq=False, repr=False)
class BenchmarkOutcome(Model):
    """The result of one finished benchmark run of a job (one per agent config).

    All fields are required except ``average_score``, ``duration_ms`` and
    ``model_name`` (default ``None``).

    Attributes:
        average_score: Mean over the completed scenarios.
    """

    agent_name: str
    benchmark_run_id: str
    n_completed: int
    n_failed: int
    n_timeout: int
    scenario_outcomes: list[ScenarioOutcome]
    average_score: float | None = None
    duration_ms: int | None = None
    model_name: str | None = None


@attrs.frozen(kw_only=True, eq=False, repr=False)
class InProgressRun(Model):
    """A benchmark run of a job that has not finished yet.

    ``benchmark_run_id``, ``start_time_ms`` and ``state`` are required;
    ``duration_ms`` and ``agent_config`` default to ``None``.

    Attributes:
        state: One of :class:`BenchmarkRunState` (kept as ``str``).
    """

    benchmark_run_id: str
    start_time_ms: int
    state: str
    duration_ms: int | None = None
    agent_config: AgentConfig | None = None


@attrs.frozen(kw_only=True, eq=False, repr=False)
class BenchmarkJobView(Model):
    """A benchmark job ([Beta]) that runs a set of scenarios entirely on Runloop.

    ``id``, ``name``, ``create_time_ms`` and ``state`` are required; the rest default
    to ``None``.

    Attributes:
        state: One of :class:`BenchmarkJobState` (note ``cancelled``; kept as ``str``).
        benchmark_outcomes: One per finished benchmark run of the job.
        in_progress_runs: Runs not finished yet.
        job_source: What the job was created from.
        job_spec: The scenarios and execution configuration.
        extra: Fields this client version does not know, as sent by the server
            (a newer API); ``{}`` when there are none. Not compared, not sent.
    """

    id: str
    name: str
    create_time_ms: int
    state: str
    benchmark_outcomes: list[BenchmarkOutcome] | None = None
    failure_reason: str | None = None
    in_progress_runs: list[InProgressRun] | None = None
    job_source: JobSource | None = None
    job_spec: JobSpec | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def is_terminal(self) -> bool:
        """Whether the job is in a state it never leaves (``BenchmarkJobState.TERMINAL``)."""
        return self.state in BenchmarkJobState.TERMINAL
