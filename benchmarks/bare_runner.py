"""The runner's limit: a minimal hand-written asyncio loop, aiohttp + orjson, no models.

It makes the calls ``run_benchmark`` makes for a benchmark with a no-op agent: the
benchmark and its scenario definitions, start a benchmark run; per scenario start a
run, wait for its devbox (server long-poll), call the agent, score, poll until
scored, complete; list the benchmark run's scenario runs (the runner reads them back
to end any left live and to reconcile its rows; here, to check none is live), then
complete the benchmark run. No retries, no events, no results bookkeeping beyond one
dict per scenario: what a careful script would do by hand. Like ours it uses two
connection pools of 100 (calls, and long-polls).
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import orjson

from .common import TOKEN, Context

__all__ = ["run_loop"]

_HEADERS = {
    "authorization": f"Bearer {TOKEN}",
    "accept": "application/json",
    "content-type": "application/json",
}
_READY = ["running", "failure", "shutdown"]
_POLL = 0.25
_PAGE = 1000


class _Api:
    def __init__(self, base_url: str) -> None:
        def session() -> aiohttp.ClientSession:
            connector = aiohttp.TCPConnector(limit=100)
            return aiohttp.ClientSession(base_url, connector=connector, headers=_HEADERS)

        self.calls, self.waits = session(), session()

    async def close(self) -> None:
        await self.calls.close()
        await self.waits.close()

    async def call(
        self, method: str, path: str, body: Any = None, *, wait: bool = False, ok: int = 200
    ) -> tuple[int, Any]:
        session = self.waits if wait else self.calls
        data = None if body is None else orjson.dumps(body)
        async with session.request(method, path, data=data) as response:
            raw = await response.read()
            if response.status not in (200, ok):
                raise RuntimeError(f"{method} {path}: {response.status} {raw[:200]!r}")
            return response.status, orjson.loads(raw)

    async def json(self, method: str, path: str, body: Any = None) -> Any:
        return (await self.call(method, path, body))[1]


async def _every(api: _Api, path: str, key: str) -> list[Any]:
    """Every item of a listing, in pages of ``_PAGE``."""
    items: list[Any] = []
    after = ""
    while True:
        query = f"{path}?limit={_PAGE}" + (f"&starting_after={after}" if after else "")
        page = await api.json("GET", query)
        items += page[key]
        if not page.get("has_more") or not page[key]:
            return items
        after = page[key][-1]["id"]


async def _agent(run: Any) -> None:
    """The no-op agent."""


async def _scenario(api: _Api, scenario_id: str, benchmark_run_id: str) -> dict[str, Any]:
    body = {"scenario_id": scenario_id, "benchmark_run_id": benchmark_run_id}
    run = await api.json("POST", "/v1/scenarios/start_run", body)
    wait = f"/v1/devboxes/{run['devbox_id']}/wait_for_status"
    while True:
        body = {"statuses": _READY, "timeout_seconds": 30}
        status, devbox = await api.call("POST", wait, body, wait=True, ok=408)
        if status == 200 and devbox["status"] == "running":
            break
        if status == 200 and devbox["status"] in _READY:
            raise RuntimeError(f"devbox {devbox['id']} is {devbox['status']}")
    await _agent(run)
    path = f"/v1/scenarios/runs/{run['id']}"
    run = await api.json("POST", path + "/score")
    while run["state"] != "scored":
        if run["state"] not in ("running", "scoring"):
            raise RuntimeError(f"run {run['id']} is {run['state']}")
        await asyncio.sleep(_POLL)
        run = await api.json("GET", path)
    score = run["scoring_contract_result"]["score"]
    done = await api.json("POST", path + "/complete")
    return {"scenario_id": scenario_id, "state": done["state"], "score": score}


async def run_loop(ctx: Context) -> list[dict[str, Any]]:
    """Every scenario of ``ctx.benchmark_id`` through the loop; rows sorted by name."""
    api = _Api(ctx.base_url)
    try:
        benchmark = await api.json("GET", f"/v1/benchmarks/{ctx.benchmark_id}")
        definitions = await _every(
            api, f"/v1/benchmarks/{ctx.benchmark_id}/definitions", "scenarios"
        )
        names = {s["id"]: s["name"] for s in definitions}
        brun = await api.json(
            "POST", "/v1/benchmarks/start_run", {"benchmark_id": ctx.benchmark_id}
        )
        limit = asyncio.Semaphore(ctx.concurrency)

        async def one(scenario_id: str) -> dict[str, Any]:
            async with limit:
                return await _scenario(api, scenario_id, brun["id"])

        rows = await asyncio.gather(*(one(sid) for sid in benchmark["scenarioIds"]))
        runs = await _every(api, f"/v1/benchmark_runs/{brun['id']}/scenario_runs", "runs")
        live = [r["id"] for r in runs if r["state"] not in ("completed", "canceled", "failed")]
        if live:
            raise RuntimeError(f"runs left live: {live[:5]}")
        await api.json("POST", f"/v1/benchmark_runs/{brun['id']}/complete")
    finally:
        await api.close()
    out = [{"scenario": names[r.pop("scenario_id")], **r} for r in rows]
    return sorted(out, key=lambda r: r["scenario"])
