"""``client.benchmarks``: named sets of scenarios, and starting runs of them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Unpack

from .._config import NOT_GIVEN, NotGiven, RequestOptions
from .._models import BenchmarkRunView, BenchmarkView, RunProfile, ScenarioView
from .._pager import AsyncPager
from .._request import path_segment
from ._base import Resource, body

__all__ = ["AsyncBenchmarks"]

_Strs = Sequence[str] | None | NotGiven


class AsyncBenchmarks(Resource):
    """Benchmarks: a named list of scenario ids, run together as a benchmark run."""

    __slots__ = ()

    async def create(
        self,
        *,
        name: str,
        attribution: str | NotGiven | None = NOT_GIVEN,
        description: str | NotGiven | None = NOT_GIVEN,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        required_environment_variables: _Strs = NOT_GIVEN,
        required_secret_names: Sequence[str] | NotGiven = NOT_GIVEN,
        scenario_ids: _Strs = NOT_GIVEN,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> BenchmarkView:
        """Create a benchmark (``POST /v1/benchmarks``); ``name`` must be unique.

        Raises:
            BadRequestError: invalid or duplicate definition.
        """
        payload = body(
            name=name,
            attribution=attribution,
            description=description,
            metadata=metadata,
            required_environment_variables=required_environment_variables,
            required_secret_names=required_secret_names,
            scenario_ids=scenario_ids,
        )
        return await self._core.request_model(
            BenchmarkView, "POST", "/v1/benchmarks", body=payload,
            options=options, idempotency_key=idempotency_key,
        )  # fmt: skip

    async def retrieve(self, id: str, **options: Unpack[RequestOptions]) -> BenchmarkView:
        """Get a benchmark by id.

        Raises:
            NotFoundError: no benchmark with that id.
        """
        path = f"/v1/benchmarks/{path_segment(id)}"
        return await self._core.request_model(BenchmarkView, "GET", path, options=options)

    async def update(
        self,
        id: str,
        *,
        attribution: str | NotGiven | None = NOT_GIVEN,
        description: str | NotGiven | None = NOT_GIVEN,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        name: str | NotGiven | None = NOT_GIVEN,
        required_environment_variables: _Strs = NOT_GIVEN,
        required_secret_names: _Strs = NOT_GIVEN,
        scenario_ids: _Strs = NOT_GIVEN,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> BenchmarkView:
        """Update a benchmark: missing or ``None`` keeps, ``""``/``[]``/``{}`` clear.

        Raises:
            NotFoundError: no benchmark with that id.
        """
        payload = body(
            attribution=attribution,
            description=description,
            metadata=metadata,
            name=name,
            required_environment_variables=required_environment_variables,
            required_secret_names=required_secret_names,
            scenario_ids=scenario_ids,
        )
        return await self._core.request_model(
            BenchmarkView, "POST", f"/v1/benchmarks/{path_segment(id)}", body=payload,
            options=options, idempotency_key=idempotency_key,
        )  # fmt: skip

    def list(
        self,
        *,
        include_total_count: bool | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        name: str | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
        starting_after: str | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[BenchmarkView]:
        """List your benchmarks (a pager).

        Raises:
            InvalidArgumentError: ``limit`` out of range.
        """
        return self._list(
            BenchmarkView, "/v1/benchmarks", "benchmarks", options,
            include_total_count=include_total_count, limit=limit, name=name, search=search,
            starting_after=starting_after,
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
    ) -> AsyncPager[BenchmarkView]:
        """List public benchmarks (a pager).

        Raises:
            InvalidArgumentError: ``limit`` out of range.
        """
        path = "/v1/benchmarks/list_public"
        return self._list(
            BenchmarkView, path, "benchmarks", options,
            include_total_count=include_total_count, limit=limit, name=name, search=search,
            starting_after=starting_after,
        )  # fmt: skip

    def definitions(
        self,
        id: str,
        *,
        limit: int | NotGiven = NOT_GIVEN,
        starting_after: str | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[ScenarioView]:
        """The full scenario definitions of a benchmark (a pager; the official SDK
        returned only one page).

        Raises:
            InvalidArgumentError: empty ``id`` or ``limit`` out of range.
        """
        path = f"/v1/benchmarks/{path_segment(id)}/definitions"
        return self._list(
            ScenarioView, path, "scenarios", options,
            limit=limit, starting_after=starting_after,
        )  # fmt: skip

    async def start_run(
        self,
        *,
        benchmark_id: str,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        run_name: str | NotGiven | None = NOT_GIVEN,
        run_profile: RunProfile | Mapping[str, Any] | NotGiven | None = NOT_GIVEN,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> BenchmarkRunView:
        """Start a benchmark run. It starts no scenario runs: start each one with
        ``scenarios.start_run(scenario_id=..., benchmark_run_id=run.id)`` (or use the
        benchmark runner).

        Raises:
            NotFoundError: no such benchmark.
            BadRequestError: the benchmark is archived.
        """
        payload = body(
            benchmark_id=benchmark_id, metadata=metadata, run_name=run_name,
            runProfile=run_profile,
        )  # fmt: skip
        return await self._core.request_model(
            BenchmarkRunView, "POST", "/v1/benchmarks/start_run", body=payload,
            options=options, idempotency_key=idempotency_key,
        )  # fmt: skip

    async def update_scenarios(
        self,
        id: str,
        *,
        scenarios_to_add: _Strs = NOT_GIVEN,
        scenarios_to_remove: _Strs = NOT_GIVEN,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> BenchmarkView:
        """Add and/or remove scenario ids (``POST /v1/benchmarks/{id}/scenarios``).

        Raises:
            NotFoundError: no benchmark with that id.
        """
        payload = body(scenarios_to_add=scenarios_to_add, scenarios_to_remove=scenarios_to_remove)
        return await self._core.request_model(
            BenchmarkView, "POST", f"/v1/benchmarks/{path_segment(id)}/scenarios", body=payload,
            options=options, idempotency_key=idempotency_key,
        )  # fmt: skip
