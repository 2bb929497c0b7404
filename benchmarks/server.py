"""A minimal HTTP/1.1 keep-alive server answering from precomputed bytes.

It runs in its own process, pinned to its own core where possible, so the clients
under test are what the numbers measure. Every answer is built once at startup (or
on the first request for an unusual page size), so serving is a dict lookup and one
``transport.write``. Only the three endpoints the workloads use are implemented.

Usage: ``python -m benchmarks.server [--cpu N]``; it prints ``PORT <n>`` when ready.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .payloads import make_runs, scored_view

__all__ = ["Routes", "serve"]

_RUNS_PATH = "/v1/scenarios/runs"
_PRECOMPUTED_LIMITS = (100, 5000)


def _response(status: int, body: Any) -> bytes:
    data = json.dumps(body, separators=(",", ":")).encode()
    reason = {200: "OK", 404: "Not Found"}.get(status, "Error")
    head = (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(data)}\r\n\r\n"
    )
    return head.encode() + data


class Routes:
    """Maps a request line to the precomputed response bytes."""

    def __init__(self, runs: list[dict[str, Any]]) -> None:
        self._runs = runs
        self._index = {run["id"]: i for i, run in enumerate(runs)}
        self._views = {run["id"]: _response(200, run) for run in runs}
        self._scored = {run["id"]: _response(200, scored_view(run)) for run in runs}
        self._pages: dict[tuple[int, str], bytes] = {}
        self._missing = _response(404, {"error": {"message": "not found"}})
        for limit in _PRECOMPUTED_LIMITS:
            cursor = ""
            while cursor is not None:
                cursor = self._build_page(limit, cursor)

    def _build_page(self, limit: int, after: str) -> str | None:
        """Store the page after ``after``; return the next cursor (None at the end)."""
        start = self._index[after] + 1 if after else 0
        items = self._runs[start : start + limit]
        remaining = max(0, len(self._runs) - start - len(items))
        body = {
            "runs": items,
            "has_more": remaining > 0,
            "total_count": len(self._runs),
            "remaining_count": remaining,
        }
        self._pages[(limit, after)] = _response(200, body)
        return items[-1]["id"] if remaining and items else None

    def answer(self, method: str, target: str) -> bytes:
        """The whole HTTP response for one request."""
        url = urlsplit(target)
        path = url.path
        if method == "GET" and path == _RUNS_PATH:
            query = parse_qs(url.query)
            limit = int(query.get("limit", ["20"])[0])
            after = query.get("starting_after", [""])[0]
            if after and after not in self._index:
                return self._missing
            if (limit, after) not in self._pages:
                self._build_page(limit, after)
            return self._pages[(limit, after)]
        if not path.startswith(_RUNS_PATH + "/"):
            return self._missing
        rest = path[len(_RUNS_PATH) + 1 :]
        if method == "GET":
            return self._views.get(rest, self._missing)
        if method == "POST" and rest.endswith("/score"):
            return self._scored.get(rest.removesuffix("/score"), self._missing)
        return self._missing


class _Connection(asyncio.Protocol):
    """One keep-alive connection: parse heads, skip bodies, write answers in order."""

    def __init__(self, routes: Routes) -> None:
        self._routes = routes
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while self._transport is not None:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self._buffer[:end]).decode("latin-1")
            total = end + 4 + _body_length(head)
            if len(self._buffer) < total:
                return
            del self._buffer[:total]
            method, target, _ = head.split("\r\n", 1)[0].split(" ", 2)
            self._transport.write(self._routes.answer(method, target))

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None


def _body_length(head: str) -> int:
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            return int(value.strip())
    # No client under test sends chunked bodies; a request without a length has none.
    return 0


async def serve(routes: Routes, port: int = 0) -> None:
    """Serve forever on 127.0.0.1 and print ``PORT <n>`` once listening."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _Connection(routes), "127.0.0.1", port, backlog=1024)
    print("PORT", server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--cpu", type=int, default=None, help="pin to this core")
    args = parser.parse_args()
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    routes = Routes(make_runs())
    asyncio.run(serve(routes, args.port))


if __name__ == "__main__":
    main()
