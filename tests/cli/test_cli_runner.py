"""``benchmarks run`` tells where to resume from the start, and shows progress that
moves with the clock, on a terminal or in a CI log."""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any

from process_support import wait_until

from runloop_async import RunnerProgress


def test_the_resume_command_comes_first_and_progress_lines_keep_coming(
    cli: Any, runloop_emulator: Any, tmp_path: Path
) -> None:
    ids = [runloop_emulator.add_scenario(f"pr-{i}")["id"] for i in range(2)]
    bench_id = runloop_emulator.add_benchmark("progress", scenario_ids=ids)["id"]
    agent = tmp_path / "agent_slow.py"
    agent.write_text("import anyio\n\nasync def agent(ctx):\n    await anyio.sleep(1.2)\n")
    ran = cli("benchmarks", "run", bench_id, "--agent", f"{agent}:agent",
                   "--progress-every", "0.25", "--json")  # fmt: skip
    assert ran.code == 0, ran.err
    lines = ran.err.splitlines()
    assert lines[0].startswith("benchmark run bmr_")
    assert (
        f"runloop-async benchmarks run {bench_id} --agent {agent}:agent --benchmark-run bmr_"
        in lines[0]
    )
    ticks = [line for line in lines if "done |" in line]
    assert len(ticks) >= 3  # one every 0.25 s through a 1.2 s agent phase
    seconds = [int(line.rsplit("|", 1)[1].strip().rstrip("s")) for line in ticks]
    assert seconds[-1] >= 1  # the clock moved without events


def test_the_live_panel_clock_ticks_without_events() -> None:
    from rich.console import Console

    from runloop_async._cli._rich import LiveProgress

    progress = RunnerProgress(total=3)
    panel = LiveProgress(progress, "t", io.StringIO())
    panel._started -= 5.0  # as if started 5 s ago, with no event since
    console = Console(file=io.StringIO(), width=120)
    console.print(panel._render())
    assert "5s" in console.file.getvalue()  # type: ignore[attr-defined]
    assert progress.elapsed >= 5.0


def test_bad_progress_interval_and_deadlines_are_usage_errors(
    cli: Any, runloop_emulator: Any
) -> None:
    for flag, value in (("--progress-every", "0"), ("--scoring-timeout", "nan"),
                        ("--env-timeout", "-1"), ("--outage-timeout", "0")):  # fmt: skip
        ran = cli("benchmarks", "run", "bmd_x", "--agent", "noop", flag, value)
        assert ran.code == 2, (flag, ran.err)
        assert "Traceback" not in ran.err
    assert runloop_emulator.requests == []


def test_a_long_outage_exits_1_with_the_resume_command(
    cli: Any, runloop_emulator: Any, tmp_path: Path
) -> None:
    ids = [runloop_emulator.add_scenario(f"out-{i}")["id"] for i in range(4)]
    bench_id = runloop_emulator.add_benchmark("outage", scenario_ids=ids)["id"]
    agent = tmp_path / "agent_outage.py"
    agent.write_text("import anyio\n\nasync def agent(ctx):\n    await anyio.sleep(1.5)\n")
    # The outage begins once the first scenario run started, however long the CLI took
    # to get there on a loaded machine (a fixed delay from now could hit the set-up).
    outage = outage_once_runs_start(runloop_emulator, duration=5.0)
    ran = cli("benchmarks", "run", bench_id, "--agent", f"{agent}:agent", "--no-live",
              "--max-retries", "0", "--outage-timeout", "1", "--cleanup-timeout", "10")  # fmt: skip
    outage.join()
    assert ran.code == 1, ran.err
    assert "outage_timeout" in ran.err
    assert "left running" in ran.err
    assert f"runloop-async benchmarks run {bench_id} --agent" in ran.err.splitlines()[-1]
    runs = [r for r in runloop_emulator.requests if r.path == "/v1/scenarios/start_run"]
    assert runs  # it had started


def outage_once_runs_start(emulator: Any, duration: float) -> threading.Thread:
    """A thread that adds a ``duration`` s burst of 503 on every request as soon as the
    emulator has started a scenario run."""

    def started() -> bool:
        return any(r.path == "/v1/scenarios/start_run" and r.status == 200
                   for r in emulator.requests)  # fmt: skip

    def watch() -> None:
        wait_until(started, timeout=60)
        emulator.faults.add("*", status=503, duration=duration)

    thread = threading.Thread(target=watch, name="outage-trigger", daemon=True)
    thread.start()
    return thread


def test_attempts_from_the_command_line(cli: Any, runloop_emulator: Any, tmp_path: Path) -> None:
    import json

    from runloop_async import BenchmarkResult

    ids = [runloop_emulator.add_scenario(f"at-{i}")["id"] for i in range(3)]
    for i in range(3):
        runloop_emulator.set_pass_probability(f"at-{i}", 0.5)
    bench_id = runloop_emulator.add_benchmark("attempts", scenario_ids=ids)["id"]
    saved = tmp_path / "run.json"
    ran = cli("benchmarks", "run", bench_id, "--agent", "noop", "--attempts", "3", "--json",
              "--no-live", "--save", str(saved))  # fmt: skip
    assert ran.code == 0, ran.err
    doc = json.loads(ran.out)  # stdout is the JSON document alone
    assert [(r["scenario_id"], r["attempt"]) for r in doc["rows"]] == [
        (sid, n) for sid in ids for n in (1, 2, 3)
    ]
    assert set(doc["metrics"]["pass_at_k"]) == {"1", "2", "3"}
    assert doc["totals"]["pass_at_k"] == doc["metrics"]["pass_at_k"]["3"]
    on_disk = json.loads(saved.read_text())
    assert on_disk["metrics"] == doc["metrics"]  # --save .json carries the metrics too
    assert len(BenchmarkResult.load(saved).rows) == 9
    assert "--attempts 3" in ran.err.splitlines()[0]  # the resume command keeps them
    human = cli("benchmark-runs", "results", doc["benchmark_run_id"], "--plain")
    assert "attempt" in human.out.splitlines()[0]
    watched = cli("benchmark-runs", "watch", doc["benchmark_run_id"], "--plain")
    assert "9/9 done" in watched.out  # 3 scenarios x 3 planned attempts
    plain = cli("benchmarks", "run", bench_id, "--agent", "noop", "--attempts", "2", "--no-live")
    assert plain.code == 0, plain.err
    assert plain.out.splitlines()[0].split()[:2] == ["scenario", "attempt"]
    assert "3 scenarios x 2 attempts: " in plain.out
    assert "pass@2 " in plain.out
    for argv in (("benchmarks", "run", bench_id, "--agent", "noop"), ("demo",)):
        bad = cli(*argv, "--attempts", "0")
        assert bad.code == 2
        assert "attempts must be" in bad.err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_the_compact_summary_and_json_stays_clean(
    monkeypatch: Any,
) -> None:
    from runloop_async import BenchmarkResult, ScenarioResult
    from runloop_async._cli._bench import report
    from runloop_async._cli._output import Output

    rows = [ScenarioResult(scenario_id=s, state="completed", score=score, attempt=n)
            for s, scores in (("a", (1.0, 0.0)), ("b", (0.0, 0.0)))
            for n, score in enumerate(scores, 1)]  # fmt: skip
    result = BenchmarkResult(rows=rows)
    tty = _Terminal()
    report(result, Output("human", plain=True, out=tty))
    text = tty.getvalue()
    assert "passed  █" in text  # the outcome bars
    assert "pass@2 50.0%" in text  # pass@k with attempts
    err, out = _Terminal(), io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    report(result, Output("json", out=out))
    assert out.getvalue().lstrip().startswith("{")
    assert '"metrics"' in out.getvalue()
    assert "█" not in out.getvalue()
    assert "\x1b[32m" in err.getvalue()  # the summary, in colour, on the terminal's stderr
