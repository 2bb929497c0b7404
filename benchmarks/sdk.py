"""The workloads written once for any SDK shaped like the official one.

Both runloop_async and runloop-api-client expose ``client.scenarios.runs.list /
retrieve / score``, async clients that are async context managers and blocking
clients that are context managers, so one set of workloads serves both.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from .common import CONCURRENCY, Context, Workload, fan_out, threaded

__all__ = ["sdk_workloads"]

#: Builds a client for a base URL.
Factory = Callable[[str], Any]


def sdk_workloads(
    async_client: Factory, sync_client: Factory
) -> tuple[dict[str, Workload], dict[str, Workload]]:
    """(async workloads, sync workloads) for an SDK's two client classes."""

    async def list_all(ctx: Context, limit: int) -> list[Any]:
        async with async_client(ctx.base_url) as client:
            return [run async for run in client.scenarios.runs.list(limit=limit)]

    async def each(ctx: Context, method: str) -> list[Any]:
        async with async_client(ctx.base_url) as client:
            return await fan_out(getattr(client.scenarios.runs, method), ctx.ids, CONCURRENCY)

    def sync_list(ctx: Context, limit: int) -> list[Any]:
        with sync_client(ctx.base_url) as client:
            return list(client.scenarios.runs.list(limit=limit))

    def threads(ctx: Context) -> list[Any]:
        with sync_client(ctx.base_url) as client:
            return threaded(client.scenarios.runs.retrieve, ctx.ids)

    async_table: dict[str, Workload] = {
        "list_pages_100": lambda ctx: asyncio.run(list_all(ctx, 100)),
        "list_page_5000": lambda ctx: asyncio.run(list_all(ctx, 5000)),
        "retrieve_c100": lambda ctx: asyncio.run(each(ctx, "retrieve")),
        "score_c100": lambda ctx: asyncio.run(each(ctx, "score")),
    }
    sync_table: dict[str, Workload] = {
        "list_pages_100": lambda ctx: sync_list(ctx, 100),
        "list_page_5000": lambda ctx: sync_list(ctx, 5000),
        "retrieve_threads16": threads,
    }
    return async_table, sync_table
