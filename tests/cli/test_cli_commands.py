"""CLI commands through the entry point against the emulator: outputs and exit codes."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio

from runloop_async import AsyncRunloop

Cli = Callable[..., Any]


def seed(emu: Any) -> tuple[list[str], str]:
    ids = [emu.add_scenario(f"cli-{i}", command=c)["id"] for i, c in enumerate(["true", "FAIL"])]
    bench = emu.add_benchmark("cli-bench", scenario_ids=ids)
    return ids, bench["id"]


def test_scenarios_list_get_in_every_format(cli: Cli, runloop_emulator: Any) -> None:
    ids, _ = seed(runloop_emulator)
    listed = json.loads(cli("scenarios", "list", "--json").out)
    assert sorted(s["id"] for s in listed) == sorted(ids)
    lines = cli("scenarios", "list", "--jsonl", "--limit", "1").out.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["id"] in ids
    table = cli("scenarios", "list").out.splitlines()
    assert table[0].split() == ["id", "name", "status"]
    assert len(table) == 3
    got = cli("scenarios", "get", ids[0], "--json")
    assert (got.code, json.loads(got.out)["name"]) == (0, "cli-0")
    assert "problem_statement" in cli("scenarios", "get", ids[0]).out


def test_api_errors_exit_one_with_one_line(cli: Cli) -> None:
    ran = cli("scenarios", "get", "scn_missing")
    assert ran.code == 1
    assert ran.out == ""
    assert ran.err.count("\n") == 1
    assert "404" in ran.err


def test_runs_list_filters_and_actions(cli: Cli, runloop_emulator: Any, tmp_path: Path) -> None:
    ids, _ = seed(runloop_emulator)
    running = runloop_emulator.seed_runs(3, scenario_id=ids[0])
    runloop_emulator.seed_runs(2, scenario_id=ids[1], state="completed")
    listed = json.loads(cli("runs", "list", "--state", "running", "--json").out)
    assert sorted(r["id"] for r in listed) == sorted(running)
    assert len(json.loads(cli("runs", "list", "--scenario", ids[1], "--json").out)) == 2
    assert len(json.loads(cli("runs", "list", "--limit", "4", "--json").out)) == 4
    scored = json.loads(cli("runs", "score", running[0], "--wait", "--json").out)
    assert (scored["state"], scored["scoring_contract_result"]["score"]) == ("scored", 1.0)
    assert json.loads(cli("runs", "score", running[1], "--json").out)["state"] in (
        "scoring", "scored",
    )  # fmt: skip
    assert json.loads(cli("runs", "complete", running[0], "--json").out)["state"] == "completed"
    assert json.loads(cli("runs", "cancel", running[2], "--json").out)["state"] == "canceled"
    assert cli("runs", "cancel", running[2]).code == 1  # already over
    target = tmp_path / "logs.zip"
    ran = cli("runs", "logs", running[0], "-o", str(target), "--json")
    assert json.loads(ran.out)["bytes"] == target.stat().st_size > 0
    assert zipfile.is_zipfile(target)


def test_scorers_benchmarks_and_jobs(cli: Cli, runloop_emulator: Any) -> None:
    _, bench_id = seed(runloop_emulator)

    async def make_scorer() -> str:
        async with AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url) as c:
            return (await c.scenarios.scorers.create(bash_script="echo 1", type="mine")).id

    scorer_id = anyio.run(make_scorer)
    assert [s["id"] for s in json.loads(cli("scorers", "list", "--json").out)] == [scorer_id]
    assert json.loads(cli("scorers", "get", scorer_id, "--json").out)["type"] == "mine"
    benchmarks = json.loads(cli("benchmarks", "list", "--json").out)
    assert [b["id"] for b in benchmarks] == [bench_id]
    assert "cli-bench" in cli("benchmarks", "get", bench_id).out
    assert json.loads(cli("benchmark-jobs", "list", "--json").out) == []
    assert cli("benchmark-jobs", "get", "bmj_missing").code == 1


def test_benchmarks_run_watch_and_list(cli: Cli, runloop_emulator: Any, tmp_path: Path) -> None:
    _, bench_id = seed(runloop_emulator)
    save = tmp_path / "results.csv"
    ran = cli("benchmarks", "run", bench_id, "--agent", "noop", "--json", "--no-live",
              "--save", str(save))  # fmt: skip
    assert ran.code == 0, ran.err
    result = json.loads(ran.out)
    assert result["totals"]["passed"] == result["totals"]["failed"] == 1
    assert save.read_text().count("\n") == 3
    brid = result["benchmark_run_id"]
    watched = cli("benchmark-runs", "watch", brid, "--json", "--interval", "0.5")
    assert watched.code == 0
    assert json.loads(watched.out)["benchmark_run"]["state"] == "completed"
    listed = json.loads(cli("benchmark-runs", "list", "--benchmark", bench_id, "--json").out)
    assert [r["id"] for r in listed] == [brid]
    human = cli("benchmark-runs", "get", brid)
    assert "completed" in human.out


def test_benchmarks_run_human_table_and_fail_on_errors(
    cli: Cli, runloop_emulator: Any, tmp_path: Path
) -> None:
    _, bench_id = seed(runloop_emulator)
    agent = tmp_path / "crashy.py"
    agent.write_text("def agent(ctx):\n    if ctx.scenario.name == 'cli-1':\n"
                     "        raise RuntimeError('nope')\n")  # fmt: skip
    ran = cli("benchmarks", "run", bench_id, "--agent", f"{agent}:agent", "--no-live",
              "--fail-on-errors", "--concurrency", "2")  # fmt: skip
    assert ran.code == 1
    assert "RuntimeError: nope" in ran.out
    assert "2 scenarios: 1 passed (50.0%), 0 failed, 1 errored" in ran.out
    # errored rows leave the benchmark run open, and exit 1 even without the flag
    assert "left running" in ran.err
    assert "--benchmark-run bmr_" in ran.err
    again = cli("benchmarks", "run", bench_id, "--agent", f"{agent}:agent", "--no-live")
    assert again.code == 1


def test_watch_of_an_open_run_times_out(cli: Cli, runloop_emulator: Any) -> None:
    _, bench_id = seed(runloop_emulator)
    ran = cli("benchmarks", "run", bench_id, "--agent", "noop", "--json", "--no-live",
              "--no-complete")  # fmt: skip
    brid = json.loads(ran.out)["benchmark_run_id"]
    watched = cli("benchmark-runs", "watch", brid, "--json", "--interval", "0.5",
                  "--timeout", "0.3")  # fmt: skip
    assert watched.code == 1
    doc = json.loads(watched.out)
    assert doc["timed_out"] is True
    assert doc["passed"] == 1


def test_sharded_run_from_the_command_line(cli: Cli, runloop_emulator: Any) -> None:
    ids = [runloop_emulator.add_scenario(f"sh-{i}")["id"] for i in range(5)]
    bench_id = runloop_emulator.add_benchmark("sharded", scenario_ids=ids)["id"]
    brid = json.loads(cli("benchmarks", "start-run", bench_id, "--json").out)["id"]
    seen = []
    states = []
    for shard in ("0/2", "1/2"):
        # --complete (the documented recipe) never completes early: only the shard
        # that finds every scenario finished does
        ran = cli("benchmarks", "run", bench_id, "--agent", "noop", "--benchmark-run", brid,
                  "--shard", shard, "--complete", "--json", "--no-live")  # fmt: skip
        assert ran.code == 0, ran.err
        assert f"--benchmark-run {brid} --shard {shard}" in ran.err  # the resume command, early
        seen += [row["scenario_id"] for row in json.loads(ran.out)["rows"]]
        states.append(json.loads(cli("benchmark-runs", "get", brid, "--json").out)["state"])
    assert sorted(seen) == sorted(ids)
    assert states == ["running", "completed"]
    last = cli("benchmarks", "run", bench_id, "--agent", "noop", "--benchmark-run", brid,
               "--complete", "--json", "--no-live")  # fmt: skip
    assert last.code == 0, last.err
    doc = json.loads(last.out)
    assert doc["totals"] == {**doc["totals"], "total": 5, "resumed": 5, "passed": 5}
    assert cli("benchmarks", "run", bench_id, "--agent", "noop", "--shard", "2/2").code == 2
