"""``Runloop``: the blocking client, a typed facade over :class:`AsyncRunloop`."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING

from .._client import AsyncRunloop
from .._config import NOT_GIVEN, Limits, NotGiven, RetryConfig, TimeoutLike
from ._portal import LoopThread
from ._scenarios import Scenarios

if TYPE_CHECKING:
    from ._benchmark_jobs import BenchmarkJobs
    from ._benchmark_runs import BenchmarkRuns
    from ._benchmarks import Benchmarks
    from ._devboxes import Devboxes

__all__ = ["Runloop"]


class Runloop:
    """The blocking Runloop evaluation API client.

    Every method of :class:`AsyncRunloop` is here under the same path, with the same
    arguments, returning the same models, without ``await``::

        with Runloop() as client:
            run = client.scenarios.start_run(scenario_id="scn_123")
            scored = client.scenarios.runs.score_and_await(run.id)
            for view in client.scenarios.runs.list(state="scored"):
                print(view.id, view.scoring_contract_result)

    Each client owns one event loop on one background thread (an anyio blocking
    portal), started here; the async client and its HTTP sessions live on that loop.
    Many threads may share one client: their calls run concurrently on its loop,
    bounded by the connection limits. It also works from a thread that runs its own
    event loop (a notebook), since the work runs on the client's loop. Ctrl-C during
    a call cancels the underlying request or wait at once.

    Close it with ``with Runloop() as client:`` or :meth:`close`; that stops the loop
    and joins its thread. A client that is never closed (the usual 1.x script) is
    closed for you, quietly and on its own loop: when it is garbage-collected (with
    its ``with_options`` copies), and at interpreter exit, after the script's own
    threads have ended (waiting at most 5 s in all).

    Args:
        bearer_token: The API key. Default: the ``RUNLOOP_API_KEY`` environment variable.
        base_url: Default: ``RUNLOOP_BASE_URL``, else ``https://api.runloop.ai``.
        timeout: Per-attempt :class:`Timeout`, or seconds. Default ``Timeout()``.
        max_retries: Retries per call. Default 5.
        retry: Full :class:`RetryConfig`.
        limits: :class:`Limits` (connection pools). Default 100 + 100 for long-polls.
        default_headers: Extra headers on every request.

    Raises:
        ConfigurationError: no API key, or a malformed base URL (no thread is started).

    Warns:
        InsecureTransportWarning: ``base_url`` is ``http://`` to a non-loopback host.
    """

    def __init__(
        self,
        bearer_token: str | None = None,
        base_url: str | None = None,
        *,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        retry: RetryConfig | None = None,
        limits: Limits | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        # Validates the settings (and may raise) before any thread exists; the HTTP
        # sessions are created lazily, on the loop thread, at the first call.
        client = AsyncRunloop(
            bearer_token, base_url, timeout=timeout, max_retries=max_retries,
            retry=retry, limits=limits, default_headers=default_headers,
        )  # fmt: skip
        self._bind(LoopThread(client.close, name=f"runloop-loop-{id(self):x}"), client)

    def _bind(self, loop: LoopThread, client: AsyncRunloop) -> None:
        self._loop = loop
        self._async = client
        self.scenarios = Scenarios(loop, client.scenarios)

    # The other resources are built on first use, as AsyncRunloop's (same reason).

    @functools.cached_property
    def benchmarks(self) -> Benchmarks:
        """Benchmarks: :class:`Benchmarks`."""
        from ._benchmarks import Benchmarks

        return Benchmarks(self._loop, self._async.benchmarks)

    @functools.cached_property
    def benchmark_runs(self) -> BenchmarkRuns:
        """Benchmark runs: :class:`BenchmarkRuns`."""
        from ._benchmark_runs import BenchmarkRuns

        return BenchmarkRuns(self._loop, self._async.benchmark_runs)

    @functools.cached_property
    def devboxes(self) -> Devboxes:
        """Devboxes (readiness only): :class:`Devboxes`."""
        from ._devboxes import Devboxes

        return Devboxes(self._loop, self._async.devboxes)

    @functools.cached_property
    def benchmark_jobs(self) -> BenchmarkJobs:
        """Benchmark jobs [Beta]: :class:`BenchmarkJobs`."""
        from ._benchmark_jobs import BenchmarkJobs

        return BenchmarkJobs(self._loop, self._async.benchmark_jobs)

    @property
    def base_url(self) -> str:
        """The API base URL in use (no trailing slash)."""
        return self._async.base_url

    @property
    def is_closed(self) -> bool:
        """Whether :meth:`close` was called on this client (for a ``with_options`` copy:
        on the copy or on the client it was made from)."""
        return self._loop.closed

    def with_options(
        self,
        *,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> Runloop:
        """A copy with other defaults that shares this client's loop thread, connections
        and retry budget.

        Cheap (no new thread or session). The copy does not own the connections:
        closing it only refuses further calls through the copy (and cancels its calls
        in flight); the original keeps working. Closing the original closes every
        copy too.

        Raises:
            InvalidArgumentError: ``timeout`` is not a positive number or ``None``.
        """
        clone = object.__new__(Runloop)
        copy = self._async.with_options(timeout=timeout, max_retries=max_retries)
        clone._bind(self._loop.view(), copy)
        return clone

    def close(self) -> None:
        """Cancel calls in flight, close the HTTP sessions, stop the loop, join its thread.

        Idempotent and thread-safe; calls still in flight in other threads raise
        :class:`ClientClosedError`, as does any later call.

        Raises:
            ClientClosedError: called from the client's own loop thread.
        """
        self._loop.close()

    def __enter__(self) -> Runloop:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Runloop(base_url={self.base_url!r})"
