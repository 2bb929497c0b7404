"""The loop thread behind :class:`Runloop`, and the one helper every sync method uses.

An :class:`_Engine` is one daemon thread running one asyncio loop with an anyio
blocking portal in its main task. A blocking call is a :class:`_Call`: the caller
queues it for the loop and blocks on a plain lock that the task's done callback
releases. Calls queued while the loop has not woken up yet share one wakeup. (The
portal's ``start_task_soon`` adds a task-group spawn and cancel scope per call, and
``asyncio.run_coroutine_threadsafe`` a ``concurrent.futures.Future`` with its
condition variable, callbacks chained both ways and one wakeup per call: both
measured as a large part of a sync call's cost, see benchmarks/RESULTS.md.)

A :class:`LoopThread` is a user-facing handle on an engine: the client's, or a
``with_options`` copy's (:meth:`LoopThread.view`, which does not own the engine).

- Any exception the caller's wait ends with (``KeyboardInterrupt`` from Ctrl-C
  included) cancels the call, which cancels the task on the loop, then propagates.
- :meth:`LoopThread.close` refuses new calls, cancels those in flight (their callers
  get :class:`ClientClosedError`) and, for the owning handle, closes the client on the
  loop, stops the loop and joins the thread. Idempotent; any thread but the loop's.
- A client nobody closes is closed anyway, on its own loop: when its handle is
  garbage-collected (a finalizer schedules the close and never blocks), and at
  interpreter exit, after the script's own threads have ended (an ``atexit`` hook
  that waits a bounded time). The engine never starts a thread while closing, which
  Python 3.12 forbids at exit, and the thread never refers to its handle, so a dropped
  client can be collected.
- No lock is ever held on the loop thread while it waits, so no caller can deadlock it.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import contextvars
import threading
import time
import weakref
from collections import deque
from collections.abc import Awaitable, Callable
from concurrent.futures import CancelledError, Future
from functools import partial
from types import CoroutineType
from typing import Any, Generic, ParamSpec, TypeVar

from anyio.from_thread import BlockingPortal

from .._exceptions import ClientClosedError
from ._teardown import JoinableExecutor, teardown

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


#: Guards every call's one move to done (the loop's answer or a cancel, whichever
#: comes first); held for two assignments, never while waiting.
_SETTLE = threading.Lock()


class _Call(Generic[T]):
    """One blocking call on its way to the loop and back: a minimal future.

    The caller blocks on ``waiter`` (taken at creation); :meth:`settle` releases it
    once, with the result or the error.
    """

    __slots__ = ("context", "done", "error", "job", "result", "task", "waiter")

    def __init__(self, job: Callable[[], Awaitable[T]]) -> None:
        self.job = job
        # The task runs in a copy of the caller's context, as a task would there.
        self.context = contextvars.copy_context()
        self.waiter = threading.Lock()
        self.waiter.acquire()
        self.task: asyncio.Task[T] | None = None
        self.done = False
        self.result: T | None = None
        self.error: BaseException | None = None

    def settle(self, result: T | None, error: BaseException | None) -> None:
        """Deliver the outcome to the caller (only the first one counts)."""
        with _SETTLE:
            if self.done:
                return
            self.done = True
        self.result, self.error = result, error
        self.waiter.release()

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """On the loop: run the job as a task (unless the call was cancelled first)."""
        if self.done:
            return
        try:
            awaitable = self.context.run(self.job)
        except BaseException as exc:  # delivered to the caller, as the task's would be
            self.settle(None, exc)
            return
        coro = awaitable if isinstance(awaitable, CoroutineType) else _as_coroutine(awaitable)
        # The Task itself, not loop.create_task (a Python method around it): this
        # loop is the engine's own, with no task factory to honour.
        task = self.task = asyncio.Task(coro, loop=loop, context=self.context)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[T]) -> None:
        if task.cancelled():
            self.settle(None, CancelledError())
        else:
            error = task.exception()
            self.settle(None if error is not None else task.result(), error)

    def cancel(self, loop: asyncio.AbstractEventLoop) -> None:
        """From any thread: the caller gets CancelledError now; the task is cancelled."""
        self.settle(None, CancelledError())
        # (RuntimeError: the loop is closed, nothing runs there any more.)
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self._cancel_task)

    def _cancel_task(self) -> None:
        if self.task is not None:
            self.task.cancel()


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
        #: Calls queued for the loop; ``_wake_pending`` while a drain is scheduled.
        self._pending: deque[_Call[Any]] = deque()
        self._wake_pending = False
        self._dead = False
        ready: Future[tuple[BlockingPortal, asyncio.AbstractEventLoop]] = Future()
        self.thread = threading.Thread(target=self._run, args=(ready,), name=name, daemon=True)
        self.thread.start()
        self.portal, self.loop = ready.result()
        self.thread_id: int = self.thread.ident or 0
        _register(self)

    def _run(self, ready: Future[tuple[BlockingPortal, asyncio.AbstractEventLoop]]) -> None:
        loop = asyncio.new_event_loop()
        executor = JoinableExecutor()
        loop.set_default_executor(executor)
        try:
            loop.run_until_complete(self._serve(ready))
        except BaseException as exc:  # only if the portal itself failed to start
            if not ready.done():
                ready.set_exception(exc)
        finally:
            teardown(loop, executor, grace=EXIT_GRACE)
            self._dead = True
            self._drop_pending()
            with _LIVE_LOCK:
                _LIVE.discard(self)

    def submit(self, call: _Call[Any]) -> None:
        """Queue ``call`` for the loop; wake the loop unless a wakeup is on its way.

        Raises:
            ClientClosedError: the loop is not running any more.
        """
        self._pending.append(call)
        if self._dead:
            self._drop_pending()
        elif not self._wake_pending:
            # (A drain clears the flag before it empties the queue, and the call is
            # queued before the flag is read: no call is left behind.)
            self._wake_pending = True
            try:
                self.loop.call_soon_threadsafe(self._drain)
            except RuntimeError as exc:  # the loop died under us (it never should)
                self._drop_pending()
                raise ClientClosedError(f"the client's event loop is not running: {exc}") from exc

    def _drain(self) -> None:
        self._wake_pending = False
        pending, loop = self._pending, self.loop
        while pending:
            pending.popleft().start(loop)

    def _drop_pending(self) -> None:
        while self._pending:
            self._pending.popleft().settle(None, CancelledError())

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
        self._closed = False
        #: Calls in flight through this handle (cancelled by close); set.add and
        #: set.discard are atomic, so callers take no lock.
        self._futures: set[_Call[Any]] = set()
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
        call = self._submit(partial(fn, *args, **kwargs))
        try:
            call.waiter.acquire()
        except BaseException:
            # KeyboardInterrupt (or any other error of the wait itself): stop the task.
            call.cancel(self._engine.loop)
            raise
        finally:
            self._futures.discard(call)
        error = call.error
        if error is None:
            return call.result  # type: ignore[return-value]
        if isinstance(error, CancelledError):
            if self._engine.exiting:
                # Only daemon threads still run at exit: let this one vanish with the
                # interpreter, as it would have without us, instead of raising.
                threading.Event().wait()
            if self.closed:
                raise ClientClosedError(_IN_FLIGHT) from None
        # Dropped from this frame as it leaves: the error's traceback holds the frame,
        # and a frame holding its error (or the call, or its task, that hold it) is a
        # cycle only the collector frees, with every frame of the failed call.
        try:
            raise error
        finally:
            del error, call

    def _submit(self, job: Callable[[], Awaitable[T]]) -> _Call[T]:
        call = _Call(job)
        self._futures.add(call)
        # Read after the call joined the set: close() sets the flag before it takes
        # its snapshot of the calls in flight, so one of the two sees this call.
        # (The properties closed and thread_id, read without their two calls.)
        owner = self._owner
        if (
            self._closed
            or (owner is not None and owner._closed)
            or threading.get_ident() == self._engine.thread_id
        ):
            self._futures.discard(call)
            raise ClientClosedError(_CLOSED if self.closed else _OWN_THREAD)
        try:
            self._engine.submit(call)
        except ClientClosedError:
            self._futures.discard(call)
            raise
        return call

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
            in_flight = list(self._futures)
        for call in in_flight:
            call.cancel(self._engine.loop)
        if self._owner is None:
            self._engine.stop()
            error, self._engine.close_error = self._engine.close_error, None
            if error is not None:
                raise error


async def _as_coroutine(awaitable: Awaitable[T]) -> T:
    # A task needs a coroutine; a job may return any awaitable.
    return await awaitable
