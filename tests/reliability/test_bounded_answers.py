"""Bounded answers: a size limit on decoded bodies, enforced while reading (issue 11, item 6).

Before: a 200 MiB JSON body was read whole (RSS 40 -> 641 MB) and a 1 MB gzip body
inflating to 1 GiB was inflated whole (RSS -> 3.1 GB). Now reading stops at
``Limits.max_response_size`` (default 64 MiB) with ``ResponseTooLargeError``, after
one attempt (a too-large answer is deterministic: retrying would only repeat it).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Any

import anyio
import pytest
from reliability_support import HANG

from runloop_async import (
    APIError,
    AsyncRunloop,
    InvalidArgumentError,
    Limits,
    ResponseTooLargeError,
    RetryConfig,
)

pytestmark = pytest.mark.anyio

RUN_ROUTE = "GET /v1/scenarios/runs/{id}"
MiB = 1024 * 1024


def _client(emulator: Any, limit: int | None = 64 * MiB) -> AsyncRunloop:
    return AsyncRunloop(
        emulator.api_key,
        emulator.base_url,
        retry=RetryConfig(max_retries=3, initial_delay=0.01, max_delay=0.05),
        limits=Limits(max_response_size=limit),
    )


def _attempts(emulator: Any, run_id: str) -> int:
    return len([r for r in emulator.requests if r.path.endswith(run_id)])


@pytest.mark.parametrize(
    ("fault", "size"),
    [
        ({"kind": "oversized"}, 2 * MiB),
        ({"kind": "gzip_bomb"}, 64 * MiB),
        ({"kind": "gzip_bomb", "encoding": "deflate"}, 64 * MiB),
    ],
    ids=["oversized", "gzip", "deflate"],
)
async def test_an_answer_over_the_limit_is_a_typed_error_after_one_attempt(
    runloop_emulator: Any, fault: dict[str, Any], size: int
) -> None:
    run_id = runloop_emulator.seed_runs(1)[0]
    runloop_emulator.faults.add(RUN_ROUTE, size=size, **fault)
    async with _client(runloop_emulator, limit=1 * MiB) as client:
        with anyio.fail_after(HANG), pytest.raises(ResponseTooLargeError) as info:
            await client.scenarios.runs.retrieve(run_id)
    error = info.value
    assert isinstance(error, APIError)
    assert (error.method, error.path, error.status_code) == (
        "GET", f"/v1/scenarios/runs/{run_id}", 200,
    )  # fmt: skip
    assert error.request_id
    assert error.request_id.startswith("req_")
    assert error.limit == 1 * MiB
    assert "max_response_size" in str(error)
    assert _attempts(runloop_emulator, run_id) == 1  # not retried


@pytest.mark.parametrize(
    "fault",
    [{"kind": "oversized"}, {"kind": "gzip_bomb"}, {"kind": "gzip_bomb", "encoding": "deflate"}],
    ids=["oversized", "gzip", "deflate"],
)
async def test_an_answer_under_the_limit_is_read_and_decoded(
    runloop_emulator: Any, fault: dict[str, Any]
) -> None:
    run_id = runloop_emulator.seed_runs(1)[0]
    runloop_emulator.faults.add(RUN_ROUTE, size=MiB // 2, **fault)
    async with _client(runloop_emulator, limit=MiB) as client:
        view = await client.scenarios.runs.retrieve(run_id)
    assert view.id == run_id
    assert _attempts(runloop_emulator, run_id) == 1


async def test_the_limit_can_be_lifted(runloop_emulator: Any) -> None:
    run_id = runloop_emulator.seed_runs(1)[0]
    runloop_emulator.faults.add(RUN_ROUTE, kind="gzip_bomb", size=3 * MiB)
    async with _client(runloop_emulator, limit=None) as client:
        assert (await client.scenarios.runs.retrieve(run_id)).id == run_id


async def test_a_too_large_answer_ends_a_wait_at_once(runloop_emulator: Any) -> None:
    run_id = runloop_emulator.seed_runs(1)[0]
    runloop_emulator.faults.add(RUN_ROUTE, kind="oversized", size=2 * MiB)
    async with _client(runloop_emulator, limit=MiB) as client:
        with anyio.fail_after(HANG), pytest.raises(ResponseTooLargeError):
            await client.scenarios.runs.await_scored(run_id, timeout=60)
    assert _attempts(runloop_emulator, run_id) == 1


def test_the_default_limit_fits_the_largest_legitimate_answer() -> None:
    # A page of 5000 scenario runs is about 12 MB; the default leaves 5x that.
    assert Limits().max_response_size == 64 * MiB
    assert Limits().max_response_size >= 5 * 12 * 1000 * 1000


@pytest.mark.parametrize("bad", [0, -1, 1.5, "64", True])
def test_a_bad_limit_is_refused(bad: object) -> None:
    with pytest.raises(InvalidArgumentError, match="max_response_size"):
        Limits(max_response_size=bad)  # type: ignore[arg-type]


_MEASURE = textwrap.dedent(
    """
    import json, resource, sys
    import anyio
    from runloop_async import AsyncRunloop, ResponseTooLargeError

    key, url, run_id = sys.argv[1:4]

    def rss_mb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    async def main():
        async with AsyncRunloop(key, url, max_retries=0) as client:
            await client.scenarios.runs.retrieve(run_id)  # warm: imports, a connection
            before = rss_mb()
            outcomes = []
            for _ in range(2):  # the 200 MiB body, then the 1 GiB gzip bomb
                try:
                    await client.scenarios.runs.retrieve(run_id)
                    outcomes.append("read")
                except ResponseTooLargeError:
                    outcomes.append("too large")
            print(json.dumps({"before": before, "after": rss_mb(), "outcomes": outcomes}))

    anyio.run(main)
    """
)


def test_memory_stays_bounded_under_huge_and_bomb_answers(runloop_emulator: Any) -> None:
    # The client runs in its own process so its peak RSS is its own (the emulator,
    # which streams these bodies without holding them, runs in this one).
    run_id = runloop_emulator.seed_runs(1)[0]
    # Faults fire in the order added: the warm-up call gets the real answer (a
    # zero delay), the next the 200 MiB body, every later one the 1 GiB bomb.
    runloop_emulator.faults.add(RUN_ROUTE, kind="delay", delay=0.0, times=1)
    runloop_emulator.faults.add(RUN_ROUTE, kind="oversized", size=200 * MiB, times=1)
    runloop_emulator.faults.add(RUN_ROUTE, kind="gzip_bomb", size=1024 * MiB)
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, runloop_emulator.api_key, runloop_emulator.base_url,
         run_id],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    result = json.loads(done.stdout)
    assert result["outcomes"] == ["too large", "too large"]
    grew = result["after"] - result["before"]
    # Default limit 64 MiB: what was read before stopping is held once. Before the
    # limit the same two answers took RSS from 40 MB to 641 MB and 3.1 GB.
    assert grew < 200, f"RSS grew by {grew:.0f} MB"
