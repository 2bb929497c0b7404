"""Scenario runs: the state machine, scoring, forced outcomes, logs."""

from __future__ import annotations

import asyncio
import io
import zipfile
from typing import Any

import pytest
from emu_helpers import Api, scenario_body

from runloop_async.testing import Emulator

pytestmark = pytest.mark.anyio


async def start(api: Api, command: str = "pytest", **body: Any) -> dict[str, Any]:
    scenario = await api.ok("POST", "/v1/scenarios", scenario_body(command=command))
    return dict(
        await api.ok("POST", "/v1/scenarios/start_run", {"scenario_id": scenario["id"], **body})
    )


async def until(api: Api, run_id: str, state: str) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + 30.0  # generous: loaded machines
    while asyncio.get_running_loop().time() < deadline:
        view = await api.ok("GET", f"/v1/scenarios/runs/{run_id}")
        if view["state"] == state:
            return dict(view)
        await asyncio.sleep(0.01)
    raise AssertionError(f"run never reached {state}")


async def test_start_run_maps_the_run_profile(api: Api) -> None:
    run = await start(
        api,
        run_name="first",
        metadata={"k": "v"},
        benchmark_run_id=None,
        runProfile={
            "envVars": {"A": "1"},
            "secrets": {"T": "tok"},
            "purpose": "eval",
            "launchParameters": {"architecture": "arm64"},
        },
    )
    assert run["state"] == "running"
    assert run["devbox_id"].startswith("dbx_")
    assert (run["name"], run["purpose"], run["metadata"]) == ("first", "eval", {"k": "v"})
    assert run["environment_variables"] == {"A": "1"}
    assert run["secrets_provided"] == {"T": "tok"}
    assert run["scoring_contract_result"] is None
    assert isinstance(run["start_time_ms"], int)
    devbox = await api.ok("GET", f"/v1/devboxes/{run['devbox_id']}")
    assert devbox["launch_parameters"] == {"architecture": "arm64"}
    assert (devbox["initiator_type"], devbox["initiator_id"]) == ("scenario", run["id"])


async def test_start_run_validation(api: Api) -> None:
    assert (await api.post("/v1/scenarios/start_run", {}))[0] == 400
    assert (await api.post("/v1/scenarios/start_run", {"scenario_id": "nope"}))[0] == 404
    body = scenario_body(required_environment_variables=["NEED"], required_secret_names=["S"])
    sid = (await api.ok("POST", "/v1/scenarios", body))["id"]
    assert (await api.post("/v1/scenarios/start_run", {"scenario_id": sid}))[0] == 400
    ok = {"scenario_id": sid, "runProfile": {"envVars": {"NEED": "x"}, "secrets": {"S": "s"}}}
    assert (await api.post("/v1/scenarios/start_run", ok))[0] == 200
    bad = {"scenario_id": sid, "benchmark_run_id": "bmr_nope"}
    assert (await api.post("/v1/scenarios/start_run", bad))[0] == 404


async def test_score_then_complete(api: Api) -> None:
    run = await start(api)
    scoring = await api.ok("POST", f"/v1/scenarios/runs/{run['id']}/score")
    assert scoring["state"] == "scoring"
    scored = await until(api, run["id"], "scored")
    result = scored["scoring_contract_result"]
    assert result["score"] == 1.0
    (fn,) = result["scoring_function_results"]
    assert (fn["scoring_function_name"], fn["score"], fn["state"]) == ("tests", 1.0, "complete")
    assert isinstance(fn["output"], str)
    done = await api.ok("POST", f"/v1/scenarios/runs/{run['id']}/complete")
    assert done["state"] == "completed"
    assert done["scoring_contract_result"] == result
    assert isinstance(done["duration_ms"], int)
    devbox = await api.ok("GET", f"/v1/devboxes/{run['devbox_id']}")
    assert (devbox["status"], devbox["shutdown_reason"]) == ("shutdown", "api_shutdown")
    assert devbox["end_time_ms"] is not None
    for action in ("score", "complete", "cancel"):
        status, body = await api.post(f"/v1/scenarios/runs/{run['id']}/{action}")
        assert status == 400
        assert body["error"]["type"] == "invalid_state"


async def test_weighted_deterministic_scores(api: Api) -> None:
    fns = [
        {"name": "a", "scorer": {"type": "command_scorer", "command": "FAIL"}, "weight": 0.25},
        {
            "name": "b",
            "scorer": {"type": "python_script_scorer", "python_script": "PARTIAL"},
            "weight": 0.5,
        },
        {
            "name": "c",
            "scorer": {"type": "custom_scorer", "custom_scorer_type": "mine"},
            "weight": 0.25,
        },
    ]
    await api.ok("POST", "/v1/scenarios/scorers", {"bash_script": "echo PARTIAL", "type": "mine"})
    body = scenario_body(scoring_contract={"scoring_function_parameters": fns})
    sid = (await api.ok("POST", "/v1/scenarios", body))["id"]
    run = await api.ok("POST", "/v1/scenarios/start_run", {"scenario_id": sid})
    await api.ok("POST", f"/v1/scenarios/runs/{run['id']}/score")
    result = (await until(api, run["id"], "scored"))["scoring_contract_result"]
    assert [f["score"] for f in result["scoring_function_results"]] == [0.0, 0.5, 0.5]
    assert result["score"] == pytest.approx(0.375)


async def test_complete_from_running_and_cancel_paths(emu: Emulator, api: Api) -> None:
    run = await start(api)
    assert (await api.ok("POST", f"/v1/scenarios/runs/{run['id']}/complete"))[
        "state"
    ] == "completed"
    second = await start(api)
    # Scoring outlasts the test (with the fast 0.02 s a loaded machine can finish it
    # before the next request arrives).
    emu.configure(scoring_delay=60.0)
    await api.ok("POST", f"/v1/scenarios/runs/{second['id']}/score")
    status, _ = await api.post(f"/v1/scenarios/runs/{second['id']}/complete")
    assert status == 400  # still scoring
    canceled = await api.ok("POST", f"/v1/scenarios/runs/{second['id']}/cancel")
    assert canceled["state"] == "canceled"
    assert (await api.post(f"/v1/scenarios/runs/{second['id']}/complete"))[0] == 400
    devbox = await api.ok("GET", f"/v1/devboxes/{second['devbox_id']}")
    assert devbox["status"] == "shutdown"
    assert (await api.post("/v1/scenarios/runs/scr_nope/score"))[0] == 404


@pytest.mark.parametrize("outcome", ["failed", "timeout"])
async def test_forced_scoring_outcome(emu: Emulator, api: Api, outcome: str) -> None:
    sid = (await api.ok("POST", "/v1/scenarios", scenario_body("forced")))["id"]
    emu.force_scoring_outcome("forced", outcome)  # by name
    run = await api.ok("POST", "/v1/scenarios/start_run", {"scenario_id": sid})
    await api.ok("POST", f"/v1/scenarios/runs/{run['id']}/score")
    ended = await until(api, run["id"], outcome)
    assert ended["scoring_contract_result"] is None
    assert (await api.ok("GET", f"/v1/devboxes/{run['devbox_id']}"))["status"] == "shutdown"
    with pytest.raises(ValueError, match="outcome"):
        emu.force_scoring_outcome(sid, "bogus")


async def test_stuck_scoring_and_scoring_delay(emu: Emulator, api: Api) -> None:
    run = await start(api)
    emu.force_scoring_outcome(run["id"], "stuck")
    await api.ok("POST", f"/v1/scenarios/runs/{run['id']}/score")
    await asyncio.sleep(0.08)
    assert emu.run_view(run["id"])["state"] == "scoring"
    emu.configure(scoring_delay=0.0)
    other = await start(api)
    await api.ok("POST", f"/v1/scenarios/runs/{other['id']}/score")
    assert (await api.ok("GET", f"/v1/scenarios/runs/{other['id']}"))["state"] == "scored"


async def test_download_logs_is_a_zip(api: Api) -> None:
    run = await start(api)
    async with api.session.post(
        f"/v1/scenarios/runs/{run['id']}/download_logs", headers={"Accept": "application/zip"}
    ) as resp:
        assert resp.status == 200
        assert resp.content_type == "application/zip"
        data = await resp.read()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        (name,) = archive.namelist()
        assert run["id"] in archive.read(name).decode()


async def test_seeded_states(emu: Emulator, api: Api) -> None:
    (scored,) = emu.seed_runs(1, state="scored")
    view = await api.ok("GET", f"/v1/scenarios/runs/{scored}")
    assert view["state"] == "scored"
    assert view["scoring_contract_result"]["score"] == 1.0
    (canceled,) = emu.seed_runs(1, state="canceled")
    view = await api.ok("GET", f"/v1/scenarios/runs/{canceled}")
    assert (await api.ok("GET", f"/v1/devboxes/{view['devbox_id']}"))["status"] == "shutdown"
    with pytest.raises(ValueError, match="state"):
        emu.seed_runs(1, state="bogus")
