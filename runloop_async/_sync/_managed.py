"""``with client.scenarios.managed_run(...) as run:``, the blocking twin."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from .._models import ScenarioRunView
from ._portal import LoopThread

if TYPE_CHECKING:  # the managed run and its step helpers load with the first one
    from .._resources.managed import AsyncManagedRun

__all__ = ["ManagedRun"]


class ManagedRun:
    """The context manager ``Runloop().scenarios.managed_run`` returns.

    Entering and leaving each run on the client's loop thread, as the two halves of
    :class:`AsyncManagedRun`: the run starts and its devbox is awaited on entry; on
    exit it is completed if scored and canceled otherwise (Ctrl-C in the block
    included). ``final`` is the run's view after exit.
    """

    __slots__ = ("_inner", "_loop")

    def __init__(self, loop: LoopThread, inner: AsyncManagedRun) -> None:
        self._loop = loop
        self._inner = inner

    @property
    def run(self) -> ScenarioRunView | None:
        """The run as it started (``None`` before entry)."""
        return self._inner.run

    @property
    def final(self) -> ScenarioRunView | None:
        """The run after exit: completed, canceled, or as it was left."""
        return self._inner.final

    def __enter__(self) -> ScenarioRunView:
        return self._loop.call(self._inner.__aenter__)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._loop.call(self._inner.__aexit__, exc_type, exc, tb)
