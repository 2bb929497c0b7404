"""Pure parts of the runner: shard selection, resume planning, events, results, judges."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runloop_async import (
    BenchmarkJobView,
    BenchmarkResult,
    BenchmarkRunView,
    EventKind,
    InvalidArgumentError,
    RunCanceledError,
    RunnerEvent,
    RunnerProgress,
    ScenarioResult,
    ScenarioRunView,
    UnexpectedStateError,
    parse_shard,
    plan_resume,
    select_shard,
)
from runloop_async._judges import judge_benchmark_job_done, judge_benchmark_run_completed
from runloop_async._models import ScoringContractResultView


def run(
    sid: str, state: str, score: float | None = None, rid: str | None = None
) -> ScenarioRunView:
    result = None
    if score is not None:
        result = ScoringContractResultView(score=score, scoring_function_results=[])
    return ScenarioRunView(
        id=rid or f"run_{sid}_{state}", scenario_id=sid, devbox_id=f"dbx_{sid}", state=state,
        metadata={}, scoring_contract_result=result,
    )  # fmt: skip


# -- shards ---------------------------------------------------------------------------


@given(st.lists(st.text(min_size=1, max_size=8), max_size=60), st.integers(1, 9))
def test_shards_partition_the_ids_exactly_once_and_evenly(ids: list[str], count: int) -> None:
    shards = [select_shard(ids, (i, count)) for i in range(count)]
    flat = [sid for shard in shards for sid in shard]
    assert sorted(flat) == sorted(set(ids))
    sizes = [len(s) for s in shards]
    assert max(sizes) - min(sizes) <= 1


def test_shard_split_ignores_input_order_and_keeps_it() -> None:
    ids = [f"scn_{i:03d}" for i in range(10)]
    a = select_shard(ids, (1, 3))
    b = select_shard(list(reversed(ids)), (1, 3))
    assert sorted(a) == sorted(b) == ["scn_001", "scn_004", "scn_007"]
    assert b == ["scn_007", "scn_004", "scn_001"]
    assert select_shard(["b", "a", "b"], None) == ["b", "a"]


@pytest.mark.parametrize("bad", [(3, 3), (-1, 2), (0, 0), (1,), "0/2", (0.5, 2)])
def test_bad_shards_are_rejected(bad: object) -> None:
    with pytest.raises(InvalidArgumentError):
        select_shard(["a"], bad)  # type: ignore[arg-type]


def test_parse_shard() -> None:
    assert parse_shard("2/4") == (2, 4)
    for text in ("4/4", "x/2", "1", "1/-2", ""):
        with pytest.raises(InvalidArgumentError):
            parse_shard(text)


# -- resume ---------------------------------------------------------------------------


def test_resume_plan_skips_done_adopts_orphans_and_completes_scored() -> None:
    existing = [
        run("a", "completed", 1.0),
        run("b", "scored", 0.5),
        run("c", "failed"),
        run("d", "running"),
        run("e", "canceled"),
        run("zz", "running"),  # another shard's scenario: untouched
        run("a", "running", rid="stray"),  # a second, orphaned run of a done scenario
        run("g", "running", rid="g_old"),
        run("g", "scoring", rid="g_further"),  # further along: adopted, the other canceled
    ]
    plan = plan_resume(["a", "b", "c", "d", "e", "f", "g"], existing)
    assert plan.todo == [("c", 1), ("e", 1), ("f", 1)]
    assert set(plan.done) == {("a", 1), ("b", 1)}
    assert [r.id for r in plan.to_complete] == ["run_b_scored"]
    adopted = {sid: r.id for (sid, _), r in plan.adopt.items()}
    assert adopted == {"d": "run_d_running", "g": "g_further"}
    assert sorted(r.id for r in plan.orphans) == ["g_old", "stray"]
    # the stray run belongs to no attempt: only the attempt's own runs name its next key
    assert plan.runs_seen == {("a", 1): 1, ("b", 1): 1, ("c", 1): 1, ("d", 1): 1,
                              ("e", 1): 1, ("g", 1): 1}  # fmt: skip
    assert plan.held == []
    assert plan.attempts == 1


def test_resume_plan_leaves_runs_held_by_a_live_runner_alone() -> None:
    existing = [run("a", "running", rid="theirs"), run("b", "running", rid="dead")]
    plan = plan_resume(["a", "b"], existing, is_held=lambda r: r.id == "theirs")
    assert [r.id for r in plan.held] == ["theirs"]
    assert plan.todo == []
    assert list(plan.adopt) == [("b", 1)]


def test_resume_prefers_a_completed_scored_run() -> None:
    plan = plan_resume(["a"], [run("a", "scored", 0.2, "r1"), run("a", "completed", 0.9, "r2")])
    assert plan.done[("a", 1)].id == "r2"
    assert [r.id for r in plan.to_complete] == ["r1"]  # holds a devbox: completed too


# -- events and progress --------------------------------------------------------------


def ev(kind: str, sid: str | None = "s1", **kw: object) -> RunnerEvent:
    return RunnerEvent(kind=kind, at=kw.pop("at", 1.0), scenario_id=sid, **kw)  # type: ignore[arg-type]


def test_progress_folds_events() -> None:
    p = RunnerProgress()
    p.apply(ev(EventKind.RUN_STARTED, None, total=4))
    p.apply(ev(EventKind.STARTED, "s1"))
    p.apply(ev(EventKind.STARTED, "s2"))
    p.apply(ev(EventKind.ENV_READY, "s2"))
    assert (p.count("booting"), p.count("agent"), p.pending) == (1, 1, 2)
    p.apply(ev(EventKind.COMPLETED, "s1", outcome="passed", score=1.0))
    p.apply(ev(EventKind.FAILED, "s2", outcome="errored", error="x"))
    p.apply(ev(EventKind.SKIPPED, "s3", outcome="failed", score=0.5, at=7.0))
    assert (p.passed, p.failed, p.errored, p.skipped, p.finished) == (1, 1, 1, 1, 3)
    assert p.mean_score == 0.75
    assert p.percent("passed") == pytest.approx(100 / 3)
    assert "3/4 done" in p.summary()
    assert p.elapsed == 7.0


# -- results --------------------------------------------------------------------------


def sample() -> BenchmarkResult:
    rows = [
        ScenarioResult(scenario_id="a", scenario_name="A", run_id="r1", state="completed",
                       score=1.0, duration_s=1.5),
        ScenarioResult(scenario_id="b", scenario_name="B, with comma", run_id="r2",
                       state="completed", score=0.25, resumed=True),
        ScenarioResult(scenario_id="c", state="canceled", error="DevboxFailedError: boom",
                       error_type="DevboxFailedError", phase="env"),
        ScenarioResult(scenario_id="d", state="scored", score=1.0),
    ]  # fmt: skip
    return BenchmarkResult(rows=rows, benchmark_id="bmd", benchmark_run_id="bmr", wall_time_s=2)


def test_outcomes_and_totals() -> None:
    result = sample()
    assert [r.outcome for r in result.rows] == ["passed", "failed", "errored", "errored"]
    t = result.totals
    assert (t.total, t.passed, t.failed, t.errored, t.resumed) == (4, 1, 1, 1 + 1, 1)
    assert t.mean_score == pytest.approx(0.75)
    assert t.pass_rate == 0.25
    assert [r.scenario_id for r in result.by_outcome("errored")] == ["c", "d"]
    assert "4 scenarios: 1 passed (25.0%)" in result.summary()


def test_platform_url() -> None:
    row = ScenarioResult(scenario_id="scn_1", run_id="scr_2")
    assert row.platform_url == "https://platform.runloop.ai/scenarios/scn_1/runs/scr_2"
    assert ScenarioResult(scenario_id="scn_1").platform_url is None


def test_exports_round_trip(tmp_path: Path) -> None:
    result = sample()
    doc = json.loads(result.to_json(tmp_path / "r.json"))
    assert doc["totals"]["passed"] == 1
    assert doc["rows"][2]["error_type"] == "DevboxFailedError"
    assert json.loads((tmp_path / "r.json").read_text()) == doc
    lines = result.to_jsonl(tmp_path / "r.jsonl").splitlines()
    assert [json.loads(line)["outcome"] for line in lines] == [
        "passed", "failed", "errored", "errored",
    ]  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(result.to_csv(tmp_path / "r.csv"))))
    assert rows[1]["scenario_name"] == "B, with comma"
    assert rows[2]["score"] == ""
    assert rows[0]["score"] == "1.0"
    assert (tmp_path / "r.csv").read_text().startswith("scenario_id,scenario_name,run_id")


def test_empty_result() -> None:
    empty = BenchmarkResult(rows=[])
    assert empty.totals.mean_score is None
    assert empty.totals.pass_rate == 0.0
    assert empty.to_jsonl() == ""


# -- judges ---------------------------------------------------------------------------


def brun(state: str) -> BenchmarkRunView:
    return BenchmarkRunView(id="bmr", metadata={}, start_time_ms=0, state=state)


def job(state: str) -> BenchmarkJobView:
    return BenchmarkJobView(id="bmj", name="j", create_time_ms=0, state=state,
                            failure_reason="oom")  # fmt: skip


def test_benchmark_run_judge() -> None:
    assert judge_benchmark_run_completed(brun("completed")) is True
    assert judge_benchmark_run_completed(brun("running")) is None
    assert judge_benchmark_run_completed(brun("brand_new")) is None
    assert isinstance(judge_benchmark_run_completed(brun("canceled")), RunCanceledError)
    failed = judge_benchmark_run_completed(brun("failed"))
    assert isinstance(failed, UnexpectedStateError)
    assert failed.last.state == "failed"


def test_benchmark_job_judge() -> None:
    assert judge_benchmark_job_done(job("completed")) is True
    for state in ("initializing", "queued", "running"):
        assert judge_benchmark_job_done(job(state)) is None
    for state in ("cancelled", "canceled", "CANCELLED"):
        assert isinstance(judge_benchmark_job_done(job(state)), RunCanceledError)
    timeout = judge_benchmark_job_done(job("timeout"))
    assert isinstance(timeout, UnexpectedStateError)
    assert "oom" in str(timeout)
