"""Load: many concurrent score-and-await operations through one client.

Every operation is ``runs.score_and_await`` on its own scenario run, all started at
once through a client limited to 100 connections, while the emulator injects a few
seeded faults (503s and mid-body resets). Every run must end scored, each scored
exactly once (one effective ``score``; retries are replays of the same key), and the
process's open file descriptors, sampled from ``/proc/self/fd`` throughout, must stay
bounded by the connection limit (both ends of each loopback connection live in this
process) rather than grow with the number of operations.

The always-on test runs 1,000 operations. ``RUNLOOP_LOAD=1`` also runs 10,000 and
prints the figures::

    RUNLOOP_LOAD=1 pytest -s tests/reliability/test_load.py
"""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict
from typing import Any

import anyio
import pytest
from reliability_support import until

from runloop_async import AsyncRunloop, Limits, RetryConfig

pytestmark = pytest.mark.anyio

CONNECTIONS = 100
#: Client and server ends of every pooled connection, plus slack for the loop's own
#: descriptors, pytest's captures and sockets still closing.
FD_BOUND = 2 * CONNECTIONS + 40


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


class FdSampler:
    """Samples the open descriptor count every few milliseconds on a thread."""

    def __init__(self) -> None:
        self.peak = open_fds()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fd-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, open_fds())

    def __enter__(self) -> FdSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def score_and_await_many(emulator: Any, operations: int) -> dict[str, float]:
    emulator.configure(scoring_delay=0.05)
    run_ids = emulator.seed_runs(operations)
    emulator.faults.add(route="*", kind="status", status=503, probability=0.01, seed=6)
    emulator.faults.add(
        route="POST /v1/scenarios/runs/{id}/score", kind="reset", probability=0.01, seed=7
    )
    retry = RetryConfig(max_retries=8, initial_delay=0.05, max_delay=0.5)
    baseline = open_fds()
    started = time.monotonic()
    scored: list[str] = []
    with FdSampler() as sampler:
        async with AsyncRunloop(
            emulator.api_key,
            emulator.base_url,
            retry=retry,
            limits=Limits(max_connections=CONNECTIONS),
        ) as client:

            async def one(run_id: str) -> None:
                view = await client.scenarios.runs.score_and_await(run_id, timeout=300)
                assert view.state == "scored"
                assert view.score is not None
                scored.append(view.id)

            async with anyio.create_task_group() as tg:
                for run_id in run_ids:
                    tg.start_soon(one, run_id)
        elapsed = time.monotonic() - started
        await until(lambda: open_fds() <= baseline + 4)  # everything closed again

    assert sorted(scored) == sorted(run_ids)
    scores = [r for r in emulator.requests if r.path.endswith("/score")]
    keys: dict[str, set[str]] = defaultdict(set)
    for record in scores:
        keys[record.path].add(record.headers["x-request-id"])
    assert keys.keys() == {f"/v1/scenarios/runs/{i}/score" for i in run_ids}
    assert all(len(k) == 1 for k in keys.values())  # retries reused the one key
    assert not [r for r in scores if r.status == 400]  # never applied twice ("not running")
    assert sampler.peak - baseline <= FD_BOUND, (sampler.peak, baseline)
    return {
        "operations": operations,
        "requests": len(emulator.requests),
        "faults": sum(1 for r in emulator.requests if r.fault),
        "seconds": round(elapsed, 2),
        "baseline_fds": baseline,
        "peak_fds": sampler.peak,
    }


async def test_a_thousand_score_and_await_operations(runloop_emulator: Any) -> None:
    figures = await score_and_await_many(runloop_emulator, 1_000)
    assert figures["faults"] > 0  # the faults did fire and were ridden out
    print("\nload:", figures)


@pytest.mark.skipif(os.environ.get("RUNLOOP_LOAD") != "1", reason="set RUNLOOP_LOAD=1")
@pytest.mark.timeout(900)
async def test_ten_thousand_score_and_await_operations(runloop_emulator: Any) -> None:
    figures = await score_and_await_many(runloop_emulator, 10_000)
    assert figures["faults"] > 0
    print("\nload:", figures)
