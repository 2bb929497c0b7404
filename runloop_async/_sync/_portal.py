"""The loop thread behind :class:`Runloop`, and the one helper every sync method uses.

A :class:`LoopThread` owns one anyio blocking portal (asyncio backend) running on one
background thread. Blocking calls are submitted to the portal's loop as tasks with
``asyncio.run_coroutine_threadsafe`` (one hand-off each way; the portal's
``start_task_soon`` adds a task-group spawn and cancel scope per call, which measured
about a third of a sync call's overhead); the caller waits on the returned
``concurrent.futures.Future``. The portal still owns the loop's life: it starts it,
runs :meth:`LoopThread.close`'s async close on it, and stops it.

- Any exception the caller's wait ends with (``KeyboardInterrupt`` from Ctrl-C
  included) cancels the future, which cancels the task on the loop, then propagates.
- :meth:`LoopThread.close` refuses new calls, cancels those in flight (their callers
  get :class:`ClientClosedError`), runs the given async close on the loop, stops the
  portal and joins the thread. It is idempotent and safe to call from any thread but
  the loop's own.
- No lock is ever taken on the loop thread, so no caller can deadlock it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import CancelledError, Future
from contextlib import ExitStack
from functools import partial
from typing import Any, ParamSpec, TypeVar

from anyio.from_thread import BlockingPortal, start_blocking_portal

from .._exceptions import ClientClosedError

__all__ = ["LoopThread"]

P = ParamSpec("P")
T = TypeVar("T")

_CLOSED = "this Runloop client is closed; create a new one"
_IN_FLIGHT = "this Runloop client was closed while the call was in flight"
_OWN_THREAD = (
    "a blocking Runloop method was called from the client's own event loop thread, "
    "where it would wait on itself forever; use AsyncRunloop (await) in async code"
)


class LoopThread:
    """One event loop on one daemon thread, started at construction.

    Args:
        aclose: The coroutine function :meth:`close` runs on the loop before stopping
            it (it closes the async client and its HTTP sessions).
        name: The thread's name.
    """

    def __init__(self, aclose: Callable[[], Awaitable[None]], *, name: str) -> None:
        self._aclose = aclose
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._close_lock = threading.Lock()
        self._closed = False
        self._stopped = False
        self._submitting = 0
        self._futures: set[Future[Any]] = set()
        self._stack = ExitStack()
        # start_blocking_portal joins its thread itself if starting fails.
        self._portal: BlockingPortal = self._stack.enter_context(
            start_blocking_portal("asyncio", name=name)
        )
        try:
            self._thread_id: int = self._portal.call(threading.get_ident)
            self._loop = self._portal.call(_running_loop)
        except BaseException:
            self._stack.close()
            raise

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    @property
    def thread_id(self) -> int:
        """``threading.get_ident()`` of the loop thread."""
        return self._thread_id

    def call(self, fn: Callable[P, Awaitable[T]], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn(*args, **kwargs)`` on the loop and block until it is done.

        Raises:
            ClientClosedError: the client is closed (or was closed during the call),
                or this is the loop's own thread.
            BaseException: whatever ``fn`` raised; an interrupt of the wait (Ctrl-C)
                cancels the task on the loop first.
        """
        future = self._submit(partial(fn, *args, **kwargs))
        try:
            return future.result()
        except CancelledError:
            if self._closed:
                raise ClientClosedError(_IN_FLIGHT) from None
            raise
        except BaseException:
            # KeyboardInterrupt (or any other error of the wait itself): stop the task.
            future.cancel()
            raise
        finally:
            with self._lock:
                self._futures.discard(future)

    def _submit(self, job: Callable[[], Awaitable[T]]) -> Future[T]:
        with self._lock:
            if self.closed:
                raise ClientClosedError(_CLOSED)
            if threading.get_ident() == self._thread_id:
                raise ClientClosedError(_OWN_THREAD)
            self._submitting += 1
        future: Future[T] | None = None
        coro = _as_coroutine(job)
        try:
            future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        except RuntimeError as exc:  # the loop died under us (it never should)
            coro.close()
            raise ClientClosedError(f"the client's event loop is not running: {exc}") from exc
        finally:
            with self._lock:
                self._submitting -= 1
                if future is not None:
                    self._futures.add(future)
                closing = self._closed
                self._idle.notify_all()
        if closing:
            # close() took its snapshot of the calls in flight before this one joined.
            future.cancel()
        return future

    def close(self) -> None:
        """Cancel the calls in flight, run ``aclose`` on the loop, stop it, join the thread.

        Idempotent; a second caller waits until the first one is done.

        Raises:
            ClientClosedError: called from the loop's own thread.
        """
        # (Checked before the lock: the loop thread must never wait for a closer that
        # waits for the loop. Thread ids are reused once the loop thread is gone.)
        if not self._stopped and threading.get_ident() == self._thread_id:
            raise ClientClosedError(_OWN_THREAD)
        with self._close_lock:
            if self._stopped:
                return
            with self._lock:
                self._closed = True
                # No submission may still be on its way to the loop when it stops. (The
                # bound only matters if an interrupt ever skipped a decrement.)
                self._idle.wait_for(lambda: self._submitting == 0, timeout=10.0)
                in_flight = list(self._futures)
            try:
                for future in in_flight:
                    future.cancel()
                try:
                    self._portal.call(self._aclose)
                finally:
                    # Cancel whatever is left (a call orphaned by an interrupt), then let
                    # the context manager's own stop find the portal already stopping.
                    self._portal.call(self._portal.stop, True)
            finally:
                self._stopped = True
                self._stack.close()


async def _running_loop() -> asyncio.AbstractEventLoop:
    return asyncio.get_running_loop()


async def _as_coroutine(job: Callable[[], Awaitable[T]]) -> T:
    # run_coroutine_threadsafe needs a coroutine; job() may return any awaitable.
    return await job()
