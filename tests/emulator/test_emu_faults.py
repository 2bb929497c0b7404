"""Fault injection: every kind, matching, counting, probability; idempotent replay."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from emu_helpers import Api, scenario_body

from runloop_async.testing import FAULT_KINDS, Emulator

pytestmark = pytest.mark.anyio
ROUTE = "GET /v1/scenarios/{id}"


@pytest.fixture
async def fresh(emu: Emulator) -> AsyncIterator[aiohttp.ClientSession]:
    """A session without keep-alive: aiohttp does not silently retry a dropped request."""
    headers = {"Authorization": f"Bearer {emu.api_key}"}
    connector = aiohttp.TCPConnector(force_close=True)
    async with aiohttp.ClientSession(emu.base_url, headers=headers, connector=connector) as s:
        yield s


async def make(api: Api) -> str:
    return str((await api.ok("POST", "/v1/scenarios", scenario_body()))["id"])


async def test_status_fault_with_headers_and_times(emu: Emulator, api: Api) -> None:
    sid = await make(api)
    handle = emu.faults.add(
        route=ROUTE, kind="status", status=429, headers={"Retry-After": "2"}, times=2
    )
    for _ in range(2):
        async with api.session.get(f"/v1/scenarios/{sid}") as resp:
            assert resp.status == 429
            assert resp.headers["Retry-After"] == "2"
            assert resp.headers["x-request-id"]
            assert (await resp.json())["error"]["type"] == "injected_fault"
    assert (await api.get(f"/v1/scenarios/{sid}"))[0] == 200
    assert handle.fired == 2
    assert not handle.active
    assert [r.fault for r in emu.requests[-3:]] == ["status", "status", None]
    # other routes and methods are untouched
    assert (await api.get("/v1/scenarios"))[0] == 200


async def test_route_forms(emu: Emulator, api: Api) -> None:
    sid = await make(api)
    emu.faults.add(route=f"GET /v1/scenarios/{sid}", status=503, times=1)
    assert (await api.get(f"/v1/scenarios/{sid}"))[0] == 503
    emu.faults.add(route="/v1/scenarios/{id}", status=502, times=1)
    assert (await api.post(f"/v1/scenarios/{sid}", {}))[0] == 502
    emu.faults.add(route="POST *", status=500, times=1)
    assert (await api.get(f"/v1/scenarios/{sid}"))[0] == 200
    assert (await api.post(f"/v1/scenarios/{sid}", {}))[0] == 500
    handle = emu.faults.add(route="*", status=500)
    assert (await api.get("/v1/nothing"))[0] == 500
    handle.remove()
    assert (await api.get("/v1/nothing"))[0] == 404
    with pytest.raises(ValueError, match="kind"):
        emu.faults.add(kind="explode")
    assert {"status", "close", "reset", "truncate", "html"} <= FAULT_KINDS


async def test_faults_apply_after_auth(emu: Emulator) -> None:
    emu.faults.add(route="*", status=503)
    async with aiohttp.ClientSession(emu.base_url) as s, s.get("/v1/scenarios") as resp:
        assert resp.status == 401


async def test_probability_is_seeded(emu: Emulator, api: Api) -> None:
    async def pattern() -> list[int]:
        emu.faults.clear()
        emu.faults.add(route="*", status=500, probability=0.5, seed=7)
        return [(await api.get("/v1/scenarios"))[0] for _ in range(20)]

    first = await pattern()
    assert first == await pattern()
    assert set(first) == {200, 500}


async def test_delay(emu: Emulator, api: Api) -> None:
    emu.faults.add(route="GET /v1/scenarios", kind="delay", delay=0.2, times=1)
    started = time.monotonic()
    assert (await api.get("/v1/scenarios"))[0] == 200
    assert time.monotonic() - started >= 0.2


async def test_close(emu: Emulator, fresh: aiohttp.ClientSession) -> None:
    emu.faults.add(route="POST /v1/scenarios", kind="close", times=1)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await fresh.post("/v1/scenarios", json=scenario_body())
    assert emu.requests[-1].status is None
    async with fresh.get("/v1/scenarios") as resp:
        assert (await resp.json())["scenarios"] == []  # the request had no effect


@pytest.mark.parametrize("kind", ["reset", "truncate"])
async def test_partial_bodies(emu: Emulator, fresh: aiohttp.ClientSession, kind: str) -> None:
    emu.faults.add(route="POST /v1/scenarios", kind=kind, times=1)
    async with fresh.post("/v1/scenarios", json=scenario_body()) as resp:
        assert resp.status == 200
        assert resp.content_length is not None
        with pytest.raises(aiohttp.ClientPayloadError):
            await resp.read()
    async with fresh.get("/v1/scenarios") as listing:
        assert len((await listing.json())["scenarios"]) == 1  # the effect was applied


async def test_html(emu: Emulator, api: Api) -> None:
    emu.faults.add(route="*", kind="html", times=1)
    async with api.session.get("/v1/scenarios") as resp:
        assert resp.status == 502
        assert resp.content_type == "text/html"
        assert "<html" in (await resp.text()).lower()


async def test_wrong_types(emu: Emulator, api: Api) -> None:
    run_id = emu.seed_runs(1)[0]
    emu.faults.add(route="GET /v1/scenarios/runs/{id}", kind="wrong_types", times=1)
    assert (await api.ok("GET", f"/v1/scenarios/runs/{run_id}"))["state"] == 123
    emu.faults.add(route="GET /v1/scenarios/runs", kind="wrong_types", times=1)
    assert (await api.ok("GET", "/v1/scenarios/runs"))["runs"][0]["state"] == 123
    emu.faults.add(route="*", kind="wrong_types", field="metadata", times=1)
    assert (await api.ok("GET", f"/v1/scenarios/runs/{run_id}"))["metadata"] == 123
    assert (await api.ok("GET", f"/v1/scenarios/runs/{run_id}"))["state"] == "running"


async def test_unknown_fields(emu: Emulator, api: Api) -> None:
    sid = await make(api)
    emu.faults.add(route="*", kind="unknown_fields", times=1)
    view = await api.ok("GET", f"/v1/scenarios/{sid}")
    assert view["status"] not in ("active", "archived")
    assert "emulator_unknown_field" in view
    scorers = [f["scorer"]["type"] for f in view["scoring_contract"]["scoring_function_parameters"]]
    assert scorers == ["command_scorer", "emulator_future_scorer"]
    clean = await api.ok("GET", f"/v1/scenarios/{sid}")
    assert clean["status"] == "active"
    assert "emulator_unknown_field" not in clean


async def test_idempotent_replay(emu: Emulator, api: Api) -> None:
    emu.configure(scoring_delay=10.0)
    run_id = emu.seed_runs(1)[0]
    path = f"/v1/scenarios/runs/{run_id}/score"
    first = await api.ok_headers("POST", path, {"x-request-id": "key-1"})
    again = await api.ok_headers("POST", path, {"x-request-id": "key-1"})
    assert first == again  # replayed: no "already scoring" 400
    status, _ = await api.post(path, **{"x-request-id": "key-2"})
    assert status == 400
    body = scenario_body()
    a = await api.ok_headers("POST", "/v1/scenarios", {"x-request-id": "create-1"}, body)
    b = await api.ok_headers("POST", "/v1/scenarios", {"x-request-id": "create-1"}, body)
    assert a["id"] == b["id"]
    assert (await api.ok("GET", "/v1/scenarios"))["total_count"] == 2  # seeded + one


async def test_failed_answers_are_not_stored(emu: Emulator, api: Api) -> None:
    emu.faults.add(route="POST /v1/scenarios", status=503, times=1)
    status, _ = await api.post("/v1/scenarios", scenario_body(), **{"x-request-id": "k"})
    assert status == 503
    status, created = await api.post("/v1/scenarios", scenario_body(), **{"x-request-id": "k"})
    assert status == 200
    assert created["id"]


async def test_truncated_effect_replays_once(emu: Emulator, api: Api) -> None:
    emu.faults.add(route="POST /v1/scenarios", kind="truncate", times=1)
    with pytest.raises(aiohttp.ClientPayloadError):
        await api.post("/v1/scenarios", scenario_body(), **{"x-request-id": "t1"})
    status, _ = await api.post("/v1/scenarios", scenario_body(), **{"x-request-id": "t1"})
    assert status == 200
    await asyncio.sleep(0)
    assert (await api.ok("GET", "/v1/scenarios"))["total_count"] == 1


async def test_time_window_burst(emu: Emulator, api: Api) -> None:
    sid = await make(api)
    # Each request aims at the middle of its region, timed from when the fault was
    # added (not from the previous request), so a stall of up to ~0.5 s costs nothing.
    loop = asyncio.get_running_loop()
    start = loop.time()
    handle = emu.faults.add(route="GET /v1/scenarios/{id}", status=503, after=1.0, duration=1.2)
    assert (await api.get(f"/v1/scenarios/{sid}"))[0] == 200  # before the window
    await asyncio.sleep(max(0.0, start + 1.6 - loop.time()))
    assert (await api.get(f"/v1/scenarios/{sid}"))[0] == 503  # inside it
    await asyncio.sleep(max(0.0, start + 2.7 - loop.time()))
    assert (await api.get(f"/v1/scenarios/{sid}"))[0] == 200  # after it
    assert handle.fired == 1
    assert not handle.active
    with pytest.raises(ValueError, match=">= 0"):
        emu.faults.add(route="*", after=-1)
