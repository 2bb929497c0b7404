"""``client.benchmark_runs``: runs of a benchmark and their scenario runs."""

from __future__ import annotations

from typing import Unpack

from .._config import NOT_GIVEN, NotGiven, PollingConfig, RequestOptions, WaitOptions
from .._judges import judge_benchmark_run_completed
from .._models import BenchmarkRunView, ScenarioRunView
from .._pager import AsyncPager
from .._request import path_segment
from .._waiting import (
    BENCHMARK_POLL_CAP,
    BENCHMARK_POLL_FIRST,
    poll_until,
    resolve_deadline,
)
from ._base import Resource

__all__ = ["AsyncBenchmarkRuns"]


class AsyncBenchmarkRuns(Resource):
    """Benchmark runs: ``running`` until completed or canceled."""

    __slots__ = ()

    async def retrieve(self, id: str, **options: Unpack[RequestOptions]) -> BenchmarkRunView:
        """Get a benchmark run by id.

        Raises:
            NotFoundError: no benchmark run with that id.
        """
        path = f"/v1/benchmark_runs/{path_segment(id)}"
        return await self._core.request_model(BenchmarkRunView, "GET", path, options=options)

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
    ) -> AsyncPager[BenchmarkRunView]:
        """List benchmark runs (a pager), filtered by benchmark, name or state.

        Raises:
            InvalidArgumentError: ``limit`` out of range.
        """
        return self._list(
            BenchmarkRunView, "/v1/benchmark_runs", "runs", options,
            benchmark_id=benchmark_id, include_total_count=include_total_count, limit=limit,
            name=name, search=search, starting_after=starting_after, state=state,
        )  # fmt: skip

    async def cancel(
        self, id: str, *, idempotency_key: str | None = None, **options: Unpack[RequestOptions]
    ) -> BenchmarkRunView:
        """Cancel a benchmark run: its running scenario runs are canceled and their
        devboxes shut down; the score is computed from the completed ones.

        Raises:
            NotFoundError: no benchmark run with that id.
            BadRequestError: the run already finished.
        """
        path = f"/v1/benchmark_runs/{path_segment(id)}/cancel"
        return await self._core.request_model(
            BenchmarkRunView, "POST", path, options=options, idempotency_key=idempotency_key
        )

    async def complete(
        self, id: str, *, idempotency_key: str | None = None, **options: Unpack[RequestOptions]
    ) -> BenchmarkRunView:
        """Complete a benchmark run; its ``score`` becomes the mean of its scenario runs.

        Raises:
            NotFoundError: no benchmark run with that id.
            BadRequestError: the run already finished.
        """
        path = f"/v1/benchmark_runs/{path_segment(id)}/complete"
        return await self._core.request_model(
            BenchmarkRunView, "POST", path, options=options, idempotency_key=idempotency_key
        )

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
    ) -> AsyncPager[ScenarioRunView]:
        """The scenario runs started in a benchmark run (a pager).

        Raises:
            InvalidArgumentError: empty ``id`` or ``limit`` out of range.
        """
        path = f"/v1/benchmark_runs/{path_segment(id)}/scenario_runs"
        return self._list(
            ScenarioRunView, path, "runs", options,
            include_total_count=include_total_count, limit=limit, search=search,
            starting_after=starting_after, state=state,
        )  # fmt: skip

    async def await_completed(
        self,
        id: str,
        *,
        timeout: float | NotGiven | None = NOT_GIVEN,
        polling_config: PollingConfig | None = None,
        **options: Unpack[WaitOptions],
    ) -> BenchmarkRunView:
        """Wait until the benchmark run is ``completed``; return that view (with ``score``).

        Something else completes the run (the benchmark runner, another process,
        the server); this only watches. Polls with growing, jittered intervals
        (0.5 s up to 10 s). Cancelling the caller stops the wait at once.

        Args:
            timeout: Deadline in seconds. Default: none (a benchmark can take hours);
                ``None`` also waits forever.
            polling_config: The official settings, for ports (sets the deadline).
            **options: :class:`WaitOptions` applied to each poll.

        Raises:
            RunCanceledError: the run was canceled (``.last`` holds the view).
            UnexpectedStateError: the run failed.
            WaitTimeoutError: the deadline passed (``.last`` holds the last view).
        """
        deadline = resolve_deadline(timeout, polling_config, None)
        path_segment(id)
        return await poll_until(
            lambda: self.retrieve(id, **options),
            judge_benchmark_run_completed,
            deadline=deadline,
            what=f"benchmark run {id}",
            first_interval=BENCHMARK_POLL_FIRST,
            max_interval=BENCHMARK_POLL_CAP,
        )
