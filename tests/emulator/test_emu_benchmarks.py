"""Benchmarks, benchmark runs and benchmark jobs."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from emu_helpers import FAST, Api, StoppedClock, scenario_body

from runloop_async.testing import Emulator

pytestmark = pytest.mark.anyio


async def scenarios(api: Api, *commands: str) -> list[str]:
    return [
        (await api.ok("POST", "/v1/scenarios", scenario_body(f"s{i}", command=c)))["id"]
        for i, c in enumerate(commands)
    ]


async def test_benchmark_crud(api: Api) -> None:
    ids = await scenarios(api, "a", "b", "c")
    bench = await api.ok(
        "POST",
        "/v1/benchmarks",
        {"name": "bm", "scenario_ids": ids[:2], "description": "d", "metadata": {"k": "v"}},
    )
    assert bench["scenarioIds"] == ids[:2]
    assert "scenario_ids" not in bench
    assert (bench["status"], bench["is_public"], bench["description"]) == ("active", False, "d")
    path = f"/v1/benchmarks/{bench['id']}"
    assert await api.ok("GET", path) == bench
    kept = await api.ok("POST", path, {"description": None, "name": "bm2"})
    assert (kept["description"], kept["name"]) == ("d", "bm2")
    cleared = await api.ok("POST", path, {"description": "", "metadata": {}, "scenario_ids": []})
    assert (cleared["description"], cleared["metadata"], cleared["scenarioIds"]) == ("", {}, [])
    assert (await api.post(path, {"name": ""}))[0] == 400
    assert (await api.post(path, {"scenario_ids": ["scn_nope"]}))[0] == 400
    moved = await api.ok(
        "POST", f"{path}/scenarios", {"scenarios_to_add": ids, "scenarios_to_remove": [ids[1]]}
    )
    assert moved["scenarioIds"] == [ids[0], ids[2]]
    assert (await api.get("/v1/benchmarks/bmd_nope"))[0] == 404


async def test_benchmark_lists_and_definitions(emu: Emulator, api: Api) -> None:
    ids = await scenarios(api, *"abcde")
    mine = await api.ok("POST", "/v1/benchmarks", {"name": "mine", "scenario_ids": ids})
    await api.ok("POST", "/v1/benchmarks", {"name": "other"})
    public = emu.add_public_benchmark("pub", scenario_ids=ids[:1])
    listed = await api.ok("GET", "/v1/benchmarks")
    assert [b["name"] for b in listed["benchmarks"]] == ["mine", "other"]
    assert (await api.ok("GET", "/v1/benchmarks", name="other"))["total_count"] == 1
    assert (await api.ok("GET", "/v1/benchmarks", search=mine["id"]))["total_count"] == 1
    pub = await api.ok("GET", "/v1/benchmarks/list_public")
    assert [b["id"] for b in pub["benchmarks"]] == [public["id"]]
    assert pub["benchmarks"][0]["is_public"] is True
    defs = f"/v1/benchmarks/{mine['id']}/definitions"
    first = await api.ok("GET", defs, limit="2")
    assert [s["id"] for s in first["scenarios"]] == ids[:2]
    assert first["has_more"] is True
    rest = await api.ok("GET", defs, limit="5", starting_after=ids[1])
    assert [s["id"] for s in rest["scenarios"]] == ids[2:]
    assert rest["has_more"] is False
    assert (await api.get(defs, starting_after="scn_other"))[0] == 400


async def start_bench_run(api: Api, ids: list[str], **body: Any) -> dict[str, Any]:
    bench = await api.ok("POST", "/v1/benchmarks", {"name": "bm", "scenario_ids": ids})
    run = await api.ok("POST", "/v1/benchmarks/start_run", {"benchmark_id": bench["id"], **body})
    return dict(run)


async def until_scored(api: Api, run_id: str) -> None:
    deadline = asyncio.get_running_loop().time() + 30.0  # generous: loaded machines
    while asyncio.get_running_loop().time() < deadline:
        if (await api.ok("GET", f"/v1/scenarios/runs/{run_id}"))["state"] == "scored":
            return
        await asyncio.sleep(0.01)
    raise AssertionError("not scored")


async def test_benchmark_run_complete_scores_the_mean(api: Api) -> None:
    ids = await scenarios(api, "ok", "FAIL")
    bench_run = await start_bench_run(
        api, ids, run_name="r1", runProfile={"envVars": {"A": "1"}, "purpose": "p"}
    )
    assert (bench_run["state"], bench_run["name"], bench_run["purpose"]) == ("running", "r1", "p")
    assert bench_run["environment_variables"] == {"A": "1"}
    assert bench_run["score"] is None
    for sid in ids:
        run = await api.ok(
            "POST",
            "/v1/scenarios/start_run",
            {"scenario_id": sid, "benchmark_run_id": bench_run["id"]},
        )
        await api.ok("POST", f"/v1/scenarios/runs/{run['id']}/score")
        await until_scored(api, run["id"])
        await api.ok("POST", f"/v1/scenarios/runs/{run['id']}/complete")
    listed = await api.ok("GET", f"/v1/benchmark_runs/{bench_run['id']}/scenario_runs")
    assert listed["total_count"] == 2
    assert (await api.get(f"/v1/benchmark_runs/{bench_run['id']}/scenario_runs", state="x"))[
        0
    ] == 400
    done = await api.ok("POST", f"/v1/benchmark_runs/{bench_run['id']}/complete")
    assert (done["state"], done["score"]) == ("completed", 0.5)
    assert isinstance(done["duration_ms"], int)
    assert (await api.post(f"/v1/benchmark_runs/{bench_run['id']}/cancel"))[0] == 400
    closed = {"scenario_id": ids[0], "benchmark_run_id": bench_run["id"]}
    assert (await api.post("/v1/scenarios/start_run", closed))[0] == 400


async def test_benchmark_run_cancel_cancels_running_members(api: Api) -> None:
    ids = await scenarios(api, "ok", "PARTIAL")
    bench_run = await start_bench_run(api, ids)
    member_ids = []
    for sid in ids:
        body = {"scenario_id": sid, "benchmark_run_id": bench_run["id"]}
        member_ids.append((await api.ok("POST", "/v1/scenarios/start_run", body))["id"])
    await api.ok("POST", f"/v1/scenarios/runs/{member_ids[0]}/complete")
    canceled = await api.ok("POST", f"/v1/benchmark_runs/{bench_run['id']}/cancel")
    assert canceled["state"] == "canceled"
    assert canceled["score"] == 0.0  # completed without scoring counts 0
    second = await api.ok("GET", f"/v1/scenarios/runs/{member_ids[1]}")
    assert second["state"] == "canceled"
    devbox = await api.ok("GET", f"/v1/devboxes/{second['devbox_id']}")
    assert devbox["status"] == "shutdown"


async def test_benchmark_runs_list_and_archived(emu: Emulator, api: Api) -> None:
    ids = await scenarios(api, "ok")
    r1 = await start_bench_run(api, ids, run_name="one")
    r2 = await start_bench_run(api, ids, run_name="two")
    await api.ok("POST", f"/v1/benchmark_runs/{r2['id']}/cancel")
    listed = await api.ok("GET", "/v1/benchmark_runs")
    assert [r["id"] for r in listed["runs"]] == [r1["id"], r2["id"]]
    assert (await api.ok("GET", "/v1/benchmark_runs", state="canceled"))["runs"][0]["id"] == r2[
        "id"
    ]
    assert (await api.ok("GET", "/v1/benchmark_runs", name="one"))["total_count"] == 1
    by_bench = await api.ok("GET", "/v1/benchmark_runs", benchmark_id=r1["benchmark_id"])
    assert [r["id"] for r in by_bench["runs"]] == [r1["id"]]
    assert (await api.ok("GET", f"/v1/benchmark_runs/{r1['id']}"))["name"] == "one"
    emu.archive_benchmark(r1["benchmark_id"])
    status, body = await api.post("/v1/benchmarks/start_run", {"benchmark_id": r1["benchmark_id"]})
    assert (status, body["error"]["type"]) == (400, "invalid_state")
    assert (await api.post(f"/v1/benchmarks/{r1['benchmark_id']}", {"name": "x"}))[0] == 400
    assert (await api.post("/v1/benchmarks/start_run", {}))[0] == 400


async def until_job(api: Api, job_id: str, states: set[str]) -> dict[str, Any]:
    # A generous wall-clock bound, not a poll count: on a loaded machine the
    # emulator's job worker may take seconds, and that is not what is tested here.
    deadline = asyncio.get_running_loop().time() + 30.0
    while asyncio.get_running_loop().time() < deadline:
        job = await api.ok("GET", f"/v1/benchmark_jobs/{job_id}")
        if job["state"] in states:
            return dict(job)
        await asyncio.sleep(0.01)
    raise AssertionError("job did not finish")


async def test_job_from_scenarios(emu: Emulator, api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    # The job is ``running`` for one step only: the clock moves when the test says so
    # (with the real one, a poll delayed 20 ms on a loaded machine never saw it, and
    # the test waited 30 s for a state long gone).
    clock = StoppedClock(emu, monkeypatch)
    ids = await scenarios(api, "ok", "FAIL", "ok")
    emu.force_scoring_outcome(ids[2], "timeout")
    agents = [
        {"type": "job_agent", "name": "claude", "model_name": "m1"},
        {"type": "job_agent", "name": "codex"},
    ]
    spec = {"type": "scenarios", "scenario_ids": ids, "agent_configs": agents}
    job = await api.ok("POST", "/v1/benchmark_jobs", {"name": "j", "spec": spec})
    assert job["state"] == "initializing"
    assert job["job_source"] == {"type": "scenarios", "scenario_ids": ids}
    assert job["job_spec"]["agent_configs"] == agents
    clock.advance(2.5 * FAST.job_step_delay)  # queued, then running (not yet done)
    running = await api.ok("GET", f"/v1/benchmark_jobs/{job['id']}")
    assert running["state"] == "running"
    assert len(running["in_progress_runs"]) == 2
    assert running["in_progress_runs"][0]["agent_config"]["name"] == "claude"
    clock.advance(FAST.job_step_delay)
    done = await api.ok("GET", f"/v1/benchmark_jobs/{job['id']}")
    assert done["state"] == "completed"
    assert done["in_progress_runs"] == []
    first, second = done["benchmark_outcomes"]
    assert (first["agent_name"], first["model_name"], second["agent_name"]) == (
        "claude",
        "m1",
        "codex",
    )
    states = [o["state"] for o in first["scenario_outcomes"]]
    assert states == ["COMPLETED", "COMPLETED", "TIMEOUT"]
    assert (first["n_completed"], first["n_failed"], first["n_timeout"]) == (2, 0, 1)
    assert first["average_score"] == 0.5
    bench_run = await api.ok("GET", f"/v1/benchmark_runs/{first['benchmark_run_id']}")
    assert bench_run["state"] == "completed"
    members = await api.ok("GET", f"/v1/benchmark_runs/{bench_run['id']}/scenario_runs")
    assert members["total_count"] == 3


async def test_job_from_benchmark_harbor_and_validation(emu: Emulator, api: Api) -> None:
    ids = await scenarios(api, "ok")
    emu.force_devbox_outcome(ids[0], "failure")
    bench = await api.ok("POST", "/v1/benchmarks", {"name": "suite", "scenario_ids": ids})
    agents = [{"type": "job_agent", "name": "a"}]
    spec = {"type": "benchmark", "benchmark_id": bench["id"], "agent_configs": agents}
    job = await api.ok("POST", "/v1/benchmark_jobs", {"spec": spec})
    assert job["name"].startswith("suite")
    assert job["job_source"]["benchmark_name"] == "suite"
    emu.force_job_outcome(job["id"], "failed")
    done = await until_job(api, job["id"], {"failed"})
    (outcome,) = done["benchmark_outcomes"][0]["scenario_outcomes"]
    assert outcome["state"] == "FAILED"
    assert outcome["failure_reason"]["exception_type"]
    harbor = await api.ok(
        "POST", "/v1/benchmark_jobs", {"spec": {"type": "harbor", "inline_yaml": "x: 1"}}
    )
    assert (await until_job(api, harbor["id"], {"completed"}))["benchmark_outcomes"] == []
    bad_specs: list[Any] = [
        None,
        {"type": "nope"},
        {"type": "scenarios", "scenario_ids": ids, "agent_configs": []},
        {"type": "scenarios", "scenario_ids": ["x"], "agent_configs": agents},
    ]
    for bad in bad_specs:
        assert (await api.post("/v1/benchmark_jobs", {"spec": bad}))[0] == 400
    listed = await api.ok("GET", "/v1/benchmark_jobs", limit="1")
    assert (len(listed["jobs"]), listed["has_more"], listed["total_count"]) == (1, True, 2)
    assert (await api.ok("GET", "/v1/benchmark_jobs", search=harbor["id"]))["total_count"] == 1
    assert (await api.get("/v1/benchmark_jobs/bmj_nope"))[0] == 404
