"""Timeouts (connect, read, total, pool) at client and per-call level, the separate
long-poll pool, the shared retry budget, and aiohttp's hidden resend turned off.

Connect timeouts use a loopback listener whose accept queue is full: the kernel
drops further SYNs, so a connect hangs exactly like one to a blackholed host,
without any external network.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from aiohttp import web
from reliability_support import HANG, full_listener, serve, until

from runloop_async import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncRunloop,
    InternalServerError,
    Limits,
    RetryConfig,
    Timeout,
)

pytestmark = pytest.mark.anyio

RUN_ROUTE = "GET /v1/scenarios/runs/{id}"
FIXTURE_RUN = json.loads(
    (Path(__file__).resolve().parent.parent / "fixtures" / "scenario_run_scored.json").read_bytes()
)


def holds(emulator: Any) -> list[Any]:
    return [r for r in emulator.requests if r.path.endswith("/wait_for_status")]


def run_attempts(emulator: Any, run_id: str) -> int:
    return sum(1 for r in emulator.requests if r.path == f"/v1/scenarios/runs/{run_id}")


# --- connect timeout ------------------------------------------------------------------------


@pytest.fixture
def blackhole() -> Iterator[str]:
    """A base URL on loopback whose connects never complete."""
    with full_listener() as url:
        port = int(url.rsplit(":", 1)[1])
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        probe.settimeout(0.1)
        try:
            with pytest.raises(TimeoutError):  # the trick works on this kernel
                probe.connect(("127.0.0.1", port))
        finally:
            probe.close()
        yield url


async def test_connect_timeout_set_on_the_client(blackhole: str) -> None:
    async with AsyncRunloop(
        "k", blackhole, timeout=Timeout(connect=0.1, read=30.0), max_retries=0
    ) as client:
        with anyio.fail_after(HANG):
            with pytest.raises(APITimeoutError) as info:
                await client.scenarios.runs.retrieve("scr_1")
    assert (info.value.method, info.value.path) == ("GET", "/v1/scenarios/runs/scr_1")


@pytest.mark.parametrize("timeout", [Timeout(connect=0.1), 0.1], ids=["Timeout", "seconds"])
async def test_connect_timeout_per_call(blackhole: str, timeout: Any) -> None:
    async with AsyncRunloop("k", blackhole, max_retries=0) as client:
        with anyio.fail_after(HANG):
            with pytest.raises(APITimeoutError):
                await client.scenarios.runs.retrieve("scr_1", timeout=timeout)


async def test_connect_timeouts_are_retried(blackhole: str) -> None:
    retry = RetryConfig(max_retries=2, initial_delay=0.01, max_delay=0.01)
    async with AsyncRunloop("k", blackhole, retry=retry, timeout=Timeout(connect=0.1)) as client:
        with anyio.fail_after(HANG), pytest.raises(APITimeoutError):
            await client.scenarios.runs.retrieve("scr_1")
        # each of the 3 attempts was paid from the budget at the timeout price (10)
        assert client._core.budget is not None
        assert client._core.budget.tokens == 500 - 2 * 10


async def test_refused_connection_is_a_connection_error_not_a_timeout() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connects are refused
        async with AsyncRunloop("k", f"http://127.0.0.1:{port}", max_retries=0) as client:
            with anyio.fail_after(HANG), pytest.raises(APIConnectionError) as info:
                await client.scenarios.runs.retrieve("scr_1", timeout=Timeout(connect=1.0))
    assert type(info.value) is APIConnectionError


# --- read timeout ---------------------------------------------------------------------------


async def test_read_timeout_set_on_the_client(runloop_emulator: Any) -> None:
    run_id = runloop_emulator.seed_runs(1)[0]
    runloop_emulator.faults.add(route=RUN_ROUTE, kind="delay", delay=0.4)
    async with AsyncRunloop(
        runloop_emulator.api_key,
        runloop_emulator.base_url,
        timeout=Timeout(read=0.1),
        max_retries=0,
    ) as client:
        with pytest.raises(APITimeoutError):
            await client.scenarios.runs.retrieve(run_id)
        # a per-call timeout overrides the client's
        view = await client.scenarios.runs.retrieve(run_id, timeout=Timeout(read=5.0))
    assert view.id == run_id
    assert run_attempts(runloop_emulator, run_id) == 2


async def test_read_timeout_via_with_options(runloop_emulator: Any) -> None:
    run_id = runloop_emulator.seed_runs(1)[0]
    runloop_emulator.faults.add(route=RUN_ROUTE, kind="delay", delay=0.4)
    async with AsyncRunloop(
        runloop_emulator.api_key, runloop_emulator.base_url, max_retries=0
    ) as client:
        impatient = client.with_options(timeout=Timeout(read=0.1))
        with pytest.raises(APITimeoutError):
            await impatient.scenarios.runs.retrieve(run_id)
        # the original keeps its own default (read 30 s)
        assert (await client.scenarios.runs.retrieve(run_id)).id == run_id


@pytest.mark.parametrize("timeout", [Timeout(read=0.2), 0.2], ids=["Timeout", "seconds"])
async def test_read_timeout_per_call(
    client: AsyncRunloop, runloop_emulator: Any, timeout: Any
) -> None:
    run_id = runloop_emulator.seed_runs(1)[0]
    runloop_emulator.faults.add(route=RUN_ROUTE, kind="delay", delay=1.0)
    with pytest.raises(APITimeoutError):
        await client.scenarios.runs.retrieve(run_id, timeout=timeout, max_retries=0)
    assert run_attempts(runloop_emulator, run_id) == 1


# --- total timeout, and read being per chunk --------------------------------------------------


@pytest.fixture
async def slow_drip() -> AsyncIterator[str]:
    """A server that sends a valid run view in 8 chunks, 0.05 s apart (0.35 s in all)."""
    payload = json.dumps(FIXTURE_RUN).encode()

    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"content-type": "application/json"})
        response.content_length = len(payload)
        await response.prepare(request)
        step = len(payload) // 8 + 1
        for start in range(0, len(payload), step):
            await response.write(payload[start : start + step])
            await asyncio.sleep(0.05)
        return response

    async with serve(handler) as url:
        yield url


async def test_read_timeout_is_per_chunk_and_total_is_the_whole_attempt(slow_drip: str) -> None:
    async with AsyncRunloop("k", slow_drip, max_retries=0) as client:
        # every gap (0.05 s) is under the read timeout: the slow answer is fine
        view = await client.scenarios.runs.retrieve("x", timeout=Timeout(read=0.25))
        assert view.id == FIXTURE_RUN["id"]
        # the same answer overruns a total timeout shorter than the whole transfer
        with pytest.raises(APITimeoutError):
            await client.scenarios.runs.retrieve("x", timeout=Timeout(read=0.25, total=0.15))


@pytest.fixture
async def stall_mid_body() -> AsyncIterator[str]:
    """A server that sends half a run view at once, the rest after 0.8 s of silence."""
    payload = json.dumps(FIXTURE_RUN).encode()

    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"content-type": "application/json"})
        response.content_length = len(payload)
        await response.prepare(request)
        await response.write(payload[: len(payload) // 2])
        await asyncio.sleep(0.8)
        await response.write(payload[len(payload) // 2 :])
        return response

    async with serve(handler) as url:
        yield url


async def test_a_silence_mid_body_longer_than_read_times_out(stall_mid_body: str) -> None:
    # The read timer is moved on by each chunk, not reset per request (_readtimer):
    # after the first half arrives, 0.8 s of silence still overruns read=0.3.
    async with AsyncRunloop("k", stall_mid_body, max_retries=0) as client:
        assert (await client.scenarios.runs.retrieve("x")).id == FIXTURE_RUN["id"]
        with pytest.raises(APITimeoutError):
            await client.scenarios.runs.retrieve("x", timeout=Timeout(read=0.3))
        # A longer read timeout on the same kept-alive connection waits it out again.
        view = await client.scenarios.runs.retrieve("x", timeout=Timeout(read=2.0))
        assert view.id == FIXTURE_RUN["id"]


async def test_total_timeout_set_on_the_client(slow_drip: str) -> None:
    timeout = Timeout(read=5.0, total=0.15)
    async with AsyncRunloop("k", slow_drip, timeout=timeout, max_retries=0) as client:
        with pytest.raises(APITimeoutError):
            await client.scenarios.runs.retrieve("x")
        view = await client.scenarios.runs.retrieve("x", timeout=Timeout(read=5.0, total=5.0))
    assert view.id == FIXTURE_RUN["id"]


async def test_total_timeout_per_call_with_a_delayed_answer(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    run_id = runloop_emulator.seed_runs(1)[0]
    runloop_emulator.faults.add(route=RUN_ROUTE, kind="delay", delay=1.0)
    with pytest.raises(APITimeoutError):
        await client.scenarios.runs.retrieve(
            run_id, timeout=Timeout(read=30.0, total=0.2), max_retries=0
        )


# --- pools ----------------------------------------------------------------------------------


async def test_queueing_for_a_connection_is_not_charged_to_the_read_timeout(
    runloop_emulator: Any,
) -> None:
    run_id = runloop_emulator.seed_runs(1)[0]
    runloop_emulator.faults.add(route=RUN_ROUTE, kind="delay", delay=0.12, times=6)
    async with AsyncRunloop(
        runloop_emulator.api_key,
        runloop_emulator.base_url,
        timeout=Timeout(read=0.3),
        limits=Limits(max_connections=1),
        max_retries=0,
    ) as client:
        results: list[str] = []

        async def one() -> None:
            results.append((await client.scenarios.runs.retrieve(run_id)).id)

        # 6 calls through 1 connection: the last queues ~0.6 s, twice read=0.3
        async with anyio.create_task_group() as tg:
            for _ in range(6):
                tg.start_soon(one)
    assert results == [run_id] * 6
    assert run_attempts(runloop_emulator, run_id) == 6  # no timeouts, so no retries


async def test_pool_timeout_is_a_typed_error_and_sends_nothing(runloop_emulator: Any) -> None:
    run_id = runloop_emulator.seed_runs(1)[0]
    runloop_emulator.faults.add(route=RUN_ROUTE, kind="delay", delay=0.4, times=1)
    async with (
        AsyncRunloop(
            runloop_emulator.api_key,
            runloop_emulator.base_url,
            limits=Limits(max_connections=1),
            max_retries=0,
        ) as client,
        anyio.create_task_group() as tg,
    ):
        tg.start_soon(client.scenarios.runs.retrieve, run_id)
        await until(lambda: run_attempts(runloop_emulator, run_id) >= 1)
        with pytest.raises(APITimeoutError, match="pool timeout"):
            await client.scenarios.runs.retrieve("other", timeout=Timeout(pool=0.1))
    assert not any(r.path.endswith("/other") for r in runloop_emulator.requests)


async def test_long_polls_do_not_starve_short_calls(runloop_emulator: Any) -> None:
    runloop_emulator.configure(devbox_boot_delay=60.0)
    async with AsyncRunloop(
        runloop_emulator.api_key,
        runloop_emulator.base_url,
        limits=Limits(max_connections=2, max_wait_connections=2),
        max_retries=0,
    ) as client:
        scenario = runloop_emulator.add_scenario("booting")
        run = await client.scenarios.start_run(scenario_id=scenario["id"])
        polls: list[Any] = []

        async def long_poll() -> None:
            polls.append(
                await client.devboxes.wait_for_status(
                    run.devbox_id, statuses=["running"], timeout_seconds=10.0
                )
            )

        async with anyio.create_task_group() as tg:
            for _ in range(4):  # twice the long-poll pool: two of them queue
                tg.start_soon(long_poll)
            await until(lambda: len(holds(runloop_emulator)) >= 2)
            # the API pool is untouched by the held long-polls: 20 short calls go through
            for _ in range(20):
                assert (await client.scenarios.runs.retrieve(run.id)).id == run.id
            assert polls == []  # every long-poll is still held
            assert len(holds(runloop_emulator)) == 2  # the wait pool's limit is kept too
            tg.cancel_scope.cancel()


async def test_long_poll_read_timeout_exceeds_the_server_hold(runloop_emulator: Any) -> None:
    async with AsyncRunloop(
        runloop_emulator.api_key,
        runloop_emulator.base_url,
        timeout=Timeout(read=0.1),  # far under the 0.5 s hold below
        max_retries=0,
    ) as client:
        scenario = runloop_emulator.add_scenario("stuck")
        runloop_emulator.force_devbox_outcome(scenario["id"], "stuck")
        run = await client.scenarios.start_run(scenario_id=scenario["id"])
        with anyio.fail_after(HANG), pytest.raises(APIStatusError) as info:
            await client.devboxes.wait_for_status(
                run.devbox_id, statuses=["running"], timeout_seconds=0.5
            )
    # the hold ran out on the server (408), the client did not give up first
    assert info.value.status_code == 408
    assert not isinstance(info.value, APITimeoutError)


# --- attempts: aiohttp's hidden resend is off; the budget is shared ---------------------------


async def test_a_dropped_keepalive_connection_is_not_resent_behind_our_back(
    runloop_emulator: Any,
) -> None:
    run_id = runloop_emulator.seed_runs(1)[0]
    async with AsyncRunloop(
        runloop_emulator.api_key, runloop_emulator.base_url, max_retries=0
    ) as client:
        await client.scenarios.runs.retrieve(run_id)  # leaves a kept-alive connection
        runloop_emulator.faults.add(route=RUN_ROUTE, kind="close", times=1)
        # aiohttp would resend a GET on a reused connection that died; with that off,
        # the drop reaches our retry layer, which has max_retries=0 here.
        with pytest.raises(APIConnectionError):
            await client.scenarios.runs.retrieve(run_id)
        assert run_attempts(runloop_emulator, run_id) == 2
        # with one retry allowed, exactly one more attempt is made, and it is counted
        runloop_emulator.faults.add(route=RUN_ROUTE, kind="close", times=1)
        await client.scenarios.runs.retrieve(run_id, max_retries=1)
    seen = [r for r in runloop_emulator.requests if r.path == f"/v1/scenarios/runs/{run_id}"]
    assert [r.headers["x-stainless-retry-count"] for r in seen] == ["0", "0", "0", "1"]


async def test_with_options_copies_share_one_retry_budget(runloop_emulator: Any) -> None:
    retry = RetryConfig(max_retries=5, initial_delay=0.001, max_delay=0.002, budget=12)
    runloop_emulator.faults.add(route="*", kind="status", status=503)
    async with AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url, retry=retry) as c:
        copy = c.with_options(max_retries=5, timeout=10.0)
        with pytest.raises(InternalServerError):
            await copy.scenarios.runs.retrieve("a")  # 1 attempt + 2 paid retries
        with pytest.raises(InternalServerError):
            await c.scenarios.runs.retrieve("b")  # budget spent: no retry at all
    paths = [r.path for r in runloop_emulator.requests]
    assert paths.count("/v1/scenarios/runs/a") == 3
    assert paths.count("/v1/scenarios/runs/b") == 1
