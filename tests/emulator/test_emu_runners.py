"""The other ways to run it: a thread, ``python -m``, the pytest fixture."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from runloop_async.testing import EmulatorConfig, EmulatorThread, run_emulator

ROOT = Path(__file__).resolve().parents[2]


def call(base: str, key: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {key}")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        with err:
            return err.code, json.loads(err.read())


def test_thread_serves_sync_callers_and_controls_are_thread_safe() -> None:
    with EmulatorThread(EmulatorConfig(api_key="k1", devbox_boot_delay=5.0)) as emu:
        assert emu.base_url.startswith("http://127.0.0.1:")
        assert emu.api_key == "k1"
        ids = emu.seed_runs(3)
        status, page = call(emu.base_url, "k1", "GET", "/v1/scenarios/runs?limit=2")
        assert (status, [r["id"] for r in page["runs"]]) == (200, ids[:2])
        scenario = emu.add_scenario("held")
        status, run = call(
            emu.base_url, "k1", "POST", "/v1/scenarios/start_run", {"scenario_id": scenario["id"]}
        )
        result: dict[str, Any] = {}

        def wait() -> None:
            body = {"statuses": ["shutdown"], "timeout_seconds": 5}
            result["answer"] = call(
                emu.base_url, "k1", "POST", f"/v1/devboxes/{run['devbox_id']}/wait_for_status", body
            )

        waiter = threading.Thread(target=wait)
        waiter.start()
        call(emu.base_url, "k1", "POST", f"/v1/scenarios/runs/{run['id']}/cancel")
        waiter.join(3)
        assert result["answer"][0] == 200
        emu.faults.add(route="*", status=503, times=1)
        assert call(emu.base_url, "k1", "GET", "/v1/scenarios")[0] == 503
        assert len(emu.requests) == 5
        emu.reset()
        assert emu.requests == []
    with pytest.raises(RuntimeError):
        _ = emu.base_url


@pytest.mark.anyio
async def test_run_emulator_context() -> None:
    async with run_emulator(api_key="abc") as emu:
        assert emu.api_key == "abc"
        assert emu.port > 0


def test_standalone_module_prints_and_stops_on_sigint() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "runloop_async.testing",
            "--port",
            "0",
            "--api-key",
            "cli-key",
            "--scoring-delay",
            "0.01",
            "--devbox-boot-delay",
            "0.01",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        url_line = proc.stdout.readline().strip()
        key_line = proc.stdout.readline().strip()
        assert url_line.startswith("RUNLOOP_BASE_URL=http://127.0.0.1:")
        assert key_line == "RUNLOOP_API_KEY=cli-key"
        base = url_line.split("=", 1)[1]
        assert call(base, "cli-key", "GET", "/v1/scenarios")[0] == 200
        assert call(base, "wrong", "GET", "/v1/scenarios")[0] == 401
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_standalone_stops_on_sigterm() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "runloop_async.testing"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("RUNLOOP_BASE_URL=")
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=10)
        assert proc.returncode == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_fixture_is_reset_between_tests_one(runloop_emulator: EmulatorThread) -> None:
    assert runloop_emulator.requests == []
    assert runloop_emulator.config.scoring_delay == 0.02
    runloop_emulator.seed_runs(2)
    runloop_emulator.configure(scoring_delay=3.0)
    runloop_emulator.faults.add(route="*", status=500)
    status, _ = call(runloop_emulator.base_url, runloop_emulator.api_key, "GET", "/v1/scenarios")
    assert status == 500


def test_fixture_is_reset_between_tests_two(runloop_emulator: EmulatorThread) -> None:
    assert runloop_emulator.config.scoring_delay == 0.02
    assert len(runloop_emulator.faults) == 0
    status, page = call(
        runloop_emulator.base_url, runloop_emulator.api_key, "GET", "/v1/scenarios/runs"
    )
    assert (status, page["runs"]) == (200, [])
