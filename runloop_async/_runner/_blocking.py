"""``run_benchmark_sync``: the runner for blocking code (scripts, notebooks, threads)."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .._exceptions import InvalidArgumentError
from ._agent import Agent
from ._events import EventCallback, EventKind, RunnerEvent
from ._options import RunnerOptions
from ._results import BenchmarkResult
from ._runner import BenchmarkRunner

if TYPE_CHECKING:
    from .._sync import Runloop

__all__ = ["Terminated", "run_benchmark_sync", "CLIENT_OPTIONS"]

#: Client options ``run_benchmark_sync`` passes to the :class:`Runloop` it creates.
CLIENT_OPTIONS = frozenset(
    {"bearer_token", "base_url", "timeout", "max_retries", "retry", "limits", "default_headers"}
)


class Terminated(KeyboardInterrupt):
    """SIGTERM, turned into an interrupt so the run is cleaned up as on Ctrl-C."""


def run_benchmark_sync(
    agent: Agent,
    options: RunnerOptions | None = None,
    *,
    client: Runloop | None = None,
    on_event: EventCallback | None = None,
    **kwargs: Any,
) -> BenchmarkResult:
    """Blocking twin of :func:`run_benchmark`: same options, same result.

    Runs the async runner on the event loop of a :class:`Runloop` client: ``client``
    if given (left open), else one created from the client options among
    ``kwargs`` (``bearer_token``, ``base_url``, ``timeout``, ``max_retries``,
    ``retry``, ``limits``, ``default_headers``; the key and URL default to
    ``RUNLOOP_API_KEY``/``RUNLOOP_BASE_URL``) and closed at the end. The other
    ``kwargs`` are :class:`RunnerOptions` fields. It works from any thread,
    including one that runs an event loop (a notebook). Sync agents run in worker
    threads of that loop; to call the API from one, use
    ``anyio.from_thread.run(ctx.client.devboxes.retrieve, ctx.devbox_id)``.
    ``on_event`` is called on the loop thread.

    Ctrl-C, and SIGTERM when called from the main thread, cancel the run: every
    scenario run it started is canceled and its devbox shut down before the
    interrupt propagates, and the resume hint is printed on stderr. After SIGTERM
    the signal is delivered again to the previous handler (by default the process
    then ends as killed by SIGTERM, exit status 143).

    Raises:
        ConfigurationError: no API key.
        InvalidArgumentError: bad options or agent, before any run starts.
        RunOwnershipError, APIError: as :func:`run_benchmark`.
        KeyboardInterrupt: Ctrl-C (after the cleanup).
    """
    from .._sync import Runloop

    client_options = {k: kwargs.pop(k) for k in list(kwargs) if k in CLIENT_OPTIONS}
    if client is not None and client_options:
        both = sorted(client_options)
        raise InvalidArgumentError(f"give client= or client options, not both: {both}")
    runner_options = RunnerOptions.build(options, kwargs)  # bad options fail before a client
    with _sigterm_as_interrupt():
        sync_client = Runloop(**client_options) if client is None else client
        try:
            return _run_on(sync_client, agent, runner_options, on_event)
        finally:
            if client is None:
                sync_client.close()


def _run_on(
    client: Runloop,
    agent: Agent,
    options: RunnerOptions,
    on_event: EventCallback | None,
) -> BenchmarkResult:
    started: list[str] = []

    async def note(event: RunnerEvent) -> None:
        if event.kind == EventKind.RUN_STARTED and event.benchmark_run_id:
            started.append(event.benchmark_run_id)
        if on_event is not None:
            result = on_event(event)
            if hasattr(result, "__await__"):
                await result

    runner = BenchmarkRunner(client._async, agent, options, on_event=note)
    done = threading.Event()

    async def go() -> BenchmarkResult:
        try:
            return await runner.run()
        finally:
            done.set()

    try:
        return client._loop.call(go)
    except KeyboardInterrupt:
        # The task was cancelled; its cleanup (shielded) runs on the loop thread:
        # wait for it, so the runs are canceled before the interrupt goes on.
        done.wait(options.cleanup_timeout * 2 + options.agent_grace + 5)
        if started:
            sys.stderr.write(
                f"interrupted; resume with benchmark_run_id={started[0]!r} "
                f"(runloop-async benchmarks run ... --benchmark-run {started[0]})\n"
            )
        raise


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """In the main thread: SIGTERM raises :class:`Terminated` (an interrupt); on the
    way out the previous handler is restored, and a SIGTERM received is delivered
    to it again."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise Terminated("SIGTERM")

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    except Terminated:
        signal.signal(signal.SIGTERM, previous)
        signal.raise_signal(signal.SIGTERM)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
