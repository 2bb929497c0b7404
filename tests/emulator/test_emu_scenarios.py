"""Scenarios and custom scorers: create, retrieve, update semantics, archive, lists."""

from __future__ import annotations

import pytest
from emu_helpers import Api, scenario_body

from runloop_async.testing import Emulator

pytestmark = pytest.mark.anyio


async def test_create_and_retrieve_shape(api: Api) -> None:
    env = {"blueprint_id": "bpt_1", "working_directory": "/w"}
    body = scenario_body(
        "one", environment_parameters=env, metadata={"k": "v"}, validation_type="FORWARD"
    )
    created = await api.ok("POST", "/v1/scenarios", body)
    assert created["environment"] == env
    assert "environment_parameters" not in created
    assert created["status"] == "active"
    assert created["scorer_timeout_sec"] == 1800
    assert created["metadata"] == {"k": "v"}
    assert created["is_public"] is False
    assert await api.ok("GET", f"/v1/scenarios/{created['id']}") == created


async def test_update_keeps_missing_and_null_replaces_given(api: Api) -> None:
    body = scenario_body(
        "orig", metadata={"a": "1"}, reference_output="diff", required_environment_variables=["X"]
    )
    sid = (await api.ok("POST", "/v1/scenarios", body))["id"]
    path = f"/v1/scenarios/{sid}"
    same = await api.ok("POST", path, {"name": None, "metadata": None})
    assert (same["name"], same["metadata"]) == ("orig", {"a": "1"})
    cleared = await api.ok(
        "POST",
        path,
        {
            "metadata": {},
            "reference_output": "",
            "required_environment_variables": [],
            "input_context": {"additional_context": {"x": 1}},
        },
    )
    assert cleared["metadata"] == {}
    assert cleared["reference_output"] == ""
    assert cleared["required_environment_variables"] == []
    assert cleared["input_context"] == {
        "problem_statement": "fix it",
        "additional_context": {"x": 1},
    }
    assert cleared["name"] == "orig"
    assert (await api.post(path, {"name": ""}))[0] == 400
    assert (await api.post(path, {"name": 5}))[0] == 400
    new_fns = [{"name": "b", "scorer": {"type": "bash_script_scorer"}, "weight": 1}]
    updated = await api.ok(
        "POST", path, {"scoring_contract": {"scoring_function_parameters": new_fns}}
    )
    assert updated["scoring_contract"]["scoring_function_parameters"] == new_fns
    assert (await api.post("/v1/scenarios/missing", {"name": "x"}))[0] == 404


async def test_archive_hides_from_list_and_blocks_update(api: Api) -> None:
    ids = [(await api.ok("POST", "/v1/scenarios", scenario_body(f"n{i}")))["id"] for i in range(3)]
    archived = await api.ok("POST", f"/v1/scenarios/{ids[0]}/archive")
    assert archived["status"] == "archived"
    listed = await api.ok("GET", "/v1/scenarios")
    assert [s["id"] for s in listed["scenarios"]] == ids[1:]
    assert listed["total_count"] == 2
    assert (await api.ok("GET", f"/v1/scenarios/{ids[0]}"))["status"] == "archived"
    status, body = await api.post(f"/v1/scenarios/{ids[0]}", {"name": "z"})
    assert status == 400
    assert body["error"]["type"] == "invalid_state"
    assert (await api.post("/v1/scenarios/start_run", {"scenario_id": ids[0]}))[0] == 400


async def test_list_filters_and_public(emu: Emulator, api: Api) -> None:
    a = await api.ok("POST", "/v1/scenarios", scenario_body("alpha", validation_type="REVERSE"))
    b = await api.ok("POST", "/v1/scenarios", scenario_body("beta"))
    public = emu.add_public_scenario(name="public-one")

    async def names(path: str, **query: str) -> list[str]:
        return [s["name"] for s in (await api.ok("GET", path, **query))["scenarios"]]

    assert await names("/v1/scenarios") == ["alpha", "beta"]
    assert await names("/v1/scenarios", name="beta") == ["beta"]
    assert await names("/v1/scenarios", search="LPH") == ["alpha"]
    assert await names("/v1/scenarios", search=b["id"]) == ["beta"]
    assert await names("/v1/scenarios", validation_type="REVERSE") == ["alpha"]
    assert await names("/v1/scenarios/list_public") == ["public-one"]
    assert await names("/v1/scenarios/list_public", name="zzz") == []
    assert (await api.ok("GET", f"/v1/scenarios/{public['id']}"))["is_public"] is True
    bench = await api.ok("POST", "/v1/benchmarks", {"name": "bm", "scenario_ids": [a["id"]]})
    assert await names("/v1/scenarios", benchmark_id=bench["id"]) == ["alpha"]


async def test_scorers_registry(api: Api) -> None:
    created = await api.ok("POST", "/v1/scenarios/scorers", {"bash_script": "echo 1", "type": "t1"})
    assert set(created) == {"id", "bash_script", "type"}
    sid = created["id"]
    assert await api.ok("GET", f"/v1/scenarios/scorers/{sid}") == created
    assert (await api.post(f"/v1/scenarios/scorers/{sid}", {"type": "t2"}))[0] == 400
    updated = await api.ok(
        "POST", f"/v1/scenarios/scorers/{sid}", {"bash_script": "echo 2", "type": "t2"}
    )
    assert updated == {"id": sid, "bash_script": "echo 2", "type": "t2"}
    await api.ok("POST", "/v1/scenarios/scorers", {"bash_script": "x", "type": "other"})
    page = await api.ok("GET", "/v1/scenarios/scorers", search="t2")
    assert [s["id"] for s in page["scorers"]] == [sid]
    assert (await api.ok("GET", "/v1/scenarios/scorers"))["total_count"] == 2
    assert (await api.get("/v1/scenarios/scorers/nope"))[0] == 404
    assert (await api.post("/v1/scenarios/scorers", {"type": "x"}))[0] == 400
