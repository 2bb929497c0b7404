"""``run_benchmark_sync``: the runner for blocking code (scripts, notebooks, threads)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict, Unpack

from .._config import Limits, RetryConfig
from ._agent import Agent
from ._events import EventCallback
from ._results import BenchmarkResult
from ._runner import run_benchmark
from ._shard import Shard

__all__ = ["RunnerOptions", "run_benchmark_sync"]


class RunnerOptions(TypedDict, total=False):
    """The options of :class:`BenchmarkRunner` / :func:`run_benchmark`, as keywords."""

    benchmark_id: str | None
    scenario_ids: Sequence[str] | None
    benchmark_run_id: str | None
    concurrency: int
    shard: Shard | None
    complete_benchmark_run: bool | None
    keep_devboxes: bool
    env_ready_timeout: float | None
    env_retries: int
    scoring_timeout: float | None
    agent_timeout: float | None
    run_name: str | None
    metadata: Mapping[str, str] | None
    run_profile: Any
    on_event: EventCallback | None


def run_benchmark_sync(
    agent: Agent,
    *,
    bearer_token: str | None = None,
    base_url: str | None = None,
    retry: RetryConfig | None = None,
    limits: Limits | None = None,
    **options: Unpack[RunnerOptions],
) -> BenchmarkResult:
    """Blocking twin of :func:`run_benchmark`: same options, same result.

    It runs the async runner on its own event loop in a background thread, with its
    own :class:`AsyncRunloop` (``bearer_token``/``base_url`` default to
    ``RUNLOOP_API_KEY``/``RUNLOOP_BASE_URL``), so it works from any thread, including
    one that runs an event loop (a notebook). Sync agents run in worker threads of
    that loop; to call the API from one, use
    ``anyio.from_thread.run(ctx.client.devboxes.retrieve, ctx.devbox_id)``.
    ``on_event`` is called on the loop thread.

    Ctrl-C (or any exception while waiting) cancels the run: every scenario run it
    started is canceled and its devbox shut down before the exception propagates.

    Raises:
        ConfigurationError: no API key.
        InvalidArgumentError, APIError: as :func:`run_benchmark`.
    """
    from anyio.from_thread import start_blocking_portal

    from .._client import AsyncRunloop

    async def go() -> BenchmarkResult:
        async with AsyncRunloop(bearer_token, base_url, retry=retry, limits=limits) as client:
            return await run_benchmark(client, agent, **options)

    with start_blocking_portal("asyncio", name="runloop-benchmark") as portal:
        return portal.call(go)
