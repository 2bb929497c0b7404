"""The limit: aiohttp + orjson, no models, no retries, nothing but requests and parsing.

Its sync flavour is the thinnest blocking facade possible: the same session on one
event-loop thread, called from worker threads through ``run_coroutine_threadsafe``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import aiohttp
import orjson

from .bare_runner import run_loop
from .common import CONCURRENCY, TOKEN, Context, Workload, fan_out, threaded
from .registry import RUNNER_WORKLOADS

__all__ = ["ASYNC", "SYNC", "on_loop_thread", "to_json"]

_RUNS = "/v1/scenarios/runs"


def _session(base_url: str) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        base_url,
        connector=aiohttp.TCPConnector(limit=CONCURRENCY),
        headers={"authorization": f"Bearer {TOKEN}", "accept": "application/json"},
    )


async def _call(session: aiohttp.ClientSession, method: str, path: str, **kw: Any) -> Any:
    async with session.request(method, path, **kw) as response:
        body = await response.read()
        if response.status != 200:
            raise RuntimeError(f"{method} {path}: {response.status}")
        return orjson.loads(body)


async def _list_all(base_url: str, limit: int) -> list[Any]:
    out: list[Any] = []
    params = {"limit": str(limit)}
    async with _session(base_url) as session:
        while True:
            page = await _call(session, "GET", _RUNS, params=params)
            out.extend(page["runs"])
            if not page["has_more"] or not page["runs"]:
                return out
            params["starting_after"] = page["runs"][-1]["id"]


async def _each(ctx: Context, method: str, suffix: str) -> list[Any]:
    async with _session(ctx.base_url) as session:

        async def one(run_id: str) -> Any:
            return await _call(session, method, f"{_RUNS}/{run_id}{suffix}")

        return await fan_out(one, ctx.ids, CONCURRENCY)


def _threads(ctx: Context) -> list[Any]:
    retrieve, close = on_loop_thread(ctx.base_url, "GET", "")
    try:
        return threaded(retrieve, ctx.ids)
    finally:
        close()


def on_loop_thread(
    base_url: str, method: str, suffix: str
) -> tuple[Callable[[str], Any], Callable[[], None]]:
    """(one blocking call by run id, close): the session on its own event-loop thread,
    each call handed over with ``run_coroutine_threadsafe``."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    async def make() -> aiohttp.ClientSession:
        return _session(base_url)

    session = asyncio.run_coroutine_threadsafe(make(), loop).result()

    def one(run_id: str) -> Any:
        call = _call(session, method, f"{_RUNS}/{run_id}{suffix}")
        return asyncio.run_coroutine_threadsafe(call, loop).result()

    def close() -> None:
        asyncio.run_coroutine_threadsafe(session.close(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()

    return one, close


ASYNC: dict[str, Workload] = {
    "list_pages_100": lambda ctx: asyncio.run(_list_all(ctx.base_url, 100)),
    "list_page_5000": lambda ctx: asyncio.run(_list_all(ctx.base_url, 5000)),
    "retrieve_c100": lambda ctx: asyncio.run(_each(ctx, "GET", "")),
    "score_c100": lambda ctx: asyncio.run(_each(ctx, "POST", "/score")),
    **{name: lambda ctx: asyncio.run(run_loop(ctx)) for name in RUNNER_WORKLOADS},
}
SYNC: dict[str, Workload] = {"retrieve_threads16": _threads}


def to_json(item: Any) -> Any:
    """Already plain JSON."""
    return item
