"""``client.scenarios.runs``: retrieve, list, score, complete, cancel, download logs."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar, Unpack

from .._config import NOT_GIVEN, NotGiven, PollingConfig, RequestOptions, WaitOptions
from .._models import LogsArchive, ScenarioRunView
from .._request import path_segment
from ._base import Resource
from ._checked import check_own, own_checks

if TYPE_CHECKING:
    from .._pager import AsyncPager  # loads with the first list call

__all__ = ["AsyncRuns"]

_T = TypeVar("_T")


async def _off_loop(fn: Callable[..., _T], *args: object) -> _T:
    """Run blocking file I/O on asyncio's default executor.

    Not anyio's worker threads: ``asyncio.Runner`` joins the default executor when
    its loop closes, and so does the ``Runloop`` loop thread's teardown, so a closed
    client leaves no thread behind.
    """
    return await asyncio.get_running_loop().run_in_executor(None, fn, *args)


class AsyncRuns(Resource):
    """Scenario runs: one attempt at a scenario on its own devbox."""

    __slots__ = ()

    @own_checks
    async def retrieve(self, id: str, **options: Unpack[RequestOptions]) -> ScenarioRunView:
        """Get a scenario run by id.

        Raises:
            NotFoundError: no run with that id.
            InvalidArgumentError: ``id`` is empty.
        """
        if options:
            check_own(AsyncRuns.retrieve, options)
        path = f"/v1/scenarios/runs/{path_segment(id)}"
        # Core.request itself, not request_model: one call fewer on the hottest path.
        view: ScenarioRunView = await self._core.request(
            "GET", path, options=options, model=ScenarioRunView
        )
        return view

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
    ) -> AsyncPager[ScenarioRunView]:
        """List scenario runs (``GET /v1/scenarios/runs``), filtered.

        ``await`` it for the first page or ``async for`` over it for every run; the
        filters and ``limit`` (page size, 1..5000, server default 20) are repeated on
        every page. ``state`` is a free string (see :class:`ScenarioRunState`).

        Raises:
            InvalidArgumentError: ``limit`` out of range (before any request).
        """
        return self._list(
            ScenarioRunView, "/v1/scenarios/runs", "runs", options,
            benchmark_run_id=benchmark_run_id, include_total_count=include_total_count,
            limit=limit, name=name, scenario_id=scenario_id, search=search,
            starting_after=starting_after, state=state,
        )  # fmt: skip

    def _action(
        self, id: str, action: str, idempotency_key: str | None, options: RequestOptions
    ) -> Coroutine[Any, Any, ScenarioRunView]:
        # The request's own coroutine, for the caller to await: no coroutine of its own
        # between score/complete/cancel and Core.request (the hot path of a runner).
        path = f"/v1/scenarios/runs/{path_segment(id)}/{action}"
        return self._core.request(
            "POST", path, options=options, idempotency_key=idempotency_key, model=ScenarioRunView
        )

    @own_checks
    async def score(
        self, id: str, *, idempotency_key: str | None = None, **options: Unpack[RequestOptions]
    ) -> ScenarioRunView:
        """Start scoring a running scenario run; scoring finishes asynchronously.

        The answer is usually ``scoring``; a retried call carries the same
        idempotency key, so the run is scored once.

        Raises:
            NotFoundError: no run with that id.
            BadRequestError: the run is not in a state that can be scored.
        """
        if options or idempotency_key is not None:
            check_own(AsyncRuns.score, options, idempotency_key)
        return await self._action(id, "score", idempotency_key, options)

    @own_checks
    async def complete(
        self, id: str, *, idempotency_key: str | None = None, **options: Unpack[RequestOptions]
    ) -> ScenarioRunView:
        """Complete a run (``running`` or ``scored``) and shut its devbox down.

        Raises:
            NotFoundError: no run with that id.
            BadRequestError: the run already finished.
        """
        if options or idempotency_key is not None:
            check_own(AsyncRuns.complete, options, idempotency_key)
        return await self._action(id, "complete", idempotency_key, options)

    @own_checks
    async def cancel(
        self, id: str, *, idempotency_key: str | None = None, **options: Unpack[RequestOptions]
    ) -> ScenarioRunView:
        """Cancel a run and shut its devbox down.

        Raises:
            NotFoundError: no run with that id.
            BadRequestError: the run already finished.
        """
        if options or idempotency_key is not None:
            check_own(AsyncRuns.cancel, options, idempotency_key)
        return await self._action(id, "cancel", idempotency_key, options)

    async def download_logs(
        self, id: str, *, idempotency_key: str | None = None, **options: Unpack[RequestOptions]
    ) -> LogsArchive:
        """Download the run's logs as a zip held in memory.

        For big archives prefer :meth:`download_logs_to_file`, which streams.

        Raises:
            NotFoundError: no run with that id.
        """
        path = f"/v1/scenarios/runs/{path_segment(id)}/download_logs"
        data = await self._core.request(
            "POST", path, options=options, idempotency_key=idempotency_key,
            accept="application/zip",
        )  # fmt: skip
        return LogsArchive(data if isinstance(data, bytes) else b"")

    async def download_logs_to_file(
        self,
        id: str,
        file: str | os.PathLike[str],
        *,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> int:
        """Stream the run's log zip to ``file`` without holding it in memory.

        Returns the number of bytes written. A retried attempt rewrites the file
        from the start.

        Raises:
            NotFoundError: no run with that id.
        """
        path = f"/v1/scenarios/runs/{path_segment(id)}/download_logs"
        handle = await _off_loop(open, file, "wb")
        written = 0
        try:

            async def sink(chunk: bytes) -> None:
                nonlocal written
                await _off_loop(handle.write, chunk)
                written += len(chunk)

            async def restart() -> None:
                nonlocal written
                await _off_loop(handle.seek, 0)
                await _off_loop(handle.truncate)
                written = 0

            await self._core.request(
                "POST", path, options=options, idempotency_key=idempotency_key,
                accept="application/zip", sink=sink, on_retry=restart,
            )  # fmt: skip
        finally:
            # Synchronous on purpose: an await here would be re-cancelled and leak the file.
            handle.close()
        return written

    async def await_scored(
        self,
        id: str,
        *,
        timeout: float | NotGiven | None = NOT_GIVEN,
        polling_config: PollingConfig | None = None,
        **options: Unpack[WaitOptions],
    ) -> ScenarioRunView:
        """Wait until the run is scored; return its view with the scoring result.

        Polls with growing, jittered intervals (0.25 s up to 5 s). A run still
        ``running`` just after ``score`` is waited on, not treated as a failure.

        Args:
            timeout: Deadline in seconds for the whole wait. Default 1800 (the
                server's default scoring timeout); ``None`` waits forever.
            polling_config: The official SDK's settings, for ports; its
                ``interval_seconds * max_attempts`` (or ``timeout_seconds``) becomes
                the deadline when ``timeout`` is not given.
            **options: :class:`WaitOptions` applied to each request of the wait.

        Raises:
            ScoringFailedError: the run ended ``failed`` or ``timeout``.
            RunCanceledError: the run was canceled.
            WaitTimeoutError: the deadline passed (``.last`` holds the last view).
        """
        # Imported here, as in every wait: a script that only reads runs never loads them.
        from .._judges import judge_scored
        from .._waiting import SCORING_TIMEOUT, poll_until, resolve_deadline

        deadline = resolve_deadline(timeout, polling_config, SCORING_TIMEOUT)
        path_segment(id)
        return await poll_until(
            lambda: self.retrieve(id, **options),
            judge_scored,
            deadline=deadline,
            what=f"scoring of scenario run {id}",
        )

    async def score_and_await(
        self,
        id: str,
        *,
        timeout: float | NotGiven | None = NOT_GIVEN,
        polling_config: PollingConfig | None = None,
        idempotency_key: str | None = None,
        **options: Unpack[WaitOptions],
    ) -> ScenarioRunView:
        """:meth:`score`, then :meth:`await_scored`; returns the scored view.

        ``timeout`` (default 1800 s) is the deadline of both: a ``score`` call that
        hangs ends at it too.

        Raises:
            ScoringFailedError, RunCanceledError, WaitTimeoutError: as :meth:`await_scored`.
            BadRequestError: the run cannot be scored in its state.
        """
        from .._waiting import SCORING_TIMEOUT, resolve_deadline, wait_deadline

        deadline = resolve_deadline(timeout, polling_config, SCORING_TIMEOUT)
        with wait_deadline(deadline, f"scoring of scenario run {id}"):
            await self.score(id, idempotency_key=idempotency_key, **options)
            return await self.await_scored(
                id, timeout=timeout, polling_config=polling_config, **options
            )

    async def score_and_complete(
        self,
        id: str,
        *,
        timeout: float | NotGiven | None = NOT_GIVEN,
        polling_config: PollingConfig | None = None,
        idempotency_key: str | None = None,
        **options: Unpack[WaitOptions],
    ) -> ScenarioRunView:
        """:meth:`score_and_await`, then :meth:`complete`; returns what ``complete`` returned.

        Raises:
            ScoringFailedError, RunCanceledError, WaitTimeoutError: as :meth:`await_scored`.
        """
        await self.score_and_await(
            id, timeout=timeout, polling_config=polling_config,
            idempotency_key=idempotency_key, **options,
        )  # fmt: skip
        return await self.complete(id, **options)
