"""``client.devboxes``: the slice of the devbox API scenario runs depend on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Unpack

import anyio

from .._config import NOT_GIVEN, NotGiven, PollingConfig, RequestOptions, Timeout, WaitOptions
from .._exceptions import (
    APIConnectionError,
    APIStatusError,
    DevboxFailedError,
    WaitTimeoutError,
)
from .._models import DevboxStatus, DevboxView
from .._request import path_segment
from .._retry import should_retry_status
from .._waiting import poll_interval, resolve_deadline
from ._base import Resource, body

__all__ = ["READY_TIMEOUT", "AsyncDevboxes", "judge_running"]

#: Default deadline of a devbox readiness wait (the official SDK gave up after 120 s).
READY_TIMEOUT = 600.0
#: The server holds a wait_for_status request at most this long.
SERVER_HOLD = 30.0
#: Extra read time beyond the hold, so the server, not the client, ends a long-poll.
HOLD_MARGIN = 5.0
_READY_STATUSES = (DevboxStatus.RUNNING, DevboxStatus.FAILURE, DevboxStatus.SHUTDOWN)


def judge_running(view: DevboxView) -> bool | Exception | None:
    """Verdict on a devbox for a readiness wait: running, failed, or keep waiting."""
    if view.status == DevboxStatus.RUNNING:
        return True
    if view.status in (DevboxStatus.FAILURE, DevboxStatus.SHUTDOWN, DevboxStatus.SUSPENDED):
        reason = f" ({view.failure_reason})" if view.failure_reason else ""
        return DevboxFailedError(
            f"devbox {view.id} entered {view.status!r} instead of running{reason}", last=view
        )
    return None


class AsyncDevboxes(Resource):
    """Devboxes: retrieve one and wait, by server long-poll, for it to be ready."""

    __slots__ = ()

    async def retrieve(self, id: str, **options: Unpack[RequestOptions]) -> DevboxView:
        """Get a devbox's latest details and status.

        Raises:
            NotFoundError: no devbox with that id.
        """
        path = f"/v1/devboxes/{path_segment(id)}"
        return await self._core.request_model(DevboxView, "GET", path, options=options)

    async def wait_for_status(
        self,
        id: str,
        *,
        statuses: Sequence[str],
        timeout_seconds: float = SERVER_HOLD,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> DevboxView:
        """One server long-poll: held until the devbox is in ``statuses`` or the hold
        (``timeout_seconds``, at most 30 on the server) ends.

        It runs on the long-poll connection pool, with a read timeout of the hold
        plus 5 s unless ``timeout`` is given.

        Raises:
            APIStatusError: status 408 when the hold ended first.
            NotFoundError: no devbox with that id.
        """
        options.setdefault("timeout", Timeout(read=timeout_seconds + HOLD_MARGIN))
        return await self._core.request_model(
            DevboxView, "POST", f"/v1/devboxes/{path_segment(id)}/wait_for_status",
            body=body(statuses=list(statuses), timeout_seconds=timeout_seconds),
            options=options, idempotency_key=idempotency_key, pool="wait",
        )  # fmt: skip

    async def await_running(
        self,
        id: str,
        *,
        timeout: float | NotGiven | None = NOT_GIVEN,
        polling_config: PollingConfig | None = None,
        **options: Unpack[WaitOptions],
    ) -> DevboxView:
        """Wait until the devbox is ``running``, by repeated server long-polls.

        A 408 (hold over), a dropped connection or a retryable status starts the next
        long-poll (after a jittered pause for errors); the wait ends at its deadline.

        Args:
            timeout: Deadline for the whole wait in seconds. Default 600; ``None``
                waits forever.
            polling_config: The official settings, for ports (sets the deadline).

        Raises:
            DevboxFailedError: the devbox reached ``failure`` or ``shutdown``.
            WaitTimeoutError: the deadline passed (``.last`` is the last view or None).
            NotFoundError: no devbox with that id.
        """
        deadline = resolve_deadline(timeout, polling_config, READY_TIMEOUT)
        per_poll: RequestOptions = {k: v for k, v in options.items() if k != "max_retries"}  # type: ignore[assignment]
        per_poll["max_retries"] = 0
        start = anyio.current_time()
        last: DevboxView | None = None
        errors = 0
        while True:
            remaining = None if deadline is None else deadline - (anyio.current_time() - start)
            if remaining is not None and remaining <= 0:
                raise WaitTimeoutError(f"devbox {id} not running after {deadline:g} s", last=last)
            hold = SERVER_HOLD if remaining is None else max(0.1, min(remaining, SERVER_HOLD))
            try:
                last = await self.wait_for_status(
                    id, statuses=_READY_STATUSES, timeout_seconds=hold, **per_poll
                )
            except (APIStatusError, APIConnectionError) as exc:
                if not _long_poll_goes_on(exc):
                    raise
                if isinstance(exc, APIStatusError) and exc.status_code == 408:
                    continue
                errors += 1
                await anyio.sleep(poll_interval(errors, first=0.5, cap=5.0))
                continue
            verdict = judge_running(last)
            if verdict is True:
                return last
            if isinstance(verdict, Exception):
                raise verdict
            await anyio.sleep(poll_interval(0))


def _long_poll_goes_on(exc: Exception) -> bool:
    if isinstance(exc, APIStatusError):
        return exc.status_code == 408 or should_retry_status(exc.status_code, exc.headers)
    return True
