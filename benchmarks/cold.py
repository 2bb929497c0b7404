"""Cold start: a fresh process imports a client, builds it and completes one retrieve.

``python -m benchmarks.cold IMPL BASE_URL RUN_ID [--cpu N] [--spawned T] [--profile]``
prints one JSON line: ``seconds`` from before the client's first import to after the
client is closed (every import the call needs is inside the clock, ``asyncio``
included), ``since_spawn`` (with ``--spawned``, the parent's ``time.time()`` when it
started this process: the same end, counted from the spawn), peak RSS, count and
digest of the run it got. With ``--profile`` it prints a cProfile of the same
sequence instead (every thread); with ``--imports-only`` it runs the sequence and
nothing else (no digest), for ``-X importtime``.

Only ``os``, ``sys`` and ``time`` are loaded before the clock starts: nothing from
``benchmarks.common`` (it imports attrs, which runloop_async needs), so no
implementation finds its dependencies already imported.
"""

from __future__ import annotations

import os
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not loaded at run time: it would be before the clock
    from collections.abc import Callable
    from typing import Any

__all__ = ["COLD_IMPLS", "main"]

#: The same token as benchmarks.common.TOKEN (not imported from there: see above).
TOKEN = "bench-token"
_PATH = "/v1/scenarios/runs/"


def _bare(url: str, run_id: str) -> Any:
    import asyncio

    import aiohttp
    import orjson

    async def main() -> Any:
        headers = {"authorization": f"Bearer {TOKEN}", "accept": "application/json"}
        session = aiohttp.ClientSession(url, headers=headers)
        async with session, session.get(_PATH + run_id) as response:
            return orjson.loads(await response.read())

    return asyncio.run(main())


def _plain(url: str, run_id: str) -> Any:
    import http.client
    from urllib.parse import urlsplit

    import orjson

    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80)
    try:
        headers = {"authorization": f"Bearer {TOKEN}", "accept": "application/json"}
        conn.request("GET", _PATH + run_id, headers=headers)
        return orjson.loads(conn.getresponse().read())
    finally:
        conn.close()


def _ours(url: str, run_id: str) -> Any:
    import asyncio

    from runloop_async import AsyncRunloop

    async def main() -> Any:
        async with AsyncRunloop(TOKEN, url) as client:
            return await client.scenarios.runs.retrieve(run_id)

    return asyncio.run(main())


def _ours_sync(url: str, run_id: str) -> Any:
    from runloop_async import Runloop

    with Runloop(TOKEN, url) as client:
        return client.scenarios.runs.retrieve(run_id)


def _official(url: str, run_id: str) -> Any:
    import asyncio

    from runloop_api_client import AsyncRunloop

    async def main() -> Any:
        async with AsyncRunloop(bearer_token=TOKEN, base_url=url) as client:
            return await client.scenarios.runs.retrieve(run_id)

    return asyncio.run(main())


def _official_sync(url: str, run_id: str) -> Any:
    from runloop_api_client import Runloop

    with Runloop(bearer_token=TOKEN, base_url=url) as client:
        return client.scenarios.runs.retrieve(run_id)


#: Implementation -> (the cold sequence, module whose ``to_json`` digests its result).
COLD_IMPLS: dict[str, tuple[Callable[[str, str], Any], str]] = {
    "bare": (_bare, "benchmarks.impl_bare"),
    "plain-sync": (_plain, "benchmarks.impl_plain"),
    "ours": (_ours, "benchmarks.impl_ours"),
    "ours-sync": (_ours_sync, "benchmarks.impl_ours"),
    "official": (_official, "benchmarks.impl_official"),
    "official-sync": (_official_sync, "benchmarks.impl_official"),
}


def _measure(impl: str, url: str, run_id: str, spawned: float | None) -> dict[str, Any]:
    sequence, module = COLD_IMPLS[impl]
    started = time.perf_counter()
    item = sequence(url, run_id)
    seconds = time.perf_counter() - started
    # Wall clock (the same in both processes): from the parent's spawn to the answer,
    # interpreter start included; the digest below and the exit are not.
    since_spawn = None if spawned is None else time.time() - spawned
    import importlib
    import resource

    from .common import digest

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1 << 10)
    to_json = importlib.import_module(module).to_json
    return {
        "seconds": seconds, "since_spawn": since_spawn, "rss_mb": rss_mb, "count": 1,
        "digest": digest([item], to_json),
    }  # fmt: skip


def _profile(impl: str, url: str, run_id: str) -> str:
    from .profiling import profile_call

    return profile_call(lambda: COLD_IMPLS[impl][0](url, run_id), top=25)


def main(argv: list[str]) -> None:
    impl, url, run_id, *rest = argv
    if "--cpu" in rest and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {int(rest[rest.index("--cpu") + 1])})
    if "--profile" in rest:
        print(_profile(impl, url, run_id))
        return
    if "--imports-only" in rest:  # for -X importtime: the sequence, nothing after it
        COLD_IMPLS[impl][0](url, run_id)
        return
    spawned = float(rest[rest.index("--spawned") + 1]) if "--spawned" in rest else None
    import json

    print(json.dumps(_measure(impl, url, run_id, spawned)))


if __name__ == "__main__":
    main(sys.argv[1:])
