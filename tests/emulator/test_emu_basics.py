"""Auth, errors, routing, request ids and the request log."""

from __future__ import annotations

import aiohttp
import pytest
from emu_helpers import Api, scenario_body

from runloop_async.testing import Emulator

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("auth", [None, "Bearer nope", "test-key", "Basic test-key"])
async def test_wrong_or_missing_auth_is_401(emu: Emulator, auth: str | None) -> None:
    headers = {} if auth is None else {"Authorization": auth}
    async with (
        aiohttp.ClientSession(emu.base_url) as session,
        session.get("/v1/scenarios", headers=headers) as resp,
    ):
        assert resp.status == 401
        body = await resp.json()
        assert body["error"]["type"] == "unauthorized"
        assert resp.headers["x-request-id"].startswith("req_")
    assert emu.requests[-1].status == 401
    assert "authorization" not in emu.requests[-1].headers


async def test_request_id_is_echoed_and_generated(api: Api) -> None:
    async with api.session.get("/v1/scenarios", headers={"x-request-id": "abc-1"}) as resp:
        assert resp.headers["x-request-id"] == "abc-1"
    async with api.session.get("/v1/scenarios/nope") as resp:
        assert resp.status == 404
        assert resp.headers["x-request-id"].startswith("req_")
        assert (await resp.json())["error"]["type"] == "not_found"


async def test_unknown_route_and_method(api: Api) -> None:
    assert (await api.get("/v1/nothing"))[0] == 404
    status, body = await api.call("DELETE", "/v1/scenarios")
    assert status == 405
    assert body["error"]["type"] == "method_not_allowed"
    # literal segments beside {id} keep their own methods
    assert (await api.post("/v1/scenarios/runs"))[0] == 405


async def test_bad_json_and_bad_bodies_are_400(api: Api) -> None:
    async with api.session.post(
        "/v1/scenarios", data=b"{not json", headers={"Content-Type": "application/json"}
    ) as resp:
        assert resp.status == 400
    assert (await api.post("/v1/scenarios", [1, 2]))[0] == 400
    assert (await api.post("/v1/scenarios", {"name": "x"}))[0] == 400
    bad_weight = scenario_body()
    bad_weight["scoring_contract"]["scoring_function_parameters"][0]["weight"] = "1"
    assert (await api.post("/v1/scenarios", bad_weight))[0] == 400
    bad_name = scenario_body()
    bad_name["scoring_contract"]["scoring_function_parameters"][0]["name"] = "has space"
    assert (await api.post("/v1/scenarios", bad_name))[0] == 400
    bad_type = scenario_body()
    bad_type["scoring_contract"]["scoring_function_parameters"][0]["scorer"]["type"] = "nope"
    assert (await api.post("/v1/scenarios", bad_type))[0] == 400
    assert (await api.post("/v1/scenarios", scenario_body(metadata={"a": 1})))[0] == 400


async def test_request_log_records_everything(emu: Emulator, api: Api) -> None:
    await api.post("/v1/scenarios", scenario_body(), **{"X-Team": "evals", "x-request-id": "k1"})
    await api.get("/v1/scenarios", limit="5")
    first, second = emu.requests
    assert (first.method, first.path, first.status) == ("POST", "/v1/scenarios", 200)
    assert first.json["name"] == "s"
    assert first.headers["x-team"] == "evals"
    assert first.request_id == "k1"
    assert first.route == "POST /v1/scenarios"
    assert "authorization" not in first.headers
    assert second.query == {"limit": "5"}
    assert second.json is None
    emu.clear_requests()
    assert emu.requests == []


async def test_reset_and_configure(emu: Emulator, api: Api) -> None:
    await api.ok("POST", "/v1/scenarios", scenario_body())
    emu.configure(scoring_delay=5.0)
    assert emu.config.scoring_delay == 5.0
    emu.faults.add(kind="status", status=500)
    emu.reset()
    assert emu.config.scoring_delay == 0.02
    assert len(emu.faults) == 0
    assert emu.requests == []
    page = await api.ok("GET", "/v1/scenarios")
    assert page["scenarios"] == []
