"""``client.scenarios``: create, retrieve, update, list, archive and start scenario runs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Unpack

from .. import _models  # the scenario models load on first use, not here
from .._config import NOT_GIVEN, NotGiven, PollingConfig, RequestOptions, WaitOptions
from .._models import ScenarioRunView
from .._request import path_segment
from ._base import Resource, body
from ._checked import check_own, own_checks
from .runs import AsyncRuns
from .scorers import AsyncScorers

if TYPE_CHECKING:
    from .._models import (
        InputContext,
        InputContextUpdate,
        RunProfile,
        ScenarioEnvironment,
        ScenarioView,
        ScoringContract,
        ScoringContractUpdate,
    )
    from .._pager import AsyncPager  # loads with the first list call
    from .managed import AsyncManagedRun

__all__ = ["AsyncScenarios"]

_Json = Mapping[str, Any]


class AsyncScenarios(Resource):
    """Scenarios: repeatable AI coding evaluations (environment + scoring contract).

    Sub-resources: :attr:`runs` (scenario runs) and ``scorers`` (custom scorers).
    """

    __slots__ = ("runs", "scorers")

    def __init__(self, core: Any) -> None:
        super().__init__(core)
        self.runs = AsyncRuns(core)
        self.scorers = AsyncScorers(core)

    async def create(
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
        """Create a scenario (``POST /v1/scenarios``).

        Nested arguments take models (``InputContext(...)``) or plain dicts shaped as
        the wire JSON. Arguments left out are not sent; ``None`` is sent as null.
        The server defaults ``scorer_timeout_sec`` to 1800.

        Raises:
            BadRequestError: the server rejected the definition.
            APIError: any other failure (see the error tree).
        """
        payload = body(
            name=name,
            input_context=input_context,
            scoring_contract=scoring_contract,
            environment_parameters=environment_parameters,
            metadata=metadata,
            reference_output=reference_output,
            required_environment_variables=required_environment_variables,
            required_secret_names=required_secret_names,
            scorer_timeout_sec=scorer_timeout_sec,
            validation_type=validation_type,
        )
        return await self._core.request_model(
            _models.ScenarioView, "POST", "/v1/scenarios", body=payload,
            options=options, idempotency_key=idempotency_key,
        )  # fmt: skip

    @own_checks
    async def retrieve(self, id: str, **options: Unpack[RequestOptions]) -> ScenarioView:
        """Get a scenario by id (archived ones too).

        Raises:
            NotFoundError: no scenario with that id.
            InvalidArgumentError: ``id`` is empty.
        """
        if options:
            check_own(AsyncScenarios.retrieve, options)
        path = f"/v1/scenarios/{path_segment(id)}"
        # Core.request itself, not request_model: one call fewer (a runner's path).
        view: ScenarioView = await self._core.request(
            "GET", path, options=options, model=_models.ScenarioView
        )
        return view

    async def update(
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
        """Update a scenario (``POST /v1/scenarios/{id}``).

        Missing or ``None`` fields keep their value; given ones replace it (``""``,
        ``[]`` and ``{}`` clear). Archived scenarios cannot be updated.

        Raises:
            NotFoundError: no scenario with that id.
            BadRequestError: the scenario is archived or a value is invalid.
        """
        payload = body(
            environment_parameters=environment_parameters,
            input_context=input_context,
            metadata=metadata,
            name=name,
            reference_output=reference_output,
            required_environment_variables=required_environment_variables,
            required_secret_names=required_secret_names,
            scorer_timeout_sec=scorer_timeout_sec,
            scoring_contract=scoring_contract,
            validation_type=validation_type,
        )
        return await self._core.request_model(
            _models.ScenarioView, "POST", f"/v1/scenarios/{path_segment(id)}", body=payload,
            options=options, idempotency_key=idempotency_key,
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
    ) -> AsyncPager[ScenarioView]:
        """List scenarios (``GET /v1/scenarios``); archived ones are left out.

        ``await`` the result for the first page, or ``async for`` over it for every
        scenario. ``limit`` is the page size (server default 20, 1..5000).

        Raises:
            InvalidArgumentError: ``limit`` out of range (before any request).
        """
        return self._list(
            _models.ScenarioView, "/v1/scenarios", "scenarios", options,
            benchmark_id=benchmark_id, include_total_count=include_total_count, limit=limit,
            name=name, search=search, starting_after=starting_after,
            validation_type=validation_type,
        )  # fmt: skip

    async def archive(
        self, id: str, *, idempotency_key: str | None = None, **options: Unpack[RequestOptions]
    ) -> ScenarioView:
        """Archive a scenario: it leaves listings but can still be retrieved.

        Raises:
            NotFoundError: no scenario with that id.
        """
        return await self._core.request_model(
            _models.ScenarioView, "POST", f"/v1/scenarios/{path_segment(id)}/archive",
            options=options, idempotency_key=idempotency_key,
        )  # fmt: skip

    def list_public(
        self,
        *,
        include_total_count: bool | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        name: str | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
        starting_after: str | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[ScenarioView]:
        """List public scenarios (``GET /v1/scenarios/list_public``); a pager as :meth:`list`.

        Raises:
            InvalidArgumentError: ``limit`` out of range.
        """
        path = "/v1/scenarios/list_public"
        return self._list(
            _models.ScenarioView, path, "scenarios", options,
            include_total_count=include_total_count, limit=limit, name=name, search=search,
            starting_after=starting_after,
        )  # fmt: skip

    @own_checks
    async def start_run(
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
        """Start a run of a scenario on a new devbox (``POST /v1/scenarios/start_run``).

        The run comes back ``running`` at once, but its devbox may still be booting:
        wait for it with ``start_run_and_await_env_ready`` or ``devboxes.await_running``.
        ``run_profile`` is sent under the wire key ``runProfile``.

        Raises:
            NotFoundError: no such scenario (or benchmark run).
            BadRequestError: required environment variables or secrets are missing.
        """
        if options or idempotency_key is not None:
            check_own(AsyncScenarios.start_run, options, idempotency_key)
        payload = body(
            scenario_id=scenario_id,
            benchmark_run_id=benchmark_run_id,
            metadata=metadata,
            run_name=run_name,
            runProfile=run_profile,
        )
        run: ScenarioRunView = await self._core.request(
            "POST", "/v1/scenarios/start_run", body=payload, options=options,
            idempotency_key=idempotency_key, model=ScenarioRunView,
        )  # fmt: skip
        return run

    async def start_run_and_await_env_ready(
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

        Returns the view ``start_run`` gave (as the official SDK does). If the devbox
        fails, the wait times out, or the caller is cancelled, the run is canceled
        (shielded, retried through transient failures for up to 120 s) so its devbox
        does not linger.

        Args:
            timeout: Deadline for the devbox wait. Default 600 s; ``None`` = forever.
            polling_config: The official settings, for ports (sets the deadline).

        Raises:
            DevboxFailedError: the devbox reached ``failure`` or ``shutdown``.
            WaitTimeoutError: the devbox was not ready in time.
        """
        run = await self.start_run(
            scenario_id=scenario_id, benchmark_run_id=benchmark_run_id, metadata=metadata,
            run_name=run_name, run_profile=run_profile, idempotency_key=idempotency_key,
            **options,
        )  # fmt: skip
        try:
            # Imported here: the devbox models load with the first readiness wait.
            from .devboxes import AsyncDevboxes

            await AsyncDevboxes(self._core).await_running(
                run.devbox_id, timeout=timeout, polling_config=polling_config, **options
            )
        except BaseException:
            from .._steps import end_run  # with the first failed start, not at import

            # Shielded and retried (end_run); the original error is what the caller sees.
            await end_run(self.runs, run.id, state=run.state)
            raise
        return run

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
    ) -> AsyncManagedRun:
        """A scenario run that always ends: ``async with ... as run:``.

        Entering is :meth:`start_run_and_await_env_ready` (``timeout`` is its devbox
        deadline, default 600 s) and gives the run. Leaving, however the block ends
        (an exception, a cancellation), completes the run if it was scored and
        cancels it otherwise, so its devbox shuts down::

            async with client.scenarios.managed_run(scenario_id) as run:
                await my_agent(run.devbox_id)
                scored = await client.scenarios.runs.score_and_await(run.id)

        Args:
            keep_on_error: Leave an unscored run up (for debugging) when the block
                raised. Default False.

        Raises:
            DevboxFailedError: (on entry) the devbox failed to start.
            WaitTimeoutError: (on entry) the devbox was not ready in time.
            NotFoundError: (on entry) no scenario with that id.
        """
        start = {
            "scenario_id": scenario_id, "benchmark_run_id": benchmark_run_id,
            "metadata": metadata, "run_name": run_name, "run_profile": run_profile,
            "timeout": timeout, "idempotency_key": idempotency_key,
        }  # fmt: skip
        from .managed import AsyncManagedRun  # with the first managed run, not at import

        return AsyncManagedRun(self, start, keep_on_error=keep_on_error)
