"""runloop_async: the async client and its blocking twin, used as documented."""

from __future__ import annotations

import asyncio
from typing import Any

# runloop_async imports aiohttp and cattrs (_converter) at the first request, and anyio
# its asyncio backend when the blocking client starts its loop, not with the package,
# so `import runloop_async` and the CLI start fast. The workloads time requests, not
# imports, so all three are loaded here, before the clock starts, as the bare client's
# and the official SDK's are by their own imports. The import rows of RESULTS.md report
# `import runloop_async` alone and with all a first request loads.
import aiohttp  # noqa: F401
import anyio._backends._asyncio  # noqa: F401

from runloop_async import AgentContext, AsyncRunloop, Runloop, run_benchmark
from runloop_async._converter import unstructure

from .common import TOKEN, Context
from .registry import RUNNER_WORKLOADS
from .sdk import sdk_workloads

__all__ = ["ASYNC", "SYNC", "to_json"]

ASYNC, SYNC = sdk_workloads(lambda url: AsyncRunloop(TOKEN, url), lambda url: Runloop(TOKEN, url))


async def _no_op(ctx: AgentContext) -> None:
    """The agent: nothing to do, so what is measured is the runner itself."""


async def _runner(ctx: Context) -> list[dict[str, Any]]:
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
