"""``client.benchmark_jobs`` [Beta]: benchmarks run entirely on Runloop."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Unpack

from .._config import NOT_GIVEN, NotGiven, PollingConfig, RequestOptions, WaitOptions
from .._judges import judge_benchmark_job_done
from .._models import BenchmarkJobView, JobCreateSpec
from .._pager import AsyncPager
from .._request import path_segment
from .._waiting import (
    BENCHMARK_POLL_CAP,
    BENCHMARK_POLL_FIRST,
    poll_until,
    resolve_deadline,
)
from ._base import Resource, body

__all__ = ["AsyncBenchmarkJobs"]


class AsyncBenchmarkJobs(Resource):
    """Benchmark jobs: the server provisions devboxes, runs agents and scores."""

    __slots__ = ()

    async def create(
        self,
        *,
        name: str | NotGiven | None = NOT_GIVEN,
        spec: JobCreateSpec | Mapping[str, Any] | NotGiven | None = NOT_GIVEN,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> BenchmarkJobView:
        """Create a benchmark job (``POST /v1/benchmark_jobs``).

        ``spec`` is one of :class:`HarborJobCreateSpec`, :class:`BenchmarkJobCreateSpec`
        or :class:`ScenariosJobCreateSpec` (or the same as a dict with ``type``).
        Without ``name`` the server generates one.

        Raises:
            BadRequestError: the spec is invalid.
        """
        return await self._core.request_model(
            BenchmarkJobView, "POST", "/v1/benchmark_jobs", body=body(name=name, spec=spec),
            options=options, idempotency_key=idempotency_key,
        )  # fmt: skip

    async def retrieve(self, id: str, **options: Unpack[RequestOptions]) -> BenchmarkJobView:
        """Get a benchmark job by id.

        Raises:
            NotFoundError: no job with that id.
        """
        path = f"/v1/benchmark_jobs/{path_segment(id)}"
        return await self._core.request_model(BenchmarkJobView, "GET", path, options=options)

    def list(
        self,
        *,
        include_total_count: bool | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        name: str | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
        starting_after: str | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[BenchmarkJobView]:
        """List benchmark jobs. Unlike the official SDK (one page), ``async for`` pages on.

        Raises:
            InvalidArgumentError: ``limit`` out of range.
        """
        return self._list(
            BenchmarkJobView, "/v1/benchmark_jobs", "jobs", options,
            include_total_count=include_total_count, limit=limit, name=name, search=search,
            starting_after=starting_after,
        )  # fmt: skip

    async def await_completed(
        self,
        id: str,
        *,
        timeout: float | NotGiven | None = NOT_GIVEN,
        polling_config: PollingConfig | None = None,
        **options: Unpack[WaitOptions],
    ) -> BenchmarkJobView:
        """Wait until the job is ``completed``; return that view (with its outcomes).

        Polls with growing, jittered intervals (0.5 s up to 10 s); ``initializing``,
        ``queued`` and ``running`` keep the wait going. Cancelling the caller stops
        the wait at once.

        Args:
            timeout: Deadline in seconds. Default: none; ``None`` also waits forever.
            polling_config: The official settings, for ports (sets the deadline).
            **options: :class:`WaitOptions` applied to each poll.

        Raises:
            RunCanceledError: the job was cancelled (``.last`` holds the view).
            UnexpectedStateError: the job ended ``failed`` or ``timeout``.
            WaitTimeoutError: the deadline passed (``.last`` holds the last view).
        """
        deadline = resolve_deadline(timeout, polling_config, None)
        path_segment(id)
        return await poll_until(
            lambda: self.retrieve(id, **options),
            judge_benchmark_job_done,
            deadline=deadline,
            what=f"benchmark job {id}",
            first_interval=BENCHMARK_POLL_FIRST,
            max_interval=BENCHMARK_POLL_CAP,
        )
