"""The runner as real processes: two runners on one benchmark run, kill and resume,
SIGTERM and Ctrl-C (with a sync agent), in the CLI and in a run_benchmark_sync script."""

from __future__ import annotations

import signal
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import anyio
from process_support import child_env, spawn, spawn_script, wait_until

from runloop_async import AsyncRunloop, ScenarioRunView, run_benchmark
from runloop_async._eval._rows import ATTEMPT_METADATA_KEY

T = TypeVar("T")


def on_server(emu: Any, fn: Callable[[AsyncRunloop], Awaitable[T]]) -> T:
    async def go() -> T:
        async with AsyncRunloop(emu.api_key, emu.base_url) as client:
            return await fn(client)

    return anyio.run(go)


def runs_of(emu: Any, brid: str) -> list[ScenarioRunView]:
    async def fetch(client: AsyncRunloop) -> list[ScenarioRunView]:
        return [r async for r in client.benchmark_runs.list_scenario_runs(brid, limit=1000)]

    return on_server(emu, fetch)


def live(emu: Any) -> list[str]:
    async def fetch(client: AsyncRunloop) -> list[str]:
        runs = [r async for r in client.scenarios.runs.list(limit=1000)]
        return [r.id for r in runs if r.state in ("running", "scoring", "scored")]

    return on_server(emu, fetch)


def starts(emu: Any) -> int:
    return sum(1 for r in emu.requests if r.path == "/v1/scenarios/start_run" and r.status == 200)


def benchmark(emu: Any, count: int, commands: tuple[str, ...] = ("pytest",)) -> tuple[str, str]:
    ids = [emu.add_scenario(f"p-{i:02d}", command=commands[i % len(commands)])["id"]
           for i in range(count)]  # fmt: skip
    bench_id = emu.add_benchmark("procs", scenario_ids=ids)["id"]
    brun = on_server(emu, lambda c: c.benchmarks.start_run(benchmark_id=bench_id))
    return bench_id, brun.id


def agent_file(tmp_path: Path, body: str) -> str:
    path = tmp_path / "agent_mod.py"
    path.write_text(body)
    return f"{path}:agent"


def sleeper(seconds: float) -> str:
    return f"import anyio\n\nasync def agent(ctx):\n    await anyio.sleep({seconds})\n"


SLOW = sleeper(0.6)


def waiter(go: Path) -> str:
    """An agent that waits until the file ``go`` exists."""
    return (f"import pathlib\n\nimport anyio\n\nasync def agent(ctx):\n"
            f"    while not pathlib.Path({str(go)!r}).exists():\n"
            f"        await anyio.sleep(0.05)\n")  # fmt: skip


def run_args(bench_id: str, brid: str, agent: str, *extra: str) -> tuple[str, ...]:
    return ("benchmarks", "run", bench_id, "--agent", agent, "--benchmark-run", brid,
            "--no-live", "--concurrency", "6", *extra)  # fmt: skip


def test_a_second_runner_refuses_runs_a_live_runner_holds(
    runloop_emulator: Any, tmp_path: Path
) -> None:
    bench_id, brid = benchmark(runloop_emulator, 18)
    # The first runner's agents hold their runs until the second runner has answered
    # (however long its start takes on a loaded machine), then let go.
    go = tmp_path / "go"
    args = run_args(bench_id, brid, agent_file(tmp_path, waiter(go)))
    first = spawn(*args, env=child_env(runloop_emulator))
    wait_until(lambda: starts(runloop_emulator) >= 3)
    second = spawn(*args, env=child_env(runloop_emulator))
    try:
        _, err2 = second.communicate(timeout=60)
    finally:
        go.touch()
    _, err1 = first.communicate(timeout=60)
    assert first.returncode == 0, err1
    assert second.returncode == 1, err2
    assert "held by another live runner" in err2
    assert "--takeover" in err2 or "takeover=True" in err2
    runs = runs_of(runloop_emulator, brid)
    assert Counter(r.state for r in runs) == {"completed": 18}  # each scenario exactly once
    assert len({r.scenario_id for r in runs}) == 18


def run_two_at_once(emu: Any, args: tuple[str, ...], brid: str) -> list[ScenarioRunView]:
    """Two CLI runners started together on one benchmark run; its runs after both."""
    procs = [spawn(*args, env=child_env(emu)) for _ in range(2)]
    outcomes = []
    for proc in procs:
        _, err = proc.communicate(timeout=90)
        outcomes.append((proc.returncode, "held by another live runner" in err, err[-400:]))
    # each either ran (sharing the runs through their idempotency keys) or refused
    assert all(code == 0 or (code == 1 and held) for code, held, _ in outcomes), outcomes
    brun = on_server(emu, lambda c: c.benchmark_runs.retrieve(brid))
    assert brun.state == "completed"
    return runs_of(emu, brid)


def test_two_runners_started_together_finish_every_scenario_once(
    runloop_emulator: Any, tmp_path: Path
) -> None:
    bench_id, brid = benchmark(runloop_emulator, 18)
    args = run_args(bench_id, brid, agent_file(tmp_path, SLOW))
    runs = run_two_at_once(runloop_emulator, args, brid)
    per = Counter(r.scenario_id for r in runs)
    assert len(per) == 18
    assert set(per.values()) == {1}, per  # no scenario run twice
    assert {r.state for r in runs} == {"completed"}


def test_kill_then_resume_adopts_the_orphans_and_the_score_agrees(
    runloop_emulator: Any, tmp_path: Path
) -> None:
    bench_id, brid = benchmark(runloop_emulator, 12, ("pytest", "PARTIAL", "FAIL"))
    agent = agent_file(
        tmp_path, "import anyio\n\nasync def agent(ctx):\n    await anyio.sleep(1.0)\n"
    )
    proc = spawn(*run_args(bench_id, brid, agent), env=child_env(runloop_emulator))
    wait_until(lambda: starts(runloop_emulator) >= 6)
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)  # no cleanup at all: orphans stay running
    proc.communicate(timeout=30)
    orphans = [r.id for r in runs_of(runloop_emulator, brid) if r.state == "running"]
    assert orphans

    async def resume(client: AsyncRunloop) -> Any:
        return await run_benchmark(client, lambda ctx: anyio.sleep(0.01), benchmark_run_id=brid)

    result = on_server(runloop_emulator, resume)
    assert result.ok
    runs = runs_of(runloop_emulator, brid)
    assert len(runs) == 12  # adopted, not canceled and restarted: no run was added
    adopted = {row.run_id for row in result.rows if not row.resumed}
    assert set(orphans) <= adopted
    assert result.benchmark_run.state == "completed"
    # the platform's score (sum of scores / number of runs) is the runner's
    assert result.benchmark_run.score == result.totals.mean_score


def per_attempt(runs: list[ScenarioRunView]) -> Counter[tuple[str, str, str]]:
    """(scenario, attempt tag, state) -> runs."""
    return Counter((r.scenario_id, r.metadata.get(ATTEMPT_METADATA_KEY, "?"), r.state)
                   for r in runs)  # fmt: skip


def test_two_runners_with_attempts_finish_every_attempt_once(
    runloop_emulator: Any, tmp_path: Path
) -> None:
    bench_id, brid = benchmark(runloop_emulator, 6)
    args = run_args(bench_id, brid, agent_file(tmp_path, SLOW), "--attempts", "3")
    runs = run_two_at_once(runloop_emulator, args, brid)
    ids = {r.scenario_id for r in runs}
    assert len(ids) == 6
    assert per_attempt(runs) == {(sid, str(n), "completed"): 1 for sid in ids for n in (1, 2, 3)}


def test_kill_mid_attempts_then_resume_finishes_every_attempt_once(
    runloop_emulator: Any, tmp_path: Path
) -> None:
    bench_id, brid = benchmark(runloop_emulator, 4, ("pytest", "PARTIAL"))
    agent = agent_file(tmp_path, sleeper(1.0))
    args = run_args(bench_id, brid, agent, "--attempts", "3")
    proc = spawn(*args, env=child_env(runloop_emulator))
    wait_until(lambda: starts(runloop_emulator) >= 6)
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)  # no cleanup at all: orphans stay running
    proc.communicate(timeout=30)
    before = runs_of(runloop_emulator, brid)
    assert 6 <= len(before) < 12
    assert any(r.state == "running" for r in before)

    async def resume(client: AsyncRunloop) -> Any:  # attempts not repeated: the runs tell
        return await run_benchmark(client, lambda ctx: anyio.sleep(0.01), benchmark_run_id=brid)

    result = on_server(runloop_emulator, resume)
    assert result.ok
    assert len(result.rows) == 12
    runs = runs_of(runloop_emulator, brid)
    assert len(runs) == 12  # orphans adopted: no run added, none repeated, none lost
    ids = {r.scenario_id for r in runs}
    assert per_attempt(runs) == {(sid, str(n), "completed"): 1 for sid in ids for n in (1, 2, 3)}
    assert result.benchmark_run.state == "completed"
    # every attempt is a scenario run: the platform's score is the mean over attempts
    assert result.benchmark_run.score == result.totals.mean_score


def test_sigterm_is_ctrl_c_for_the_cli(runloop_emulator: Any, tmp_path: Path) -> None:
    bench_id, brid = benchmark(runloop_emulator, 8)
    agent = agent_file(
        tmp_path, "import anyio\n\nasync def agent(ctx):\n    await anyio.sleep(60)\n"
    )
    proc = spawn(*run_args(bench_id, brid, agent), env=child_env(runloop_emulator))
    wait_until(lambda: starts(runloop_emulator) >= 6)
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 143, err
    assert f"--benchmark-run {brid}" in err
    assert "Traceback" not in err
    assert live(runloop_emulator) == []


def test_ctrl_c_with_a_sync_agent_exits_after_the_grace(
    runloop_emulator: Any, tmp_path: Path
) -> None:
    bench_id, brid = benchmark(runloop_emulator, 4)
    agent = agent_file(tmp_path, "import time\n\ndef agent(ctx):\n    time.sleep(60)\n")
    proc = spawn(*run_args(bench_id, brid, agent), env=child_env(runloop_emulator))
    wait_until(lambda: starts(runloop_emulator) >= 4)
    time.sleep(0.5)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)  # impatient: a second Ctrl-C
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 10  # not the agent's 60 s
    assert proc.returncode == 130, err
    assert "Traceback" not in err


SYNC_SCRIPT = """\
import os, sys, time
from runloop_async import run_benchmark_sync

def agent(ctx):
    time.sleep(60)

run_benchmark_sync(agent, benchmark_run_id=sys.argv[1], concurrency=4, agent_grace=0.5)
"""


def test_sigterm_is_ctrl_c_for_run_benchmark_sync(runloop_emulator: Any, tmp_path: Path) -> None:
    _, brid = benchmark(runloop_emulator, 4)
    script = tmp_path / "script.py"
    script.write_text(SYNC_SCRIPT.replace("sys.argv[1]", repr(brid)))
    proc = spawn_script(script, child_env(runloop_emulator))
    wait_until(lambda: starts(runloop_emulator) >= 4)
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGTERM, err  # ends as killed by SIGTERM, after cleanup
    assert f"benchmark_run_id={brid!r}" in err
    assert live(runloop_emulator) == []
