"""Client lifetime: construction, close, loops, secrets."""

from __future__ import annotations

import logging
from typing import Any

import anyio
import anyio.from_thread
import pytest

from runloop_async import (
    AsyncRunloop,
    ClientClosedError,
    ConfigurationError,
    InsecureTransportWarning,
)

pytestmark = pytest.mark.anyio


async def test_missing_key_names_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RUNLOOP_API_KEY", raising=False)
    with pytest.raises(ConfigurationError) as info:
        AsyncRunloop()
    assert "bearer_token" in str(info.value)
    assert "RUNLOOP_API_KEY" in str(info.value)


async def test_environment_variables_configure_the_client(
    monkeypatch: pytest.MonkeyPatch, runloop_emulator: Any
) -> None:
    monkeypatch.setenv("RUNLOOP_API_KEY", runloop_emulator.api_key)
    monkeypatch.setenv("RUNLOOP_BASE_URL", runloop_emulator.base_url + "/")
    monkeypatch.setenv("RUNLOOP_CUSTOM_HEADERS", "X-Team: evals")
    async with AsyncRunloop() as client:
        assert client.base_url == runloop_emulator.base_url
        page = await client.scenarios.list()
        assert page.items == []
    assert runloop_emulator.requests[-1].headers["x-team"] == "evals"


async def test_close_is_idempotent_and_use_after_close_is_clear(client: AsyncRunloop) -> None:
    await client.scenarios.list()
    await client.close()
    await client.close()
    assert client.is_closed
    with pytest.raises(ClientClosedError, match="closed"):
        await client.scenarios.list()


async def test_use_from_another_loop_is_refused(runloop_emulator: Any) -> None:
    client = AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url)
    with anyio.from_thread.start_blocking_portal("asyncio") as portal:
        portal.call(client.scenarios.list)  # the session is born on the portal's loop
        with pytest.raises(ClientClosedError, match="another event loop"):
            await client.scenarios.list()
        portal.call(client.close)
    assert client.is_closed


async def test_with_options_shares_connections(client: AsyncRunloop, runloop_emulator: Any) -> None:
    quick = client.with_options(max_retries=0, timeout=5)
    runloop_emulator.faults.add(route="*", kind="status", status=503, times=1)
    with pytest.raises(Exception, match="503"):
        await quick.scenarios.list()
    assert len(runloop_emulator.requests) == 1
    await quick.close()  # closes the copy only (issue 12)
    assert quick.is_closed
    assert not client.is_closed


def test_plain_http_to_remote_host_warns() -> None:
    with pytest.warns(InsecureTransportWarning):
        AsyncRunloop("k", "http://api.example.com")


async def test_debug_logs_name_the_call_but_never_the_key(
    client: AsyncRunloop, runloop_emulator: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        await client.scenarios.list()
        runloop_emulator.faults.add(route="*", kind="status", status=503, times=1)
        await client.scenarios.list()
    text = caplog.text
    assert "GET /v1/scenarios" in text
    assert runloop_emulator.api_key not in text


async def test_the_headers_each_request_carries(runloop_emulator: Any) -> None:
    # The client's headers are the session's defaults; each request adds its own
    # (accept, content-type, idempotency key, retry count, extra_headers), which win.
    async with AsyncRunloop(
        runloop_emulator.api_key, runloop_emulator.base_url, default_headers={"X-Team": "evals"}
    ) as client:
        run_id = runloop_emulator.seed_runs(1)[0]
        await client.scenarios.runs.retrieve(run_id)
        get = runloop_emulator.requests[-1].headers
        await client.scenarios.runs.score(
            run_id,
            idempotency_key="key-1",
            extra_headers={"x-team": "other", "Authorization": "Bearer stolen"},
        )
        post = runloop_emulator.requests[-1].headers
    assert (get["x-team"], get["accept"], get["x-stainless-retry-count"]) == (
        "evals",
        "application/json",
        "0",
    )
    assert get["user-agent"].startswith("runloop-async/")
    assert "content-type" not in get
    assert "x-request-id" not in get
    assert (post["x-team"], post["content-type"], post["x-request-id"]) == (
        "other", "application/json", "key-1"
    )  # fmt: skip
    # The request was authorized with the client's key, not the extra header's.
    assert runloop_emulator.requests[-1].status < 400
