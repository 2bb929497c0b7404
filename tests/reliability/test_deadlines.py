"""Deadlines are real: a wait's deadline bounds the request in flight (issue 11, item 2).

Each test hangs or trickles the answer a wait is reading, or makes its retries ask
for long pauses, and checks the wait still ends about when its deadline says, with
``WaitTimeoutError``. The clients here use the default retry policy (5 retries) and
default timeouts, as a user would; the bounds are generous (behaviour, not speed).
"""

from __future__ import annotations

import math
import time
from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
from reliability_support import HANG

from runloop_async import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncRunloop,
    InvalidArgumentError,
    Timeout,
    WaitTimeoutError,
)

pytestmark = pytest.mark.anyio

RUN_ROUTE = "GET /v1/scenarios/runs/{id}"
WAIT_ROUTE = "POST /v1/devboxes/{id}/wait_for_status"
#: How far past its deadline a wait may end here: the 1 s grace plus CPU contention.
SLACK = 2.5


@pytest.fixture
async def user_client(runloop_emulator: Any) -> AsyncIterator[AsyncRunloop]:
    """A client with the default retries and timeouts, as a user makes one."""
    async with AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url) as client:
        yield client


async def _timed_wait(coro: Any) -> tuple[float, WaitTimeoutError]:
    started = time.monotonic()
    with anyio.fail_after(HANG), pytest.raises(WaitTimeoutError) as info:
        await coro
    return time.monotonic() - started, info.value


async def test_a_hung_poll_ends_the_scoring_wait_at_its_deadline(
    user_client: AsyncRunloop, runloop_emulator: Any
) -> None:
    # Before: 187 s (6 attempts x the 30 s read timeout) for a 2 s wait.
    run_id = runloop_emulator.seed_runs(1)[0]
    runloop_emulator.faults.add(RUN_ROUTE, kind="hang")
    elapsed, error = await _timed_wait(user_client.scenarios.runs.await_scored(run_id, timeout=2))
    assert 1.9 <= elapsed <= 2 + SLACK
    assert isinstance(error.__cause__, APITimeoutError)


async def test_a_trickled_poll_ends_the_scoring_wait_at_its_deadline(
    user_client: AsyncRunloop, runloop_emulator: Any
) -> None:
    # 1 byte every 100 ms never trips the 30 s read timeout; before: 32 s.
    run_id = runloop_emulator.seed_runs(1)[0]
    runloop_emulator.faults.add(RUN_ROUTE, kind="trickle", chunk=1, interval=0.1)
    elapsed, _ = await _timed_wait(user_client.scenarios.runs.await_scored(run_id, timeout=2))
    assert 1.9 <= elapsed <= 2 + SLACK


async def test_retry_pauses_inside_a_wait_never_overrun_its_deadline(
    user_client: AsyncRunloop, runloop_emulator: Any
) -> None:
    # The server asks for 20 s (under the 300 s cap, so honoured): each poll's own
    # retries would sleep 20 s five times over. The wait has 1.5 s.
    run_id = runloop_emulator.seed_runs(1)[0]
    runloop_emulator.faults.add(RUN_ROUTE, kind="status", status=429, headers={"Retry-After": "20"})
    elapsed, error = await _timed_wait(user_client.scenarios.runs.await_scored(run_id, timeout=1.5))
    assert 1.4 <= elapsed <= 1.5 + SLACK
    assert isinstance(error.__cause__, APIStatusError)
    assert error.__cause__.status_code == 429


async def test_a_hung_long_poll_ends_the_devbox_wait_at_its_deadline(
    user_client: AsyncRunloop, runloop_emulator: Any
) -> None:
    # Before: the long-poll's 35 s read timeout, then more long-polls.
    run_id = runloop_emulator.seed_runs(1)[0]
    devbox_id = runloop_emulator.run_view(run_id)["devbox_id"]
    runloop_emulator.faults.add(WAIT_ROUTE, kind="hang")
    elapsed, _ = await _timed_wait(user_client.devboxes.await_running(devbox_id, timeout=2))
    assert 1.9 <= elapsed <= 2 + SLACK


async def test_a_hung_poll_of_a_benchmark_run_wait_ends_at_its_deadline(
    user_client: AsyncRunloop, runloop_emulator: Any
) -> None:
    bench = runloop_emulator.add_benchmark("deadline")
    run = await user_client.benchmarks.start_run(benchmark_id=bench["id"])
    runloop_emulator.faults.add("GET /v1/benchmark_runs/{id}", kind="hang")
    elapsed, _ = await _timed_wait(user_client.benchmark_runs.await_completed(run.id, timeout=1.5))
    assert 1.4 <= elapsed <= 1.5 + SLACK


async def test_a_wait_deadline_also_holds_for_a_timeout_given_per_request(
    user_client: AsyncRunloop, runloop_emulator: Any
) -> None:
    # A 1.x-style Timeout on a wait sets each request's timeout; the 1.5 s read
    # timeout cuts each hung poll, and the wait goes on polling (no deadline given
    # here, so the default 1800 s): we stop it from outside after a few polls.
    run_id = runloop_emulator.seed_runs(1)[0]
    runloop_emulator.faults.add(RUN_ROUTE, kind="hang")
    with anyio.move_on_after(4):
        await user_client.scenarios.runs.await_scored(
            run_id, timeout=Timeout(connect=1, read=0.5), max_retries=0
        )
    polls = [r for r in runloop_emulator.requests if r.path.endswith(run_id)]
    assert len(polls) >= 3  # each hung poll was cut at 0.5 s, not held for 30 s


async def test_wait_for_status_does_not_retry_the_hold_answer(
    user_client: AsyncRunloop, runloop_emulator: Any
) -> None:
    # Before: the 408 "still provisioning" was retried 6 times: 11 s for a 1 s hold.
    runloop_emulator.configure(devbox_boot_delay=60.0)
    scenario = runloop_emulator.add_scenario("booting")
    run = await user_client.scenarios.start_run(scenario_id=scenario["id"])
    started = time.monotonic()
    with anyio.fail_after(HANG), pytest.raises(APIStatusError) as info:
        await user_client.devboxes.wait_for_status(
            run.devbox_id, statuses="running", timeout_seconds=1
        )
    elapsed = time.monotonic() - started
    assert info.value.status_code == 408
    assert 0.9 <= elapsed <= 1 + SLACK
    polls = [r for r in runloop_emulator.requests if r.route == WAIT_ROUTE]
    assert len(polls) == 1
    assert polls[0].json["statuses"] == ["running"]  # one status, not its letters


async def test_wait_for_status_polls_again_until_its_own_deadline(
    user_client: AsyncRunloop, runloop_emulator: Any
) -> None:
    # The server's hold is shorter than the call's deadline: poll again, end at it.
    runloop_emulator.configure(devbox_boot_delay=60.0, max_wait_hold=0.5)
    scenario = runloop_emulator.add_scenario("booting")
    run = await user_client.scenarios.start_run(scenario_id=scenario["id"])
    started = time.monotonic()
    with anyio.fail_after(HANG), pytest.raises(APIStatusError) as info:
        await user_client.devboxes.wait_for_status(
            run.devbox_id, statuses=["running"], timeout_seconds=2
        )
    assert info.value.status_code == 408
    assert 1.9 <= time.monotonic() - started <= 2 + SLACK
    assert len([r for r in runloop_emulator.requests if r.route == WAIT_ROUTE]) >= 3


@pytest.mark.parametrize("bad", [math.nan, -1, 0, "10", True, [1]])
async def test_bad_wait_deadlines_are_refused_before_any_request(
    user_client: AsyncRunloop, runloop_emulator: Any, bad: object
) -> None:
    run_id = runloop_emulator.seed_runs(1)[0]
    runloop_emulator.clear_requests()
    waits = [
        lambda: user_client.scenarios.runs.await_scored(run_id, timeout=bad),
        lambda: user_client.scenarios.runs.score_and_await(run_id, timeout=bad),
        lambda: user_client.scenarios.runs.score_and_complete(run_id, timeout=bad),
        lambda: user_client.devboxes.await_running("dbx_1", timeout=bad),
        lambda: user_client.benchmark_runs.await_completed("bmr_1", timeout=bad),
        lambda: user_client.benchmark_jobs.await_completed("bmj_1", timeout=bad),
        lambda: user_client.scenarios.start_run_and_await_env_ready("scn_1", timeout=bad),
        lambda: user_client.scenarios.runs.retrieve(run_id, timeout=bad),
        lambda: user_client.devboxes.wait_for_status("dbx_1", statuses="running",
                                                     timeout_seconds=bad),
    ]  # fmt: skip
    for wait in waits:
        with pytest.raises(InvalidArgumentError, match="timeout"):
            await wait()
    assert runloop_emulator.requests == []


async def test_an_infinite_wait_deadline_means_no_limit(
    user_client: AsyncRunloop, runloop_emulator: Any
) -> None:
    run_id = runloop_emulator.seed_runs(1, state="scored")[0]
    scored = await user_client.scenarios.runs.await_scored(run_id, timeout=math.inf)
    assert scored.state == "scored"


async def test_score_and_await_ends_at_its_deadline_when_score_itself_hangs(
    user_client: AsyncRunloop, runloop_emulator: Any
) -> None:
    # The deadline covers the score call too: before, a hung score took its own
    # attempts (6 x the 120 s total) whatever the wait's timeout said.
    run_id = runloop_emulator.seed_runs(1)[0]
    runloop_emulator.faults.add("POST /v1/scenarios/runs/{id}/score", kind="hang")
    elapsed, error = await _timed_wait(
        user_client.scenarios.runs.score_and_await(run_id, timeout=1.5)
    )
    assert 1.4 <= elapsed <= 1.5 + SLACK
    assert isinstance(error.__cause__, APITimeoutError)


async def test_a_trickled_answer_that_ends_in_time_is_read_whole(
    user_client: AsyncRunloop, runloop_emulator: Any
) -> None:
    run_id = runloop_emulator.seed_runs(1)[0]
    runloop_emulator.faults.add(RUN_ROUTE, kind="trickle", chunk=64, interval=0.005, times=1)
    view = await user_client.scenarios.runs.retrieve(run_id)
    assert view.id == run_id
    assert [r.fault for r in runloop_emulator.requests if r.path.endswith(run_id)] == ["trickle"]


async def test_a_hang_with_a_delay_closes_the_connection_unanswered(
    runloop_emulator: Any,
) -> None:
    run_id = runloop_emulator.seed_runs(1)[0]
    runloop_emulator.faults.add(RUN_ROUTE, kind="hang", delay=0.2, times=1)
    async with AsyncRunloop(
        runloop_emulator.api_key, runloop_emulator.base_url, max_retries=0
    ) as client:
        with anyio.fail_after(HANG), pytest.raises(APIConnectionError) as info:
            await client.scenarios.runs.retrieve(run_id)
        assert not isinstance(info.value, APITimeoutError)  # closed, not timed out
        assert (await client.scenarios.runs.retrieve(run_id)).id == run_id
