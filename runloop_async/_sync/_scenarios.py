"""Blocking ``client.scenarios``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Unpack

from .._config import NOT_GIVEN, NotGiven, PollingConfig, RequestOptions, WaitOptions
from .._models import ScenarioRunView
from .._resources.scenarios import AsyncScenarios
from ._base import SyncResource
from ._managed import ManagedRun
from ._portal import LoopThread
from ._runs import Runs
from ._scorers import Scorers

if TYPE_CHECKING:
    # Annotations only: these models load on first use (runloop_async._models).
    from .._models import (
        InputContext,
        InputContextUpdate,
        RunProfile,
        ScenarioEnvironment,
        ScenarioView,
        ScoringContract,
        ScoringContractUpdate,
    )
    from ._pager import SyncPage  # loads with the first list call

__all__ = ["Scenarios"]

_Json = Mapping[str, Any]


class Scenarios(SyncResource[AsyncScenarios]):
    """Scenarios (blocking twin of :class:`AsyncScenarios`).

    Sub-resources: :attr:`runs` (scenario runs) and :attr:`scorers` (custom scorers).
    """

    __slots__ = ("runs", "scorers")

    def __init__(self, loop: LoopThread, async_resource: AsyncScenarios) -> None:
        super().__init__(loop, async_resource)
        self.runs = Runs(loop, async_resource.runs)
        self.scorers = Scorers(loop, async_resource.scorers)

    def create(
        self,
        *,
        name: str,
        input_context: InputContext | _Json,
        scoring_contract: ScoringContract | _Json,
        environment_parameters: ScenarioEnvironment | _Json | NotGiven | None = NOT_GIVEN,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        reference_output: str | NotGiven | None = NOT_GIVEN,
        required_environment_variables: Sequence[str] | NotGiven | None = NOT_GIVEN,
        required_secret_names: Sequence[str] | NotGiven | None = NOT_GIVEN,
        scorer_timeout_sec: int | NotGiven | None = NOT_GIVEN,
        validation_type: str | NotGiven | None = NOT_GIVEN,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> ScenarioView:
        """Create a scenario. Blocking twin of ``AsyncScenarios.create``.

        Raises:
            BadRequestError: the server rejected the definition.
            APIError: any other failure (see the error tree).
        """
        return self._call(
            self._async.create, name=name, input_context=input_context,
            scoring_contract=scoring_contract, environment_parameters=environment_parameters,
            metadata=metadata, reference_output=reference_output,
            required_environment_variables=required_environment_variables,
            required_secret_names=required_secret_names, scorer_timeout_sec=scorer_timeout_sec,
            validation_type=validation_type, idempotency_key=idempotency_key, **options,
        )  # fmt: skip

    def retrieve(self, id: str, **options: Unpack[RequestOptions]) -> ScenarioView:
        """Get a scenario by id. Blocking twin of ``AsyncScenarios.retrieve``.

        Raises:
            NotFoundError: no scenario with that id.
            InvalidArgumentError: ``id`` is empty.
        """
        return self._call(self._async.retrieve, id, **options)

    def update(
        self,
        id: str,
        *,
        environment_parameters: ScenarioEnvironment | _Json | NotGiven | None = NOT_GIVEN,
        input_context: InputContextUpdate | _Json | NotGiven | None = NOT_GIVEN,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        name: str | NotGiven | None = NOT_GIVEN,
        reference_output: str | NotGiven | None = NOT_GIVEN,
        required_environment_variables: Sequence[str] | NotGiven | None = NOT_GIVEN,
        required_secret_names: Sequence[str] | NotGiven | None = NOT_GIVEN,
        scorer_timeout_sec: int | NotGiven | None = NOT_GIVEN,
        scoring_contract: ScoringContractUpdate | _Json | NotGiven | None = NOT_GIVEN,
        validation_type: str | NotGiven | None = NOT_GIVEN,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> ScenarioView:
        """Update a scenario. Blocking twin of ``AsyncScenarios.update``.

        Raises:
            NotFoundError: no scenario with that id.
            BadRequestError: the scenario is archived or a value is invalid.
        """
        return self._call(
            self._async.update, id, environment_parameters=environment_parameters,
            input_context=input_context, metadata=metadata, name=name,
            reference_output=reference_output,
            required_environment_variables=required_environment_variables,
            required_secret_names=required_secret_names, scorer_timeout_sec=scorer_timeout_sec,
            scoring_contract=scoring_contract, validation_type=validation_type,
            idempotency_key=idempotency_key, **options,
        )  # fmt: skip

    def list(
        self,
        *,
        benchmark_id: str | NotGiven = NOT_GIVEN,
        include_total_count: bool | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        name: str | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
        starting_after: str | NotGiven = NOT_GIVEN,
        validation_type: str | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[ScenarioView]:
        """List scenarios (archived ones left out). Blocking twin of ``AsyncScenarios.list``.

        Raises:
            InvalidArgumentError: ``limit`` out of range (before any request).
        """
        return self._paged(
            self._async.list, benchmark_id=benchmark_id,
            include_total_count=include_total_count, limit=limit, name=name, search=search,
            starting_after=starting_after, validation_type=validation_type, **options,
        )  # fmt: skip

    def archive(
        self, id: str, *, idempotency_key: str | None = None, **options: Unpack[RequestOptions]
    ) -> ScenarioView:
        """Archive a scenario. Blocking twin of ``AsyncScenarios.archive``.

        Raises:
            NotFoundError: no scenario with that id.
        """
        return self._call(self._async.archive, id, idempotency_key=idempotency_key, **options)

    def list_public(
        self,
        *,
        include_total_count: bool | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        name: str | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
        starting_after: str | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[ScenarioView]:
        """List public scenarios. Blocking twin of ``AsyncScenarios.list_public``.

        Raises:
            InvalidArgumentError: ``limit`` out of range.
        """
        return self._paged(
            self._async.list_public, include_total_count=include_total_count, limit=limit,
            name=name, search=search, starting_after=starting_after, **options,
        )  # fmt: skip

    def start_run(
        self,
        *,
        scenario_id: str,
        benchmark_run_id: str | NotGiven | None = NOT_GIVEN,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        run_name: str | NotGiven | None = NOT_GIVEN,
        run_profile: RunProfile | _Json | NotGiven | None = NOT_GIVEN,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> ScenarioRunView:
        """Start a run of a scenario on a new devbox. Blocking twin of
        ``AsyncScenarios.start_run``.

        Raises:
            NotFoundError: no such scenario (or benchmark run).
            BadRequestError: required environment variables or secrets are missing.
        """
        return self._call(
            self._async.start_run, scenario_id=scenario_id, benchmark_run_id=benchmark_run_id,
            metadata=metadata, run_name=run_name, run_profile=run_profile,
            idempotency_key=idempotency_key, **options,
        )  # fmt: skip

    def start_run_and_await_env_ready(
        self,
        scenario_id: str,
        # Positional in this order, as in the official AsyncRunloop 1.32.
        benchmark_run_id: str | NotGiven | None = NOT_GIVEN,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        run_name: str | NotGiven | None = NOT_GIVEN,
        run_profile: RunProfile | _Json | NotGiven | None = NOT_GIVEN,
        polling_config: PollingConfig | None = None,
        *,
        timeout: float | NotGiven | None = NOT_GIVEN,
        idempotency_key: str | None = None,
        **options: Unpack[WaitOptions],
    ) -> ScenarioRunView:
        """:meth:`start_run`, then wait until the run's devbox is ``running``.

        Blocking twin of ``AsyncScenarios.start_run_and_await_env_ready``: if the wait
        fails or is interrupted (Ctrl-C), the run is canceled (best effort).

        Raises:
            DevboxFailedError: the devbox reached ``failure`` or ``shutdown``.
            WaitTimeoutError: the devbox was not ready in time.
        """
        return self._call(
            self._async.start_run_and_await_env_ready, scenario_id,
            benchmark_run_id=benchmark_run_id, metadata=metadata, run_name=run_name,
            run_profile=run_profile, timeout=timeout, polling_config=polling_config,
            idempotency_key=idempotency_key, **options,
        )  # fmt: skip

    def managed_run(
        self,
        scenario_id: str,
        *,
        benchmark_run_id: str | NotGiven | None = NOT_GIVEN,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        run_name: str | NotGiven | None = NOT_GIVEN,
        run_profile: RunProfile | _Json | NotGiven | None = NOT_GIVEN,
        timeout: float | NotGiven | None = NOT_GIVEN,
        keep_on_error: bool = False,
        idempotency_key: str | None = None,
    ) -> ManagedRun:
        """A scenario run that always ends: ``with ... as run:``.

        Blocking twin of ``AsyncScenarios.managed_run``: entering starts the run and
        waits for its devbox; leaving completes it if scored, cancels it otherwise.

        Args:
            keep_on_error: Leave an unscored run up when the block raised. Default False.

        Raises:
            DevboxFailedError: (on entry) the devbox failed to start.
            WaitTimeoutError: (on entry) the devbox was not ready in time.
            NotFoundError: (on entry) no scenario with that id.
        """
        return self._managed(
            self._async.managed_run, scenario_id, benchmark_run_id=benchmark_run_id,
            metadata=metadata, run_name=run_name, run_profile=run_profile, timeout=timeout,
            keep_on_error=keep_on_error, idempotency_key=idempotency_key,
        )  # fmt: skip
