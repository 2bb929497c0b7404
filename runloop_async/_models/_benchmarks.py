"""Benchmarks and benchmark runs."""

from typing import Any

import attrs

from ._base import Model, extra_field, redacted_values
from ._states import BenchmarkRunState

__all__ = ["BenchmarkRunView", "BenchmarkView"]


@attrs.frozen(kw_only=True, eq=False, repr=False)
class BenchmarkView(Model):
    """A benchmark: a named set of scenarios.

    ``id``, ``name``, ``metadata``, ``scenario_ids`` and ``status`` are required; the
    rest default to ``None``.

    Attributes:
        scenario_ids: The scenarios of the benchmark. The JSON key is ``scenarioIds``
            (camelCase) in responses; ``scenario_ids`` is accepted too.
        status: One of :class:`BenchmarkStatus` (kept as ``str``); archived benchmarks
            are left out of listings and cannot be run.
        required_environment_variables: Env vars a run must be given.
        required_secret_names: Secrets a run must be given.
        extra: Fields this client version does not know, as sent by the server
            (a newer API); ``{}`` when there are none. Not compared, not sent.
    """

    id: str
    name: str
    metadata: dict[str, str]
    scenario_ids: list[str]
    status: str
    attribution: str | None = None
    description: str | None = None
    is_public: bool | None = None
    required_environment_variables: list[str] | None = None
    required_secret_names: list[str] | None = None
    extra: dict[str, Any] = extra_field()


@attrs.frozen(kw_only=True, eq=False, repr=False)
class BenchmarkRunView(Model):
    """A run of a complete set of scenarios, under a benchmark or made by a job.

    ``id``, ``metadata``, ``start_time_ms`` and ``state`` are required; the rest default
    to ``None``.

    Attributes:
        start_time_ms: When execution started, Unix epoch milliseconds.
        state: One of :class:`BenchmarkRunState` (kept as ``str``).
        benchmark_id: Set when the run came from a benchmark definition.
        duration_ms: How long the run took, in milliseconds.
        environment_variables: Env vars set on every scenario devbox.
        score: Final score (mean over the scenario runs), present once completed.
        secrets_provided: Env var name -> secret name set on every scenario devbox.
        extra: Fields this client version does not know, as sent by the server
            (a newer API); ``{}`` when there are none. Not compared, not sent.
    """

    id: str
    metadata: dict[str, str]
    start_time_ms: int
    state: str
    benchmark_id: str | None = None
    duration_ms: int | None = None
    environment_variables: dict[str, str] | None = None
    name: str | None = None
    purpose: str | None = None
    score: float | None = None
    secrets_provided: dict[str, str] | None = attrs.field(default=None, repr=redacted_values)
    extra: dict[str, Any] = extra_field()

    @property
    def is_terminal(self) -> bool:
        """Whether the run is in a state it never leaves (``BenchmarkRunState.TERMINAL``)."""
        return self.state in BenchmarkRunState.TERMINAL
