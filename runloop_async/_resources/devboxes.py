"""``client.devboxes``: the slice of the devbox API scenario runs depend on."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Unpack, cast

from .._config import NOT_GIVEN, NotGiven, PollingConfig, RequestOptions, Timeout, WaitOptions
from .._exceptions import APIStatusError, InvalidArgumentError
from .._judges import judge_devbox_running
from .._models import DevboxStatus, DevboxView
from .._request import path_segment
from .._scope import deadline_scope, now, time_left
from .._validate import check_seconds
from .._waiting import (
    DEADLINE_GRACE,
    HOLD_MARGIN,
    READY_TIMEOUT,
    SERVER_HOLD,
    hold_for,
    poll_until,
    resolve_deadline,
)
from ._base import Resource, body

__all__ = ["AsyncDevboxes"]

_READY_STATUSES = (DevboxStatus.RUNNING, DevboxStatus.FAILURE, DevboxStatus.SHUTDOWN)
#: The server's "hold over, not there yet" answer to a long-poll: never retried as
#: an error, the waits below poll again (or end at their deadline).
_HOLD_OVER = frozenset({408})


def _status_list(statuses: object) -> list[str]:
    # A lone string is one status, never a list of its letters.
    items = [statuses] if isinstance(statuses, str) else statuses
    if not isinstance(items, Sequence) or not items or not all(isinstance(s, str) for s in items):
        raise InvalidArgumentError(
            f"statuses must be a status string or a non-empty list of them, got {statuses!r}"
        )
    return list(items)


def _hold_over(exc: APIStatusError) -> bool:
    return exc.status_code in _HOLD_OVER


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
        statuses: Sequence[str] | str,
        timeout_seconds: float = SERVER_HOLD,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> DevboxView:
        """Wait by server long-poll until the devbox is in ``statuses``, for at most
        ``timeout_seconds`` (default 30; ``inf`` waits forever).

        The server holds each request up to 30 s and answers 408 when the hold ends
        first; that 408 is not retried as an error: the next long-poll follows,
        until ``timeout_seconds`` have passed, which ends the call within about a
        second of it. ``statuses`` is a list of statuses, or one status as a string.
        Long-polls run on their own connection pool, with a read timeout of the hold
        plus 5 s unless ``timeout`` is given.

        Raises:
            APIStatusError: status 408 when ``timeout_seconds`` passed first.
            NotFoundError: no devbox with that id.
            InvalidArgumentError: bad ``statuses`` or ``timeout_seconds``.
        """
        wanted = _status_list(statuses)
        seconds = check_seconds(timeout_seconds, "timeout_seconds")
        path_segment(id)
        end = None if seconds is None else now() + seconds
        with deadline_scope(None if end is None else end + DEADLINE_GRACE):
            while True:
                left = None if end is None else end - now()
                try:
                    return await self._long_poll(
                        id, wanted, hold_for(left), options, idempotency_key
                    )
                except APIStatusError as exc:
                    # A hold that ended before our time did: poll on. At the end: raise it.
                    if not _hold_over(exc) or (end is not None and end - now() < 0.1):
                        raise

    async def _long_poll(
        self,
        id: str,
        statuses: Sequence[str],
        hold: float,
        options: RequestOptions | WaitOptions,
        idempotency_key: str | None = None,
    ) -> DevboxView:
        """One ``wait_for_status`` request, held by the server up to ``hold`` seconds.

        Its 408 ("hold over") is raised at once, never retried: the caller decides.
        """
        opts = cast(RequestOptions, {"timeout": _long_poll_timeout(hold), **options})
        return await self._core.request_model(
            DevboxView, "POST", f"/v1/devboxes/{path_segment(id)}/wait_for_status",
            body=body(statuses=list(statuses), timeout_seconds=hold), options=opts,
            idempotency_key=idempotency_key, pool="wait", final_statuses=_HOLD_OVER,
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

        A 408 (hold over) starts the next long-poll at once; a dropped connection or
        a retryable status starts it after a jittered pause; the wait, and the
        long-poll in flight, end at its deadline.

        Args:
            timeout: Deadline for the whole wait in seconds. Default 600; ``None``
                (or ``inf``) waits forever.
            polling_config: The official settings, for ports (sets the deadline).

        Raises:
            DevboxFailedError: the devbox reached ``failure`` or ``shutdown``.
            WaitTimeoutError: the deadline passed (``.last`` is the last view or None).
            NotFoundError: no devbox with that id.
            InvalidArgumentError: a zero, negative, NaN or non-number ``timeout``.
        """
        deadline = resolve_deadline(timeout, polling_config, READY_TIMEOUT)
        path_segment(id)
        # The wait polls again itself, so a failed long-poll is not retried inside.
        per_poll: WaitOptions = {**options, "max_retries": 0}

        async def fetch() -> DevboxView | None:
            try:
                return await self._long_poll(id, _READY_STATUSES, hold_for(time_left()), per_poll)
            except APIStatusError as exc:
                if _hold_over(exc):
                    return None  # not running yet: the next long-poll follows at once
                raise

        return await poll_until(
            fetch, judge_devbox_running, deadline=deadline,
            what=f"devbox {id} not running", first_interval=0.5, long_poll=True,
        )  # fmt: skip


@functools.lru_cache(maxsize=32)
def _long_poll_timeout(hold: float) -> Timeout:
    # One per hold (nearly always SERVER_HOLD), not one validated Timeout per poll.
    return Timeout(read=hold + HOLD_MARGIN, total=hold + 2 * HOLD_MARGIN)
