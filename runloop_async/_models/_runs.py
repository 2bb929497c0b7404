"""Scenario runs, their scoring results and a run's logs archive.

Apart from the other models: this is what reading a scenario run needs, and a
script that only retrieves or lists runs loads nothing else (the rest of
``runloop_async._models`` loads on first use; figures in benchmarks/RESULTS.md).
"""

import os
from typing import Any

import attrs

from ._base import Model, extra_field, redacted_values
from ._states import ScenarioRunState

__all__ = [
    "LogsArchive",
    "ScenarioRunView",
    "ScoringContractResultView",
    "ScoringFunctionResultView",
]


@attrs.frozen(kw_only=True, eq=False, repr=False)
class ScoringFunctionResultView(Model):
    """The result of one scoring function. Every field is required.

    Attributes:
        scoring_function_name: The ``ScoringFunction.name`` it belongs to.
        score: Its score, between 0 and 1.
        output: The scoring function's log output.
        state: One of :class:`ScoringFunctionResultState` (kept as ``str``).
    """

    scoring_function_name: str
    score: float
    output: str
    state: str


@attrs.frozen(kw_only=True, eq=False, repr=False)
class ScoringContractResultView(Model):
    """The result of scoring a run. Both fields are required.

    Attributes:
        score: The weighted total across all scoring functions, between 0 and 1.
        scoring_function_results: One result per scoring function.
    """

    score: float
    scoring_function_results: list[ScoringFunctionResultView]


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
