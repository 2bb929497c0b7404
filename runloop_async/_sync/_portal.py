"""The loop thread behind :class:`Runloop`, and the one helper every sync method uses.

An :class:`_Engine` is one daemon thread running one asyncio loop with an anyio
blocking portal in its main task. Blocking calls are submitted to the loop as tasks
with ``asyncio.run_coroutine_threadsafe`` (one hand-off each way; the portal's
``start_task_soon`` adds a task-group spawn and cancel scope per call, which measured
about a third of a sync call's overhead); the caller waits on the returned
``concurrent.futures.Future``.

A :class:`LoopThread` is a user-facing handle on an engine: the client's, or a
``with_options`` copy's (:meth:`LoopThread.view`, which does not own the engine).

- Any exception the caller's wait ends with (``KeyboardInterrupt`` from Ctrl-C
  included) cancels the future, which cancels the task on the loop, then propagates.
- :meth:`LoopThread.close` refuses new calls, cancels those in flight (their callers
  get :class:`ClientClosedError`) and, for the owning handle, closes the client on the
  loop, stops the loop and joins the thread. Idempotent; any thread but the loop's.
- A client nobody closes is closed anyway, on its own loop: when its handle is
  garbage-collected (a finalizer schedules the close and never blocks), and at
  interpreter exit, after the script's own threads have ended (an ``atexit`` hook
  that waits a bounded time). The engine never starts a thread while closing, which
  Python 3.12 forbids at exit, and the thread never refers to its handle, so a dropped
  client can be collected.
- No lock is ever taken on the loop thread, so no caller can deadlock it.
"""

from __future__ import annotations

import asyncio
import atexit
import threading
import time
import weakref
from collections.abc import Awaitable, Callable
from concurrent.futures import CancelledError, Future
from functools import partial
from typing import Any, ParamSpec, TypeVar

from anyio.from_thread import BlockingPortal

from .._exceptions import ClientClosedError

__all__ = ["LoopThread", "EXIT_GRACE", "close_all_at_exit"]

P = ParamSpec("P")
T = TypeVar("T")

_CLOSED = "this Runloop client is closed; create a new one"
_IN_FLIGHT = "this Runloop client was closed while the call was in flight"
_OWN_THREAD = (
    "a blocking Runloop method was called from the client's own event loop thread, "
    "where it would wait on itself forever; use AsyncRunloop (await) in async code"
)
#: How long interpreter exit waits for unclosed clients to close, all together.
EXIT_GRACE = 5.0

#: Engines whose thread is still running (closed at interpreter exit).
_LIVE: set[_Engine] = set()
_LIVE_LOCK = threading.Lock()
_EXIT_HOOK: list[bool] = []


class _Engine:
    """One daemon thread, its asyncio loop and the portal in its main task.

    Holds nothing that refers to a :class:`LoopThread`, so handles can be collected.
    """

    def __init__(self, aclose: Callable[[], Awaitable[None]], name: str) -> None:
        self._aclose = aclose
        self._stop_lock = threading.RLock()  # re-entrant: a finalizer may run inside
        self._stop_requested = False
        self.exiting = False  # set by the interpreter-exit hook
        self._main: asyncio.Task[Any] | None = None
        self.close_error: BaseException | None = None
        ready: Future[tuple[BlockingPortal, asyncio.AbstractEventLoop]] = Future()
        self.thread = threading.Thread(target=self._run, args=(ready,), name=name, daemon=True)
        self.thread.start()
        self.portal, self.loop = ready.result()
        self.thread_id: int = self.thread.ident or 0
        _register(self)

    def _run(self, ready: Future[tuple[BlockingPortal, asyncio.AbstractEventLoop]]) -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._serve(ready))
        except BaseException as exc:  # only if the portal itself failed to start
            if not ready.done():
                ready.set_exception(exc)
        finally:
            _teardown(loop)
            with _LIVE_LOCK:
                _LIVE.discard(self)

    async def _serve(self, ready: Future[tuple[BlockingPortal, asyncio.AbstractEventLoop]]) -> None:
        self._main = asyncio.current_task()
        async with BlockingPortal() as portal:
            ready.set_result((portal, asyncio.get_running_loop()))
            await portal.sleep_until_stopped()

    async def _finish(self) -> None:
        # On the loop, once: cancel every other task, close the client, stop the portal.
        me = asyncio.current_task()
        others = [t for t in asyncio.all_tasks() if t is not me and t is not self._main]
        for task in others:
            task.cancel()
        if others:
            await asyncio.wait(others, timeout=EXIT_GRACE)
        try:
            await self._aclose()
        except Exception as exc:  # reported by an explicit close()
            self.close_error = exc
        finally:
            await self.portal.stop(cancel_remaining=True)

    def stop_soon(self) -> None:
        """Schedule the close on the loop (once); never blocks, so a finalizer may call it."""
        with self._stop_lock:
            if self._stop_requested:
                return
            self._stop_requested = True
        coro = self._finish()
        try:
            asyncio.run_coroutine_threadsafe(coro, self.loop)
        except RuntimeError:  # the loop is already closed
            coro.close()

    def stop(self, timeout: float | None = None) -> None:
        """Close on the loop and join the thread (bounded by ``timeout``)."""
        if threading.get_ident() == self.thread_id:
            raise ClientClosedError(_OWN_THREAD)
        self.stop_soon()
        self.thread.join(timeout)


def _teardown(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel what is left on the loop and close it, without starting any thread.

    ``loop.close()`` shuts the default executor down without waiting; the
    ``shutdown_default_executor()`` of ``asyncio.run`` would start a thread, which
    Python 3.12 refuses at interpreter exit.
    """
    try:
        tasks = asyncio.all_tasks(loop)
        for task in tasks:
            task.cancel()
        if tasks:
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
    finally:
        loop.close()


def _register(engine: _Engine) -> None:
    with _LIVE_LOCK:
        _LIVE.add(engine)
        if not _EXIT_HOOK:
            # atexit runs after the interpreter joined the script's own (non-daemon)
            # threads, so their calls finish first; daemon threads still run then.
            atexit.register(close_all_at_exit)
            _EXIT_HOOK.append(True)


def close_all_at_exit(grace: float = EXIT_GRACE) -> None:
    """Close every client still open, on its own loop, within ``grace`` seconds overall."""
    with _LIVE_LOCK:
        engines = list(_LIVE)
    for engine in engines:
        engine.exiting = True
        engine.stop_soon()
    deadline = time.monotonic() + grace
    for engine in engines:
        engine.thread.join(max(0.0, deadline - time.monotonic()))


class LoopThread:
    """A handle on one event loop thread, started at construction.

    Args:
        aclose: The coroutine function closing runs on the loop before stopping it
            (it closes the async client and its HTTP sessions).
        name: The thread's name.
    """

    def __init__(self, aclose: Callable[[], Awaitable[None]], *, name: str) -> None:
        self._setup(_Engine(aclose, name), None)
        # Closed on its loop when collected; the finalizer never blocks.
        weakref.finalize(self, self._engine.stop_soon).atexit = False

    def _setup(self, engine: _Engine, owner: LoopThread | None) -> None:
        self._engine = engine
        self._owner = owner  # a view keeps its owner (and so the engine) alive
        self._lock = threading.RLock()
        self._idle = threading.Condition(self._lock)
        self._closed = False
        self._submitting = 0
        self._futures: set[Future[Any]] = set()
        self._portal = engine.portal

    def view(self) -> LoopThread:
        """A handle on the same loop that does not own it (for ``with_options`` copies).

        Closing a view refuses further calls through it and cancels its own calls in
        flight; the loop, the connections and the other handles are untouched.
        """
        handle = object.__new__(LoopThread)
        handle._setup(self._engine, self._owner or self)
        return handle

    @property
    def closed(self) -> bool:
        """Whether this handle (or, for a view, its owner) was closed."""
        return self._closed or (self._owner is not None and self._owner.closed)

    @property
    def thread_id(self) -> int:
        """``threading.get_ident()`` of the loop thread."""
        return self._engine.thread_id

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
            if self._engine.exiting:
                # Only daemon threads still run at exit: let this one vanish with the
                # interpreter, as it would have without us, instead of raising.
                threading.Event().wait()
            if self.closed:
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
            if threading.get_ident() == self.thread_id:
                raise ClientClosedError(_OWN_THREAD)
            self._submitting += 1
        future: Future[T] | None = None
        coro = _as_coroutine(job)
        try:
            future = asyncio.run_coroutine_threadsafe(coro, self._engine.loop)
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
        """Cancel this handle's calls in flight; the owner also stops the loop.

        The owning handle then runs ``aclose`` on the loop, stops it and joins the
        thread. Idempotent; a second caller waits until the first one is done.

        Raises:
            ClientClosedError: called from the loop's own thread.
            Exception: whatever ``aclose`` raised (the loop is stopped anyway).
        """
        # (Checked before the lock: the loop thread must never wait for a closer that
        # waits for the loop. Thread ids are reused once the loop thread is gone.)
        if self._engine.thread.is_alive() and threading.get_ident() == self.thread_id:
            raise ClientClosedError(_OWN_THREAD)
        with self._lock:
            self._closed = True
            # No submission may still be on its way to the loop when it stops. (The
            # bound only matters if an interrupt ever skipped a decrement.)
            self._idle.wait_for(lambda: self._submitting == 0, timeout=10.0)
            in_flight = list(self._futures)
        for future in in_flight:
            future.cancel()
        if self._owner is None:
            self._engine.stop()
            error, self._engine.close_error = self._engine.close_error, None
            if error is not None:
                raise error


async def _as_coroutine(job: Callable[[], Awaitable[T]]) -> T:
    # run_coroutine_threadsafe needs a coroutine; job() may return any awaitable.
    return await job()
