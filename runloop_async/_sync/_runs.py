"""Blocking ``client.scenarios.runs``."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Unpack

from .._config import NOT_GIVEN, NotGiven, PollingConfig, RequestOptions, WaitOptions
from .._models import LogsArchive, ScenarioRunView
from .._resources.runs import AsyncRuns
from ._base import SyncResource

if TYPE_CHECKING:
    from ._pager import SyncPage  # loads with the first list call

__all__ = ["Runs"]


class Runs(SyncResource[AsyncRuns]):
    """Scenario runs (blocking twin of :class:`AsyncRuns`)."""

    __slots__ = ()

    def retrieve(self, id: str, **options: Unpack[RequestOptions]) -> ScenarioRunView:
        """Get a scenario run by id. Blocking twin of ``AsyncRuns.retrieve``.

        Raises:
            NotFoundError: no run with that id.
            InvalidArgumentError: ``id`` is empty.
        """
        return self._call(self._async.retrieve, id, **options)

    def list(
        self,
        *,
        benchmark_run_id: str | NotGiven = NOT_GIVEN,
        include_total_count: bool | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        name: str | NotGiven = NOT_GIVEN,
        scenario_id: str | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
        starting_after: str | NotGiven = NOT_GIVEN,
        state: str | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[ScenarioRunView]:
        """List scenario runs, filtered: ``for run in ...`` pages through all of them.

        Blocking twin of ``AsyncRuns.list``, but the first page is fetched at the call.

        Raises:
            InvalidArgumentError: ``limit`` out of range (before any request).
        """
        return self._paged(
            self._async.list, benchmark_run_id=benchmark_run_id,
            include_total_count=include_total_count, limit=limit, name=name,
            scenario_id=scenario_id, search=search, starting_after=starting_after,
            state=state, **options,
        )  # fmt: skip

    def score(
        self, id: str, *, idempotency_key: str | None = None, **options: Unpack[RequestOptions]
    ) -> ScenarioRunView:
        """Start scoring a running scenario run. Blocking twin of ``AsyncRuns.score``.

        Raises:
            NotFoundError: no run with that id.
            BadRequestError: the run is not in a state that can be scored.
        """
        return self._call(self._async.score, id, idempotency_key=idempotency_key, **options)

    def complete(
        self, id: str, *, idempotency_key: str | None = None, **options: Unpack[RequestOptions]
    ) -> ScenarioRunView:
        """Complete a run and shut its devbox down. Blocking twin of ``AsyncRuns.complete``.

        Raises:
            NotFoundError: no run with that id.
            BadRequestError: the run already finished.
        """
        return self._call(self._async.complete, id, idempotency_key=idempotency_key, **options)

    def cancel(
        self, id: str, *, idempotency_key: str | None = None, **options: Unpack[RequestOptions]
    ) -> ScenarioRunView:
        """Cancel a run and shut its devbox down. Blocking twin of ``AsyncRuns.cancel``.

        Raises:
            NotFoundError: no run with that id.
            BadRequestError: the run already finished.
        """
        return self._call(self._async.cancel, id, idempotency_key=idempotency_key, **options)

    def download_logs(
        self, id: str, *, idempotency_key: str | None = None, **options: Unpack[RequestOptions]
    ) -> LogsArchive:
        """Download the run's logs as a zip held in memory.

        Blocking twin of ``AsyncRuns.download_logs``; prefer
        :meth:`download_logs_to_file` for big archives.

        Raises:
            NotFoundError: no run with that id.
        """
        return self._call(self._async.download_logs, id, idempotency_key=idempotency_key, **options)

    def download_logs_to_file(
        self,
        id: str,
        file: str | os.PathLike[str],
        *,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> int:
        """Stream the run's log zip to ``file``; returns the number of bytes written.

        Blocking twin of ``AsyncRuns.download_logs_to_file``.

        Raises:
            NotFoundError: no run with that id.
        """
        return self._call(
            self._async.download_logs_to_file, id, file,
            idempotency_key=idempotency_key, **options,
        )  # fmt: skip

    def await_scored(
        self,
        id: str,
        *,
        timeout: float | NotGiven | None = NOT_GIVEN,
        polling_config: PollingConfig | None = None,
        **options: Unpack[WaitOptions],
    ) -> ScenarioRunView:
        """Wait until the run is scored; return its view with the scoring result.

        Blocking twin of ``AsyncRuns.await_scored`` (default deadline 1800 s, ``None``
        waits forever). Ctrl-C stops the wait at once.

        Raises:
            ScoringFailedError: the run ended ``failed`` or ``timeout``.
            RunCanceledError: the run was canceled.
            WaitTimeoutError: the deadline passed (``.last`` holds the last view).
        """
        return self._call(
            self._async.await_scored, id, timeout=timeout, polling_config=polling_config,
            **options,
        )  # fmt: skip

    def score_and_await(
        self,
        id: str,
        *,
        timeout: float | NotGiven | None = NOT_GIVEN,
        polling_config: PollingConfig | None = None,
        idempotency_key: str | None = None,
        **options: Unpack[WaitOptions],
    ) -> ScenarioRunView:
        """:meth:`score`, then :meth:`await_scored`. Blocking twin of ``AsyncRuns.score_and_await``.

        Raises:
            ScoringFailedError, RunCanceledError, WaitTimeoutError: as :meth:`await_scored`.
            BadRequestError: the run cannot be scored in its state.
        """
        return self._call(
            self._async.score_and_await, id, timeout=timeout, polling_config=polling_config,
            idempotency_key=idempotency_key, **options,
        )  # fmt: skip

    def score_and_complete(
        self,
        id: str,
        *,
        timeout: float | NotGiven | None = NOT_GIVEN,
        polling_config: PollingConfig | None = None,
        idempotency_key: str | None = None,
        **options: Unpack[WaitOptions],
    ) -> ScenarioRunView:
        """:meth:`score_and_await`, then :meth:`complete`; returns what ``complete`` returned.

        Blocking twin of ``AsyncRuns.score_and_complete``.

        Raises:
            ScoringFailedError, RunCanceledError, WaitTimeoutError: as :meth:`await_scored`.
        """
        return self._call(
            self._async.score_and_complete, id, timeout=timeout,
            polling_config=polling_config, idempotency_key=idempotency_key, **options,
        )  # fmt: skip
