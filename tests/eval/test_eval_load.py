"""Results of any benchmark run, from server state; saved results read back."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from eval_support import comparable, seed_benchmark, start

from runloop_async import (
    AsyncRunloop,
    BenchmarkResult,
    InvalidArgumentError,
    NotFoundError,
    Runloop,
    ScenarioResult,
    ScenarioRunView,
    run_benchmark,
)
from runloop_async._eval._rows import ATTEMPT_METADATA_KEY, row_from_dict, rows_from_runs
from runloop_async._models import ScoringContractResultView

pytestmark = pytest.mark.anyio

# -- pure: runs -> rows -----------------------------------------------------------------


def view(
    sid: str, state: str, score: float | None = None, *, at: int, tag: str | None = None
) -> ScenarioRunView:
    result = None if score is None else ScoringContractResultView(
        score=score, scoring_function_results=[])  # fmt: skip
    return ScenarioRunView(
        id=f"r_{sid}_{at}", scenario_id=sid, devbox_id=f"d_{at}", state=state,
        metadata={ATTEMPT_METADATA_KEY: tag} if tag else {}, scoring_contract_result=result,
        start_time_ms=at, duration_ms=at * 1000,
    )  # fmt: skip


def test_runs_of_a_scenario_are_attempts_in_creation_order() -> None:
    runs = [
        view("B", "completed", 0.5, at=30), view("A", "canceled", at=20),
        view("A", "completed", 1.0, at=10), view("A", "running", at=40),
    ]  # fmt: skip
    rows = rows_from_runs(runs, scenario_ids=["A", "C"], names={"A": "alpha"})
    got = [(r.scenario_id, r.attempt, r.run_id, r.outcome) for r in rows]
    assert got == [
        ("A", 1, "r_A_10", "passed"), ("A", 2, "r_A_20", "errored"),
        ("A", 3, "r_A_40", "errored"), ("C", 1, None, "errored"), ("B", 1, "r_B_30", "failed"),
    ]  # fmt: skip
    assert rows[0].scenario_name == "alpha"
    assert rows[0].duration_s == 10.0
    assert rows[3].error_type == "NotStarted"
    assert rows[3].attempts == 0


def test_tagged_runs_of_one_attempt_collapse_into_its_best_run() -> None:
    # Attempt 1 needed a second run (a devbox retry); attempt 2 is untagged-free.
    runs = [
        view("A", "canceled", at=1, tag="1"), view("A", "completed", 0.0, at=2, tag="2"),
        view("A", "completed", 1.0, at=3, tag="1"), view("A", "canceled", at=4),
    ]  # fmt: skip
    rows = rows_from_runs(runs)
    got = [(r.attempt, r.run_id, r.attempts, r.outcome) for r in rows]
    assert got == [(1, "r_A_3", 2, "passed"), (2, "r_A_2", 1, "failed"), (3, "r_A_4", 1, "errored")]


def test_saved_rows_read_back_with_types() -> None:
    saved = {"scenario_id": "s", "score": "0.5", "attempt": "2", "resumed": "True",
             "error": "'=1", "outcome": "failed", "future_field": 1}  # fmt: skip
    row = row_from_dict(saved, from_csv=True)
    assert (row.score, row.attempt, row.resumed, row.error) == (0.5, 2, True, "=1")
    assert row_from_dict({"scenario_id": "s", "error": "'=1"}).error == "'=1"
    for bad in ({"score": 1}, {"scenario_id": "s", "attempt": "x"}):
        with pytest.raises(InvalidArgumentError):
            row_from_dict(bad)


def test_saved_results_round_trip_in_every_format(tmp_path: Path) -> None:
    rows = [
        ScenarioResult(scenario_id="a", scenario_name="=HYPERLINK(1)", state="completed",
                       score=1.0, duration_s=1.5, run_id="r1", attempt=1),
        ScenarioResult(scenario_id="a", scenario_name="=HYPERLINK(1)", state="canceled",
                       error="X: y\r\nz", error_type="X", attempt=2, attempts=2),
        ScenarioResult(scenario_id="b", state="completed", score=0.25, resumed=True),
    ]  # fmt: skip
    result = BenchmarkResult(rows=rows, benchmark_run_id="bmr_1", wall_time_s=3.0)
    for suffix, write in (("json", result.to_json), ("jsonl", result.to_jsonl),
                          ("csv", result.to_csv)):  # fmt: skip
        write(tmp_path / f"r.{suffix}")
        back = BenchmarkResult.load(tmp_path / f"r.{suffix}")
        assert back.rows == rows, suffix
        assert back.totals == result.totals
    assert BenchmarkResult.load(tmp_path / "r.json").benchmark_run_id == "bmr_1"
    (tmp_path / "noext").write_text(result.to_jsonl())
    assert BenchmarkResult.load(tmp_path / "noext").rows == rows


@pytest.mark.parametrize("text", ["{}", "{not json", '[{"score": 1}]', '{"rows": 5}'])
def test_bad_result_files_are_typed_errors(tmp_path: Path, text: str) -> None:
    (tmp_path / "bad.json").write_text(text)
    with pytest.raises(InvalidArgumentError, match=r"bad\.json"):
        BenchmarkResult.load(tmp_path / "bad.json")
    with pytest.raises(InvalidArgumentError, match=r"missing\.json"):
        BenchmarkResult.load(tmp_path / "missing.json")


# -- from the server ----------------------------------------------------------------------


async def test_same_rows_and_totals_as_the_runner(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    bench, _ = seed_benchmark(runloop_emulator, ["true", "FAIL", "PARTIAL", "true"])

    async def agent(ctx: Any) -> None:
        if ctx.scenario.name == "e3":
            raise RuntimeError("agent crashed")

    ran = await run_benchmark(client, agent, benchmark_id=bench, concurrency=4)
    assert ran.benchmark_run_id is not None
    loaded = await BenchmarkResult.from_benchmark_run(client, ran.benchmark_run_id)
    assert comparable(loaded.rows) == comparable(ran.rows)
    assert loaded.totals == ran.totals
    # an errored scenario leaves the benchmark run open (resumable): the runner's rule
    assert (loaded.benchmark_id, loaded.benchmark_run.state) == (bench, "running")


async def test_any_run_attempts_dead_processes_and_never_started(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    bench, ids = seed_benchmark(runloop_emulator, ["true", "FAIL", "true", "true"])
    brun = await client.benchmarks.start_run(benchmark_id=bench)
    for how in ("completed", "canceled", "completed"):  # three attempts at ids[0]
        await start(client, ids[0], brun.id, how)
    await start(client, ids[1], brun.id, "completed")
    await start(client, ids[2], brun.id, "running")  # a process died mid-run
    loaded = await BenchmarkResult.from_benchmark_run(client, brun.id)
    got = [(r.scenario_name, r.attempt, r.state, r.outcome) for r in loaded.rows]
    assert got == [
        ("e0", 1, "completed", "passed"), ("e0", 2, "canceled", "errored"),
        ("e0", 3, "completed", "passed"), ("e1", 1, "completed", "failed"),
        ("e2", 1, "running", "errored"), ("e3", 1, None, "errored"),
    ]  # fmt: skip
    m = loaded.metrics()
    assert m.scenario(ids[0]).pass_rate == pytest.approx(2 / 3)  # type: ignore[union-attr]
    assert m.pass_rate == pytest.approx((2 / 3 + 0 + 0 + 0) / 4)


async def test_every_page_is_read(client: AsyncRunloop, runloop_emulator: Any) -> None:
    bench, ids = seed_benchmark(runloop_emulator, ["true"] * 3)
    brun = await client.benchmarks.start_run(benchmark_id=bench)
    for sid in ids * 3:
        runloop_emulator.seed_runs(1, scenario_id=sid, state="completed", benchmark_run_id=brun.id)
    runloop_emulator.clear_requests()
    loaded = await BenchmarkResult.from_benchmark_run(client, brun.id, page_size=2)
    assert len(loaded.rows) == 9
    assert loaded.totals.passed == 9
    pages = [r for r in runloop_emulator.requests if r.path.endswith("/scenario_runs")]
    assert len(pages) == 5
    with pytest.raises(NotFoundError):
        await BenchmarkResult.from_benchmark_run(client, "bmr_missing")


def test_blocking_twin(runloop_emulator: Any) -> None:
    bench, ids = seed_benchmark(runloop_emulator, ["true", "FAIL"])
    with Runloop(runloop_emulator.api_key, runloop_emulator.base_url) as client:
        brun = client.benchmarks.start_run(benchmark_id=bench)
        for sid in ids:
            runloop_emulator.seed_runs(1, scenario_id=sid, state="completed",
                                       benchmark_run_id=brun.id)  # fmt: skip
        loaded = BenchmarkResult.from_benchmark_run_sync(client, brun.id)
    assert [r.outcome for r in loaded.rows] == ["passed", "failed"]


# -- the CLI ------------------------------------------------------------------------------


def test_cli_results_in_every_format(
    runloop_emulator: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:  # fmt: skip
    from runloop_async.__main__ import main

    monkeypatch.setenv("RUNLOOP_API_KEY", runloop_emulator.api_key)
    monkeypatch.setenv("RUNLOOP_BASE_URL", runloop_emulator.base_url)
    bench, ids = seed_benchmark(runloop_emulator, ["true", "FAIL", "true"])

    async def go() -> str:
        async with AsyncRunloop() as c:
            brun = await c.benchmarks.start_run(benchmark_id=bench)
            await start(c, ids[0], brun.id, "completed")
            await start(c, ids[0], brun.id, "completed")
            await start(c, ids[1], brun.id, "canceled")
            return brun.id

    brun_id = anyio.run(go)
    run: Callable[..., tuple[int, str]] = lambda *a: (main(list(a)), capsys.readouterr().out)  # noqa: E731
    code, out = run(
        "benchmark-runs", "results", brun_id, "--json", "--save", str(tmp_path / "s.csv")
    )
    doc = json.loads(out)
    assert code == 0
    assert doc["totals"]["total"] == 4
    assert doc["metrics"]["scenarios"] == 3
    assert [r["attempt"] for r in doc["rows"]] == [1, 2, 1, 1]
    assert doc["benchmark_run"]["id"] == brun_id
    assert len(BenchmarkResult.load(tmp_path / "s.csv").rows) == 4
    code, out = run("benchmark-runs", "results", brun_id, "--csv")
    assert out.splitlines()[0].startswith("scenario_id,")
    assert len(out.splitlines()) == 5
    code, out = run("benchmark-runs", "results", brun_id, "--jsonl")
    assert [json.loads(line)["outcome"] for line in out.splitlines()] == [
        "passed", "passed", "errored", "errored"]  # fmt: skip
    code, out = run("benchmark-runs", "results", brun_id)
    assert "attempt" in out.splitlines()[0]
    assert "pass rate (pass@1) 33.3%" in out


async def test_attempts_with_mixed_outcomes_give_pass_at_k(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    probabilities = [0.0, 0.3, 0.7, 1.0]
    bench, ids = seed_benchmark(runloop_emulator, ["true"] * 4, prefix="mix")
    for sid, p in zip(ids, probabilities, strict=True):
        runloop_emulator.set_pass_probability(sid, p)
    brun = await client.benchmarks.start_run(benchmark_id=bench)
    for sid in ids:
        runloop_emulator.seed_runs(6, scenario_id=sid, state="completed", benchmark_run_id=brun.id)
    m = (await BenchmarkResult.from_benchmark_run(client, brun.id)).metrics()
    assert m.max_k == 6
    per = [s.passed for s in m.scenarios]
    assert (per[0], per[3]) == (0, 6)
    assert 0 < per[1] + per[2] < 12  # mixed in between
    at = [m.pass_at_k[k] for k in range(1, 7)]
    hat = [m.pass_hat_k[k] for k in range(1, 7)]
    assert at == sorted(at)
    assert hat == sorted(hat, reverse=True)
    assert at[0] == pytest.approx(sum(per) / 24)
    assert hat[5] == pytest.approx(0.25)  # only the p=1 scenario passes all six
    assert at[5] == pytest.approx(sum(1 for c in per if c) / 4)


async def test_runs_tagged_with_their_attempt_collapse_on_the_server(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    # What the runner will do with attempts: attempt 1 needed a second run (its first
    # devbox failed and was canceled); attempt 2 took one run.
    bench, ids = seed_benchmark(runloop_emulator, ["true"], prefix="tag")
    brun = await client.benchmarks.start_run(benchmark_id=bench)
    for attempt, how in (("1", "canceled"), ("1", "completed"), ("2", "completed")):
        meta = {ATTEMPT_METADATA_KEY: attempt}
        await start(client, ids[0], brun.id, how, metadata=meta)
    loaded = await BenchmarkResult.from_benchmark_run(client, brun.id)
    got = [(r.attempt, r.attempts, r.state, r.outcome) for r in loaded.rows]
    assert got == [(1, 2, "completed", "passed"), (2, 1, "completed", "passed")]
    assert loaded.metrics().pass_rate == 1.0
