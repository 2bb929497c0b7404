"""Blocking ``client.benchmark_jobs`` [Beta]."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Unpack

from .._config import NOT_GIVEN, NotGiven, PollingConfig, RequestOptions, WaitOptions
from .._models import BenchmarkJobView, JobCreateSpec
from .._resources.benchmark_jobs import AsyncBenchmarkJobs
from ._base import SyncResource
from ._pager import SyncPage

__all__ = ["BenchmarkJobs"]


class BenchmarkJobs(SyncResource[AsyncBenchmarkJobs]):
    """Benchmark jobs [Beta] (blocking twin of :class:`AsyncBenchmarkJobs`)."""

    __slots__ = ()

    def create(
        self,
        *,
        name: str | NotGiven | None = NOT_GIVEN,
        spec: JobCreateSpec | Mapping[str, Any] | NotGiven | None = NOT_GIVEN,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> BenchmarkJobView:
        """Create a benchmark job. Blocking twin of ``AsyncBenchmarkJobs.create``.

        Raises:
            BadRequestError: the spec is invalid.
        """
        return self._call(
            self._async.create, name=name, spec=spec, idempotency_key=idempotency_key, **options
        )

    def retrieve(self, id: str, **options: Unpack[RequestOptions]) -> BenchmarkJobView:
        """Get a benchmark job by id. Blocking twin of ``AsyncBenchmarkJobs.retrieve``.

        Raises:
            NotFoundError: no job with that id.
        """
        return self._call(self._async.retrieve, id, **options)

    def list(
        self,
        *,
        include_total_count: bool | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        name: str | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
        starting_after: str | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[BenchmarkJobView]:
        """List benchmark jobs (every page). Blocking twin of ``AsyncBenchmarkJobs.list``.

        Raises:
            InvalidArgumentError: ``limit`` out of range.
        """
        return self._paged(
            self._async.list, include_total_count=include_total_count, limit=limit,
            name=name, search=search, starting_after=starting_after, **options,
        )  # fmt: skip

    def await_completed(
        self,
        id: str,
        *,
        timeout: float | NotGiven | None = NOT_GIVEN,
        polling_config: PollingConfig | None = None,
        **options: Unpack[WaitOptions],
    ) -> BenchmarkJobView:
        """Wait until the job is ``completed``; return that view (with its outcomes).

        Blocking twin of ``AsyncBenchmarkJobs.await_completed`` (no deadline by
        default). Ctrl-C stops the wait at once.

        Raises:
            RunCanceledError: the job was cancelled (``.last`` holds the view).
            UnexpectedStateError: the job ended ``failed`` or ``timeout``.
            WaitTimeoutError: the deadline passed (``.last`` holds the last view).
        """
        return self._call(
            self._async.await_completed, id, timeout=timeout, polling_config=polling_config,
            **options,
        )  # fmt: skip
