"""Blocking ``client.benchmarks``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Unpack

from .._config import NOT_GIVEN, NotGiven, RequestOptions
from .._models import (
    BenchmarkRunView,
    BenchmarkView,
    RunProfile,
    ScenarioView,
)
from .._resources.benchmarks import AsyncBenchmarks
from ._base import SyncResource
from ._pager import SyncPage

__all__ = ["Benchmarks"]

_Strs = Sequence[str] | None | NotGiven


class Benchmarks(SyncResource[AsyncBenchmarks]):
    """Benchmarks (blocking twin of :class:`AsyncBenchmarks`)."""

    __slots__ = ()

    def create(
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
        """Create a benchmark. Blocking twin of ``AsyncBenchmarks.create``.

        Raises:
            BadRequestError: invalid or duplicate definition.
        """
        return self._call(
            self._async.create, name=name, attribution=attribution, description=description,
            metadata=metadata, required_environment_variables=required_environment_variables,
            required_secret_names=required_secret_names, scenario_ids=scenario_ids,
            idempotency_key=idempotency_key, **options,
        )  # fmt: skip

    def retrieve(self, id: str, **options: Unpack[RequestOptions]) -> BenchmarkView:
        """Get a benchmark by id. Blocking twin of ``AsyncBenchmarks.retrieve``.

        Raises:
            NotFoundError: no benchmark with that id.
        """
        return self._call(self._async.retrieve, id, **options)

    def update(
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
        """Update a benchmark. Blocking twin of ``AsyncBenchmarks.update``.

        Raises:
            NotFoundError: no benchmark with that id.
        """
        return self._call(
            self._async.update, id, attribution=attribution, description=description,
            metadata=metadata, name=name,
            required_environment_variables=required_environment_variables,
            required_secret_names=required_secret_names, scenario_ids=scenario_ids,
            idempotency_key=idempotency_key, **options,
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
    ) -> SyncPage[BenchmarkView]:
        """List your benchmarks. Blocking twin of ``AsyncBenchmarks.list``.

        Raises:
            InvalidArgumentError: ``limit`` out of range.
        """
        return self._paged(
            self._async.list, include_total_count=include_total_count, limit=limit,
            name=name, search=search, starting_after=starting_after, **options,
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
    ) -> SyncPage[BenchmarkView]:
        """List public benchmarks. Blocking twin of ``AsyncBenchmarks.list_public``.

        Raises:
            InvalidArgumentError: ``limit`` out of range.
        """
        return self._paged(
            self._async.list_public, include_total_count=include_total_count, limit=limit,
            name=name, search=search, starting_after=starting_after, **options,
        )  # fmt: skip

    def definitions(
        self,
        id: str,
        *,
        limit: int | NotGiven = NOT_GIVEN,
        starting_after: str | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[ScenarioView]:
        """The full scenario definitions of a benchmark (every page).

        Blocking twin of ``AsyncBenchmarks.definitions``.

        Raises:
            InvalidArgumentError: empty ``id`` or ``limit`` out of range.
        """
        return self._paged(
            self._async.definitions, id, limit=limit, starting_after=starting_after, **options
        )

    def start_run(
        self,
        *,
        benchmark_id: str,
        metadata: Mapping[str, str] | NotGiven | None = NOT_GIVEN,
        run_name: str | NotGiven | None = NOT_GIVEN,
        run_profile: RunProfile | Mapping[str, Any] | NotGiven | None = NOT_GIVEN,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> BenchmarkRunView:
        """Start a benchmark run (no scenario runs). Blocking twin of
        ``AsyncBenchmarks.start_run``.

        Raises:
            NotFoundError: no such benchmark.
            BadRequestError: the benchmark is archived.
        """
        return self._call(
            self._async.start_run, benchmark_id=benchmark_id, metadata=metadata,
            run_name=run_name, run_profile=run_profile, idempotency_key=idempotency_key,
            **options,
        )  # fmt: skip

    def update_scenarios(
        self,
        id: str,
        *,
        scenarios_to_add: _Strs = NOT_GIVEN,
        scenarios_to_remove: _Strs = NOT_GIVEN,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> BenchmarkView:
        """Add and/or remove scenario ids. Blocking twin of
        ``AsyncBenchmarks.update_scenarios``.

        Raises:
            NotFoundError: no benchmark with that id.
        """
        return self._call(
            self._async.update_scenarios, id, scenarios_to_add=scenarios_to_add,
            scenarios_to_remove=scenarios_to_remove, idempotency_key=idempotency_key,
            **options,
        )  # fmt: skip
