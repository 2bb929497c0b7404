"""What every implementation shares: workload sizes, fan-out helpers, the data digest."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Awaitable, Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import attrs

from .payloads import RUN_COUNT, run_id

__all__ = [
    "CONCURRENCY",
    "THREADS",
    "TOKEN",
    "Context",
    "Workload",
    "digest",
    "fan_out",
    "threaded",
]

T = TypeVar("T")
R = TypeVar("R")

TOKEN = "bench-token"
CONCURRENCY = 100
THREADS = 16
CALLS = 1000


@attrs.frozen
class Context:
    """Where the server is and which runs the per-id workloads touch."""

    base_url: str
    #: 1000 ids spread over the 5000 runs (every 5th one).
    ids: Sequence[str] = attrs.field(
        factory=lambda: [run_id(i) for i in range(0, RUN_COUNT, RUN_COUNT // CALLS)]
    )
    #: Runner workloads: the emulator's benchmark and how many scenarios run at once.
    benchmark_id: str = ""
    concurrency: int = CONCURRENCY


#: One workload of one implementation: returns its results (runs), in a stable order.
Workload = Callable[[Context], list[Any]]


async def fan_out(fn: Callable[[T], Awaitable[R]], items: Sequence[T], limit: int) -> list[R]:
    """``fn`` over ``items`` with at most ``limit`` in flight; results in input order."""
    results: list[Any] = [None] * len(items)
    todo = iter(enumerate(items))

    async def worker() -> None:
        for index, item in todo:
            results[index] = await fn(item)

    await asyncio.gather(*(worker() for _ in range(limit)))
    return results


def threaded(fn: Callable[[T], R], items: Iterable[T], threads: int = THREADS) -> list[R]:
    """``fn`` over ``items`` from ``threads`` threads; results in input order."""
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(fn, items))


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def digest(items: list[Any], to_json: Callable[[Any], Any]) -> str:
    """SHA-256 of the results as canonical JSON (keys sorted, ``null`` left out).

    Every implementation of a workload must give the same digest: proof that they all
    returned the same data, whatever their models look like.
    """
    canonical = json.dumps(
        [_drop_none(to_json(item)) for item in items], sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]
