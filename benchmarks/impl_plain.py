"""The blocking limit: stdlib ``http.client`` + orjson, one keep-alive connection per thread.

No event loop, no thread hand-offs, no models: each worker thread owns one
``HTTPConnection`` to the server and reuses it for every call it makes. This is
what a blocking client could cost at best; ours-sync is judged against it.
"""

from __future__ import annotations

import http.client
import threading
from typing import Any
from urllib.parse import urlsplit

import orjson

from .common import TOKEN, Context, Workload, threaded

__all__ = ["SYNC", "PlainClient", "to_json"]

_HEADERS = {"authorization": f"Bearer {TOKEN}", "accept": "application/json"}


class PlainClient:
    """GET JSON over one keep-alive connection per calling thread."""

    def __init__(self, base_url: str) -> None:
        url = urlsplit(base_url)
        self._host, self._port = url.hostname or "127.0.0.1", url.port or 80
        self._local = threading.local()
        self._all: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    def _connection(self) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection(self._host, self._port)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def get(self, path: str) -> Any:
        """``GET path`` and the parsed JSON body (raises on a status other than 200)."""
        conn = self._connection()
        conn.request("GET", path, headers=_HEADERS)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status}")
        return orjson.loads(body)

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()


def _threads(ctx: Context) -> list[Any]:
    client = PlainClient(ctx.base_url)
    try:
        return threaded(lambda run_id: client.get(f"/v1/scenarios/runs/{run_id}"), ctx.ids)
    finally:
        client.close()


SYNC: dict[str, Workload] = {"retrieve_threads16": _threads}


def to_json(item: Any) -> Any:
    """Already plain JSON."""
    return item
