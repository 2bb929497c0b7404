"""The scenario tasks: plain asyncio tasks, each inside an anyio cancel scope of its own.

An anyio task group costs about 25 us a task (anyio 4.16: a task handle with its own
cancel scope and event, a wrapping coroutine resumed at every step of the task, task
state in a weak dictionary), about a fifth of what the runner itself costs a
scenario (benchmarks/RESULTS.md). A :class:`Flock` gives the scenario tasks what the
runner needs of a task group, for the price of an asyncio task and one cancel scope:

* the host waits for every task, and a task's exception (other than its own
  cancellation) cancels the others and is raised, in a ``BaseExceptionGroup``, when
  they are done;
* a cancellation of the host (a cancel scope around it, the outage watchdog, Ctrl-C
  through the blocking facade or ``asyncio.run``) cancels every task and the host
  still waits for them, as anyio's task group does.

A task is cancelled only through its own anyio scope (``scope.cancel()``), never by
``Task.cancel()``: anyio then delivers the cancellation as it would from a task
group, so a shielded scope inside the task (a run's start, a run's end, an agent's
own shield) is not interrupted, and the cancellation is delivered again until the
task leaves its scope. (A native ``Task.cancel()`` would go through those shields:
the reason the runner does not simply use ``asyncio.TaskGroup``.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import Any

import anyio

__all__ = ["Flock"]


class Flock:
    """``async with Flock() as flock: flock.spawn(make)``: structured plain tasks."""

    __slots__ = ("_cancelled", "_errors", "_idle", "_scopes")

    def __init__(self) -> None:
        self._scopes: dict[asyncio.Task[None], anyio.CancelScope] = {}
        self._errors: list[BaseException] = []
        self._idle: asyncio.Future[None] | None = None
        self._cancelled = False

    async def __aenter__(self) -> Flock:
        return self

    def spawn(self, make: Callable[[anyio.CancelScope], Coroutine[Any, Any, None]]) -> None:
        """Start ``make(scope)`` in a task of its own; the coroutine must run its work
        inside ``with scope:`` (the scope through which the flock cancels it)."""
        scope = anyio.CancelScope()
        if self._cancelled:
            scope.cancel()  # delivered as soon as the task enters it
        task = asyncio.get_running_loop().create_task(make(scope))
        self._scopes[task] = scope
        task.add_done_callback(self._done)

    def cancel(self) -> None:
        """Cancel every task (and any spawned later) through its scope."""
        self._cancelled = True
        for scope in list(self._scopes.values()):
            scope.cancel()

    def _done(self, task: asyncio.Task[None]) -> None:
        del self._scopes[task]
        if not task.cancelled():
            error = task.exception()
            if error is not None:
                self._errors.append(error)
                self.cancel()
        idle = self._idle
        if idle is not None and not self._scopes and not idle.done():
            idle.set_result(None)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None:
            self.cancel()
        cancelled = await self._join(shielded=exc is not None)
        try:
            if self._errors:
                errors, self._errors = self._errors, []
                raise BaseExceptionGroup("unhandled errors in a scenario task", errors)
            if cancelled is not None and exc is None:
                raise cancelled
        finally:
            del cancelled  # the raised error's traceback holds this frame

    async def _join(self, *, shielded: bool) -> asyncio.CancelledError | None:
        """Wait until every task is done; a cancellation meanwhile cancels them all
        and is returned (the wait goes on, shielded)."""
        cancelled: asyncio.CancelledError | None = None
        while self._scopes:
            self._idle = asyncio.get_running_loop().create_future()
            try:
                if shielded:
                    with anyio.CancelScope(shield=True):
                        await self._idle
                else:
                    await self._idle
            except asyncio.CancelledError as exc:
                cancelled, shielded = exc, True
                self.cancel()
            finally:
                self._idle = None
        return cancelled
