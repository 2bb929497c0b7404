"""Devboxes: boot sequence, wait_for_status long-poll (hold, 408, prompt wake), shutdown."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pytest
from emu_helpers import Api, StoppedClock, scenario_body

from runloop_async.testing import Emulator

pytestmark = pytest.mark.anyio
WAIT = {"statuses": ["running", "failure", "shutdown"], "timeout_seconds": 5}


async def start(api: Api, name: str = "s") -> dict[str, Any]:
    sid = (await api.ok("POST", "/v1/scenarios", scenario_body(name)))["id"]
    return dict(await api.ok("POST", "/v1/scenarios/start_run", {"scenario_id": sid}))


async def test_boot_sequence(emu: Emulator, api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each status lasts 0.1 s: the clock moves when the test says so, not with the
    # machine's load (a GET delayed 0.1 s would see the next status).
    clock = StoppedClock(emu, monkeypatch)
    emu.configure(devbox_boot_delay=0.2)
    run = await start(api)
    first = await api.ok("GET", f"/v1/devboxes/{run['devbox_id']}")
    assert first["status"] == "provisioning"
    assert first["capabilities"] == []
    assert first["metadata"] == {}
    clock.advance(0.15)
    assert (await api.ok("GET", f"/v1/devboxes/{run['devbox_id']}"))["status"] == "initializing"
    clock.advance(0.1)
    done = await api.ok("POST", f"/v1/devboxes/{run['devbox_id']}/wait_for_status", WAIT)
    assert done["status"] == "running"
    assert [t["status"] for t in done["state_transitions"]] == [
        "provisioning",
        "initializing",
        "running",
    ]
    times = [t["transition_time_ms"] for t in done["state_transitions"]]
    assert times == sorted(times)
    assert times[2] - times[0] == pytest.approx(200, abs=5)
    assert (await api.get("/v1/devboxes/dbx_nope"))[0] == 404


async def test_wait_holds_then_408(emu: Emulator, api: Api) -> None:
    emu.configure(devbox_boot_delay=10.0)
    run = await start(api)
    started = time.monotonic()
    status, body = await api.post(
        f"/v1/devboxes/{run['devbox_id']}/wait_for_status",
        {"statuses": ["running"], "timeout_seconds": 0.3},
    )
    elapsed = time.monotonic() - started
    assert status == 408
    assert body["error"]["type"] == "request_timeout"
    assert 0.28 <= elapsed < 1.0


async def test_max_wait_hold_caps_the_hold(emu: Emulator, api: Api) -> None:
    emu.configure(devbox_boot_delay=10.0, max_wait_hold=0.1)
    run = await start(api)
    started = time.monotonic()
    status, _ = await api.post(f"/v1/devboxes/{run['devbox_id']}/wait_for_status", WAIT)
    assert status == 408
    assert time.monotonic() - started < 1.0


async def test_wait_wakes_promptly_on_complete(emu: Emulator, api: Api) -> None:
    emu.configure(devbox_boot_delay=10.0)
    run = await start(api)
    waiter = asyncio.create_task(
        api.post(
            f"/v1/devboxes/{run['devbox_id']}/wait_for_status",
            {"statuses": ["shutdown"], "timeout_seconds": 5},
        )
    )
    await asyncio.sleep(0.1)
    assert not waiter.done()
    await api.ok("POST", f"/v1/scenarios/runs/{run['id']}/cancel")
    started = time.monotonic()
    status, body = await asyncio.wait_for(waiter, 2)
    assert time.monotonic() - started < 0.2
    assert (status, body["status"]) == (200, "shutdown")


async def test_wait_wakes_on_timed_boot(emu: Emulator, api: Api) -> None:
    emu.configure(devbox_boot_delay=0.3)
    run = await start(api)
    started = time.monotonic()
    await api.ok("POST", f"/v1/devboxes/{run['devbox_id']}/wait_for_status", WAIT)
    assert 0.25 <= time.monotonic() - started < 0.5


async def test_wait_validation(api: Api) -> None:
    run = await start(api)
    path = f"/v1/devboxes/{run['devbox_id']}/wait_for_status"
    assert (await api.post(path, {"statuses": [], "timeout_seconds": 1}))[0] == 400
    assert (await api.post(path, {"statuses": "running"}))[0] == 400
    assert (await api.post(path, {"statuses": ["running"], "timeout_seconds": "x"}))[0] == 400
    assert (await api.post("/v1/devboxes/dbx_nope/wait_for_status", WAIT))[0] == 404


async def test_forced_devbox_failure_fails_the_run(emu: Emulator, api: Api) -> None:
    sid = (await api.ok("POST", "/v1/scenarios", scenario_body("broken")))["id"]
    emu.force_devbox_outcome(sid, "failure")
    run = await api.ok("POST", "/v1/scenarios/start_run", {"scenario_id": sid})
    devbox = await api.ok("POST", f"/v1/devboxes/{run['devbox_id']}/wait_for_status", WAIT)
    assert (devbox["status"], devbox["failure_reason"]) == ("failure", "execution_failed")
    assert (await api.ok("GET", f"/v1/scenarios/runs/{run['id']}"))["state"] == "failed"


async def test_shutdown_endpoint(api: Api) -> None:
    run = await start(api)
    down = await api.ok("POST", f"/v1/devboxes/{run['devbox_id']}/shutdown")
    assert (down["status"], down["shutdown_reason"]) == ("shutdown", "api_shutdown")
    assert (await api.post(f"/v1/devboxes/{run['devbox_id']}/shutdown"))[0] == 400


async def test_disconnected_waiter_is_cancelled(emu: Emulator, api: Api) -> None:
    emu.configure(devbox_boot_delay=10.0)
    run = await start(api)
    before = len(asyncio.all_tasks())
    with pytest.raises(asyncio.TimeoutError):
        await api.session.post(
            f"/v1/devboxes/{run['devbox_id']}/wait_for_status",
            json={"statuses": ["running"], "timeout_seconds": 20},
            timeout=aiohttp.ClientTimeout(total=0.2),
        )
    deadline = asyncio.get_running_loop().time() + 10.0  # generous: loaded machines
    while asyncio.get_running_loop().time() < deadline:
        if len(asyncio.all_tasks()) <= before:
            break
        await asyncio.sleep(0.01)
    assert len(asyncio.all_tasks()) <= before
