"""Blocking ``client.benchmark_runs``."""

from __future__ import annotations

from typing import Unpack

from .._config import NOT_GIVEN, NotGiven, PollingConfig, RequestOptions, WaitOptions
from .._models import BenchmarkRunView, ScenarioRunView
from .._resources.benchmark_runs import AsyncBenchmarkRuns
from ._base import SyncResource
from ._pager import SyncPage

__all__ = ["BenchmarkRuns"]


class BenchmarkRuns(SyncResource[AsyncBenchmarkRuns]):
    """Benchmark runs (blocking twin of :class:`AsyncBenchmarkRuns`)."""

    __slots__ = ()

    def retrieve(self, id: str, **options: Unpack[RequestOptions]) -> BenchmarkRunView:
        """Get a benchmark run by id. Blocking twin of ``AsyncBenchmarkRuns.retrieve``.

        Raises:
            NotFoundError: no benchmark run with that id.
        """
        return self._call(self._async.retrieve, id, **options)

    def list(
        self,
        *,
        benchmark_id: str | NotGiven = NOT_GIVEN,
        include_total_count: bool | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        name: str | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
        starting_after: str | NotGiven = NOT_GIVEN,
        state: str | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[BenchmarkRunView]:
        """List benchmark runs. Blocking twin of ``AsyncBenchmarkRuns.list``.

        Raises:
            InvalidArgumentError: ``limit`` out of range.
        """
        return self._paged(
            self._async.list, benchmark_id=benchmark_id,
            include_total_count=include_total_count, limit=limit, name=name, search=search,
            starting_after=starting_after, state=state, **options,
        )  # fmt: skip

    def cancel(
        self, id: str, *, idempotency_key: str | None = None, **options: Unpack[RequestOptions]
    ) -> BenchmarkRunView:
        """Cancel a benchmark run. Blocking twin of ``AsyncBenchmarkRuns.cancel``.

        Raises:
            NotFoundError: no benchmark run with that id.
            BadRequestError: the run already finished.
        """
        return self._call(self._async.cancel, id, idempotency_key=idempotency_key, **options)

    def complete(
        self, id: str, *, idempotency_key: str | None = None, **options: Unpack[RequestOptions]
    ) -> BenchmarkRunView:
        """Complete a benchmark run. Blocking twin of ``AsyncBenchmarkRuns.complete``.

        Raises:
            NotFoundError: no benchmark run with that id.
            BadRequestError: the run already finished.
        """
        return self._call(self._async.complete, id, idempotency_key=idempotency_key, **options)

    def list_scenario_runs(
        self,
        id: str,
        *,
        include_total_count: bool | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
        starting_after: str | NotGiven = NOT_GIVEN,
        state: str | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[ScenarioRunView]:
        """The scenario runs of a benchmark run. Blocking twin of
        ``AsyncBenchmarkRuns.list_scenario_runs``.

        Raises:
            InvalidArgumentError: empty ``id`` or ``limit`` out of range.
        """
        return self._paged(
            self._async.list_scenario_runs, id, include_total_count=include_total_count,
            limit=limit, search=search, starting_after=starting_after, state=state, **options,
        )  # fmt: skip

    def await_completed(
        self,
        id: str,
        *,
        timeout: float | NotGiven | None = NOT_GIVEN,
        polling_config: PollingConfig | None = None,
        **options: Unpack[WaitOptions],
    ) -> BenchmarkRunView:
        """Wait until the benchmark run is ``completed``; return that view (with ``score``).

        Blocking twin of ``AsyncBenchmarkRuns.await_completed`` (no deadline by
        default). Ctrl-C stops the wait at once.

        Raises:
            RunCanceledError: the run was canceled (``.last`` holds the view).
            UnexpectedStateError: the run failed.
            WaitTimeoutError: the deadline passed (``.last`` holds the last view).
        """
        return self._call(
            self._async.await_completed, id, timeout=timeout, polling_config=polling_config,
            **options,
        )  # fmt: skip
