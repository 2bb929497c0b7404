"""Blocking ``client.devboxes``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Unpack

from .._config import NOT_GIVEN, NotGiven, PollingConfig, RequestOptions, WaitOptions
from .._models import DevboxView
from .._resources.devboxes import AsyncDevboxes
from .._waiting import SERVER_HOLD
from ._base import SyncResource

__all__ = ["Devboxes"]


class Devboxes(SyncResource[AsyncDevboxes]):
    """Devboxes (blocking twin of :class:`AsyncDevboxes`)."""

    __slots__ = ()

    def retrieve(self, id: str, **options: Unpack[RequestOptions]) -> DevboxView:
        """Get a devbox's latest details and status. Blocking twin of
        ``AsyncDevboxes.retrieve``.

        Raises:
            NotFoundError: no devbox with that id.
        """
        return self._call(self._async.retrieve, id, **options)

    def wait_for_status(
        self,
        id: str,
        *,
        statuses: Sequence[str] | str,
        timeout_seconds: float = SERVER_HOLD,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> DevboxView:
        """One server long-poll until the devbox is in ``statuses`` or the hold ends.

        Blocking twin of ``AsyncDevboxes.wait_for_status``.

        Raises:
            APIStatusError: status 408 when the hold ended first.
            NotFoundError: no devbox with that id.
        """
        return self._call(
            self._async.wait_for_status, id, statuses=statuses, timeout_seconds=timeout_seconds,
            idempotency_key=idempotency_key, **options,
        )  # fmt: skip

    def await_running(
        self,
        id: str,
        *,
        timeout: float | NotGiven | None = NOT_GIVEN,
        polling_config: PollingConfig | None = None,
        **options: Unpack[WaitOptions],
    ) -> DevboxView:
        """Wait until the devbox is ``running``, by repeated server long-polls.

        Blocking twin of ``AsyncDevboxes.await_running`` (default deadline 600 s,
        ``None`` waits forever). Ctrl-C stops the wait at once.

        Raises:
            DevboxFailedError: the devbox reached ``failure`` or ``shutdown``.
            WaitTimeoutError: the deadline passed (``.last`` is the last view or None).
            NotFoundError: no devbox with that id.
        """
        return self._call(
            self._async.await_running, id, timeout=timeout, polling_config=polling_config,
            **options,
        )  # fmt: skip
