"""Errors, retries and bad answers over loopback, with the emulator's fault injection."""

from __future__ import annotations

import time
from typing import Any

import pytest

from runloop_async import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncRunloop,
    AuthenticationError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RetryConfig,
    Timeout,
    UnprocessableEntityError,
)

pytestmark = pytest.mark.anyio

RUN_ROUTE = "GET /v1/scenarios/runs/{id}"


async def a_run(client: AsyncRunloop, runloop_emulator: Any) -> str:
    runloop_emulator.seed_runs(1)
    page = await client.scenarios.runs.list()
    return page.items[0].id


async def test_wrong_key_is_401_and_never_echoed(runloop_emulator: Any) -> None:
    secret = "sk-not-the-right-key-123456"
    async with AsyncRunloop(secret, runloop_emulator.base_url) as bad:
        with pytest.raises(AuthenticationError) as info:
            await bad.scenarios.runs.retrieve("x")
        assert secret not in repr(bad)
    err = info.value
    assert err.status_code == 401
    for text in (str(err), repr(err), repr(err.body), repr(err.headers)):
        assert secret not in text


@pytest.mark.parametrize(
    ("status", "cls"),
    [(403, PermissionDeniedError), (404, NotFoundError), (409, ConflictError),
     (422, UnprocessableEntityError), (429, RateLimitError), (500, InternalServerError),
     (503, InternalServerError), (418, APIStatusError)],
)  # fmt: skip
async def test_status_to_error_class(
    client: AsyncRunloop, runloop_emulator: Any, status: int, cls: type[APIStatusError]
) -> None:
    run_id = await a_run(client, runloop_emulator)
    runloop_emulator.faults.add(route=RUN_ROUTE, kind="status", status=status, times=10)
    with pytest.raises(cls) as info:
        await client.scenarios.runs.retrieve(run_id, max_retries=0)
    err = info.value
    assert type(err) is cls
    assert (err.status_code, err.method, err.path) == (
        status,
        "GET",
        f"/v1/scenarios/runs/{run_id}",
    )
    assert err.request_id  # the emulator sends x-request-id on every answer
    assert err.body is not None


async def test_retry_after_is_honoured_and_idempotency_key_is_stable(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    run_id = await a_run(client, runloop_emulator)
    runloop_emulator.faults.add(
        route="POST /v1/scenarios/runs/{id}/score",
        kind="status",
        status=429,
        headers={"Retry-After": "0.4"},
        times=2,
    )
    started = time.monotonic()
    view = await client.scenarios.runs.score(run_id)
    elapsed = time.monotonic() - started
    assert view.state in ("scoring", "scored")
    assert elapsed >= 0.8  # two waits of 0.4 s, exactly as asked
    attempts = [r for r in runloop_emulator.requests if r.path.endswith("/score")]
    assert len(attempts) == 3
    keys = {r.headers["x-request-id"] for r in attempts}
    assert len(keys) == 1
    assert [r.headers["x-stainless-retry-count"] for r in attempts] == ["0", "1", "2"]


async def test_retry_after_above_cap_raises_at_once(runloop_emulator: Any) -> None:
    retry = RetryConfig(max_retries=3, max_retry_after=1.0)
    async with AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url, retry=retry) as c:
        runloop_emulator.faults.add(
            route="*", kind="status", status=429, headers={"retry-after-ms": "5000"}, times=1
        )
        started = time.monotonic()
        with pytest.raises(RateLimitError):
            await c.scenarios.runs.retrieve("x")
        assert time.monotonic() - started < 1.0


async def test_x_should_retry_false_is_not_retried(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    runloop_emulator.faults.add(
        route="*", kind="status", status=503, headers={"x-should-retry": "false"}, times=5
    )
    with pytest.raises(InternalServerError):
        await client.scenarios.runs.retrieve("x")
    assert len(runloop_emulator.requests) == 1


async def test_dropped_connections_are_retried(client: AsyncRunloop, runloop_emulator: Any) -> None:
    run_id = await a_run(client, runloop_emulator)
    runloop_emulator.faults.add(route=RUN_ROUTE, kind="close", times=2)
    view = await client.scenarios.runs.retrieve(run_id)
    assert view.id == run_id


async def test_persistent_drops_end_in_connection_error(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    run_id = await a_run(client, runloop_emulator)
    runloop_emulator.faults.add(route=RUN_ROUTE, kind="reset", times=10)
    with pytest.raises(APIConnectionError) as info:
        await client.scenarios.runs.retrieve(run_id)
    assert info.value.path == f"/v1/scenarios/runs/{run_id}"


async def test_read_timeout(client: AsyncRunloop, runloop_emulator: Any) -> None:
    run_id = await a_run(client, runloop_emulator)
    runloop_emulator.faults.add(route=RUN_ROUTE, kind="delay", delay=1.0, times=10)
    with pytest.raises(APITimeoutError):
        await client.scenarios.runs.retrieve(run_id, timeout=Timeout(read=0.2), max_retries=1)


async def test_truncated_body_is_retried_then_succeeds(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    run_id = await a_run(client, runloop_emulator)
    runloop_emulator.faults.add(route=RUN_ROUTE, kind="truncate", times=1)
    assert (await client.scenarios.runs.retrieve(run_id)).id == run_id


async def test_html_error_page_keeps_the_text(client: AsyncRunloop, runloop_emulator: Any) -> None:
    runloop_emulator.faults.add(route="*", kind="html", times=10)
    with pytest.raises(InternalServerError) as info:
        await client.scenarios.runs.retrieve("x", max_retries=0)
    assert isinstance(info.value.body, str)
    assert "<html" in info.value.body.lower()


async def test_wrong_types_name_the_json_path(client: AsyncRunloop, runloop_emulator: Any) -> None:
    run_id = await a_run(client, runloop_emulator)
    runloop_emulator.faults.add(route=RUN_ROUTE, kind="wrong_types", times=1)
    with pytest.raises(APIResponseValidationError) as info:
        await client.scenarios.runs.retrieve(run_id)
    err = info.value
    assert err.json_path.startswith("$.")
    assert err.method == "GET"
    assert err.path == f"/v1/scenarios/runs/{run_id}"


async def test_unknown_fields_and_enum_values_are_kept(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    run_id = await a_run(client, runloop_emulator)
    runloop_emulator.faults.add(route=RUN_ROUTE, kind="unknown_fields", times=1)
    view = await client.scenarios.runs.retrieve(run_id)
    assert view.id == run_id
    assert view.state not in ("running", "scoring", "scored", "completed")


async def test_retry_budget_stops_a_storm(runloop_emulator: Any) -> None:
    retry = RetryConfig(max_retries=5, initial_delay=0.001, max_delay=0.002, budget=12)
    async with AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url, retry=retry) as c:
        runloop_emulator.faults.add(route="*", kind="status", status=503, times=1000)
        for _ in range(3):
            with pytest.raises(InternalServerError):
                await c.scenarios.runs.retrieve("x")
    # 12 tokens pay for 2 retries (5 each); after that, failures are not retried.
    assert len(runloop_emulator.requests) == 3 + 2
