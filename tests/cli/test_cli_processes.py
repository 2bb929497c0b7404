"""The real entry point in child processes: env config, Ctrl-C, the emulator, the demo."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import anyio
from process_support import ROOT, child_env, spawn

from runloop_async import AsyncRunloop


def test_module_entry_point_reads_the_environment(runloop_emulator: Any) -> None:
    runloop_emulator.add_scenario("from-env")
    proc = subprocess.run(
        [sys.executable, "-m", "runloop_async", "scenarios", "list", "--json"],
        cwd=ROOT, env=child_env(runloop_emulator), capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert [s["name"] for s in json.loads(proc.stdout)] == ["from-env"]


def test_ctrl_c_exits_130_and_leaves_nothing_running(runloop_emulator: Any, tmp_path: Path) -> None:
    ids = [runloop_emulator.add_scenario(f"slow-{i}")["id"] for i in range(8)]
    bench = runloop_emulator.add_benchmark("slow", scenario_ids=ids)
    agent = tmp_path / "slow_agent.py"
    agent.write_text("import anyio\n\nasync def agent(ctx):\n    await anyio.sleep(60)\n")
    proc = spawn("benchmarks", "run", bench["id"], "--agent", f"{agent}:agent", "--no-live",
                 "--concurrency", "4", env=child_env(runloop_emulator))  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        booted = [r for r in runloop_emulator.requests if r.path.endswith("/wait_for_status")]
        if len(booted) >= 4:
            break
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "resume with --benchmark-run bmr" in err
    assert "Traceback" not in err

    async def live_runs() -> list[str]:
        async with AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url) as c:
            runs = [r async for r in c.scenarios.runs.list()]
            return [r.id for r in runs if not r.is_terminal]

    assert anyio.run(live_runs) == []
    starts = [r for r in runloop_emulator.requests if r.path == "/v1/scenarios/start_run"]
    assert len(starts) == 4


def test_emulator_command_serves_until_interrupted() -> None:
    proc = spawn("emulator", "--port", "0", env=child_env())
    assert proc.stdout is not None
    base = proc.stdout.readline().strip().partition("=")[2]
    key = proc.stdout.readline().strip().partition("=")[2]
    request = urllib.request.Request(
        f"{base}/v1/scenarios", headers={"Authorization": f"Bearer {key}"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert json.loads(answer.read())["scenarios"] == []
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=20)
    assert proc.returncode == 0


def test_demo_runs_the_main_job_and_exits_zero(tmp_path: Path) -> None:
    save = tmp_path / "demo.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "runloop_async", "demo", "--plain", "--save", str(save)],
        cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    # 3 attempts of 100 scenarios on seeded odds: the same figures on every machine
    assert "100 scenarios x 3 attempts: 209/300 passed (pass@1 69.7%, pass@3 81.0%)" in proc.stdout
    assert "61 failed, 30 errored" in proc.stdout
    assert "pass^1 69.7%  pass^2 62.0%  pass^3 58.0%" in proc.stdout
    assert "second run: agent v2" in proc.stdout  # then the comparison of the two runs
    assert "run 1: pass rate 69.7% over 100 scenarios" in proc.stdout
    assert "exact McNemar p = " in proc.stdout
    assert "done |" in proc.stderr  # the plain progress lines
    rows = [json.loads(line) for line in save.read_text().splitlines()]
    assert len(rows) == 300
    assert {r["attempt"] for r in rows} == {1, 2, 3}
    assert {r["outcome"] for r in rows} == {"passed", "failed", "errored"}
