"""runloop_async: the async client and its blocking twin, used as documented."""

from __future__ import annotations

import asyncio
import importlib
from typing import Any

# runloop_async imports aiohttp and cattrs (_converter) at the first request, anyio its
# asyncio backend when the blocking client starts its loop, and the runner with
# run_benchmark, not with the package, so `import runloop_async` and the CLI start
# fast. The workloads time requests, not imports: what a workload's process would have
# loaded is loaded before the clock starts (aiohttp and cattrs here, for every
# workload; the anyio backend and the runner by :func:`prepare`, only for the
# workloads that use them), as the bare client's and the official SDK's are by their
# own imports. Loading more than a workload uses is not free inside the window: every
# import's allocations move the process towards its first full garbage collection
# (RESULTS.md, Analysis). The import rows of RESULTS.md report `import runloop_async`
# alone and with all a first request loads.
import aiohttp  # noqa: F401

import runloop_async
from runloop_async import AsyncRunloop
from runloop_async._converter import unstructure

from .common import TOKEN, Context
from .registry import RUNNER_WORKLOADS
from .sdk import sdk_workloads

__all__ = ["ASYNC", "SYNC", "prepare", "to_json"]

# The blocking client is looked up when used: importing it loads anyio, which an
# async-only script never does (and a loaded anyio changes what a close does).
ASYNC, SYNC = sdk_workloads(
    lambda url: AsyncRunloop(TOKEN, url), lambda url: runloop_async.Runloop(TOKEN, url)
)


def prepare(table: str, workload: str) -> None:
    """Before the clock: load what this workload's process would have loaded by now."""
    if table == "SYNC":
        runloop_async.Runloop  # noqa: B018 (loads the blocking client and anyio)
    if table == "SYNC" or workload in RUNNER_WORKLOADS:
        # The blocking client's loop thread and the runner's task groups run on it.
        importlib.import_module("anyio._backends._asyncio")
    if workload in RUNNER_WORKLOADS:
        importlib.import_module("runloop_async._runner")


async def _no_op(ctx: Any) -> None:
    """The agent: nothing to do, so what is measured is the runner itself."""


async def _runner(ctx: Context) -> list[dict[str, Any]]:
    from runloop_async import run_benchmark  # loaded by prepare(), before the clock

    async with AsyncRunloop(TOKEN, ctx.base_url) as client:
        result = await run_benchmark(
            client, _no_op, benchmark_id=ctx.benchmark_id, concurrency=ctx.concurrency
        )
    rows = [{"scenario": r.scenario_name, "state": r.state, "score": r.score} for r in result.rows]
    return sorted(rows, key=lambda r: str(r["scenario"]))


ASYNC.update({name: lambda ctx: asyncio.run(_runner(ctx)) for name in RUNNER_WORKLOADS})


def to_json(item: Any) -> Any:
    """The wire form of a model (``None`` fields left out); runner rows are dicts."""
    return item if isinstance(item, dict) else unstructure(item)
