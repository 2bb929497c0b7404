"""Attempts, pure: runs assigned to attempts, resume per (scenario, attempt), the
completion rule, the options."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runloop_async import InvalidArgumentError, RunnerOptions, ScenarioRunView, plan_resume
from runloop_async._eval._rows import ATTEMPT_METADATA_KEY, PLANNED_ATTEMPTS_METADATA_KEY
from runloop_async._models import ScoringContractResultView
from runloop_async._runner._attempts import planned_attempts, slot_runs, units_of
from runloop_async._runner._finish import unfinished_scenarios

STATES = ("running", "scoring", "scored", "completed", "canceled", "failed", "timeout")
_count = iter(range(10**9))


def run(
    sid: str,
    state: str,
    attempt: int | None = None,
    *,
    planned: int | None = None,
    score: float | None = None,
    rid: str | None = None,
    start: int | None = None,
) -> ScenarioRunView:
    meta = {} if attempt is None else {ATTEMPT_METADATA_KEY: str(attempt)}
    if planned is not None:
        meta[PLANNED_ATTEMPTS_METADATA_KEY] = str(planned)
    if score is None and state in ("scored", "completed"):
        score = 1.0
    result = None
    if score is not None:
        result = ScoringContractResultView(score=score, scoring_function_results=[])
    return ScenarioRunView(
        id=rid or f"run_{next(_count)}", scenario_id=sid, devbox_id="dbx", state=state,
        metadata=meta, scoring_contract_result=result, start_time_ms=start,
    )  # fmt: skip


def test_units_are_attempt_major() -> None:
    assert units_of(["a", "b", "a"], 2) == [("a", 1), ("b", 1), ("a", 2), ("b", 2)]


def test_resume_works_per_attempt() -> None:
    existing = [
        run("a", "completed", 1, rid="a1"),
        run("a", "canceled", 2, rid="a2_dead"),  # a devbox retry that failed ...
        run("a", "running", 2, rid="a2_live"),  # ... and its replacement, orphaned
        run("a", "running", 3, rid="a3_old"),
        run("a", "scoring", 3, rid="a3_further"),
        run("b", "scored", 2, rid="b2"),
        run("b", "running", 2, rid="b2_stray"),
    ]
    plan = plan_resume(["a", "b"], existing, attempts=3)
    assert plan.attempts == 3
    assert plan.todo == [("b", 1), ("b", 3)]  # attempt-major
    assert {u: r.id for u, r in plan.done.items()} == {("a", 1): "a1", ("b", 2): "b2"}
    assert {u: r.id for u, r in plan.adopt.items()} == {("a", 2): "a2_live",
                                                        ("a", 3): "a3_further"}  # fmt: skip
    assert sorted(r.id for r in plan.orphans) == ["a3_old", "b2_stray"]
    assert [r.id for r in plan.to_complete] == ["b2"]
    assert plan.runs_seen[("a", 2)] == 2


def test_a_resume_runs_as_many_attempts_as_were_planned() -> None:
    existing = [run("a", "completed", 1, planned=3)]
    plan = plan_resume(["a", "b"], existing)  # attempts=1 asked; the run says 3
    assert plan.attempts == 3
    assert plan.todo == [("b", 1), ("a", 2), ("b", 2), ("a", 3), ("b", 3)]
    assert plan_resume(["a"], existing, attempts=5).attempts == 5  # asking for more: more
    assert planned_attempts([run("z", "running", 4)]) == 4  # another shard's tag counts


def test_untagged_runs_fill_the_missing_attempts_best_first() -> None:
    runs = [
        run("a", "canceled", rid="ended", start=1),
        run("a", "running", rid="live_old", start=2),
        run("a", "scoring", rid="live_new", start=3),
        run("a", "scored", score=0.2, rid="scored", start=4),
        run("a", "completed", 1, rid="tagged1", start=5),
        run("a", "completed", score=0.5, rid="done", start=6),
    ]
    got = slot_runs(runs, 4)
    ids = {n: [r.id for r in rs] for n, rs in got.slots.items()}
    # attempt 1 is tagged; finished untagged runs go first (completed before scored),
    # then live ones (further along first), then ended ones where nothing is
    assert ids == {1: ["tagged1"], 2: ["done"], 3: ["scored"], 4: ["live_new"]}
    assert [r.id for r in got.extra] == ["live_old", "ended"]


def test_the_completion_rule_counts_attempts() -> None:
    runs = [run("a", "completed", 1), run("a", "completed", 2), run("b", "completed", 1),
            run("b", "canceled", 2)]  # fmt: skip
    assert unfinished_scenarios(["a", "b"], runs, ended_is_enough=False, attempts=2) == ["b"]
    assert unfinished_scenarios(["a", "b"], runs, ended_is_enough=True, attempts=2) == []
    assert unfinished_scenarios(["a", "b"], runs, ended_is_enough=False, attempts=3) == ["a", "b"]
    assert unfinished_scenarios(["a", "b"], runs, ended_is_enough=False) == []
    # a live run keeps an ended-enough attempt open
    live = [*runs, run("b", "running", 2)]
    assert unfinished_scenarios(["a", "b"], live, ended_is_enough=True, attempts=2) == ["b"]


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "3", 1001])
def test_bad_attempts_are_rejected(bad: object) -> None:
    with pytest.raises(InvalidArgumentError, match="attempts"):
        RunnerOptions(benchmark_id="bmd_1", attempts=bad)  # type: ignore[arg-type]
    assert RunnerOptions(benchmark_id="bmd_1").attempts == 1


_runs = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from(STATES),
        st.one_of(st.none(), st.integers(1, 4)),
        st.booleans(),
    ),
    max_size=14,
)


@given(_runs, st.integers(1, 4))
def test_every_unit_is_planned_exactly_once(spec: list[tuple[str, str, int | None, bool]],
                                            attempts: int) -> None:  # fmt: skip
    existing = [run(sid, state, tag, rid=f"r{i}") for i, (sid, state, tag, _) in enumerate(spec)]
    held_ids = {f"r{i}" for i, (*_, held) in enumerate(spec) if held}
    plan = plan_resume(["a", "b"], existing, attempts=attempts,
                       is_held=lambda r: r.id in held_ids)  # fmt: skip
    held_units = set()
    for held in plan.held:
        assigned = slot_runs([r for r in existing if r.scenario_id == held.scenario_id],
                             plan.attempts)  # fmt: skip
        held_units |= {(held.scenario_id, n) for n, rs in assigned.slots.items() if held in rs}
    for unit in units_of(["a", "b"], plan.attempts):
        places = [unit in plan.todo, unit in plan.done, unit in plan.adopt]
        assert sum(places) == 1 or (sum(places) == 0 and unit in held_units), unit
    assert all(r.scenario_id != "c" for r in [*plan.orphans, *plan.to_complete, *plan.held])
    adopted = {r.id for r in plan.adopt.values()}
    assert not adopted & {r.id for r in plan.orphans}
    assert not adopted & held_ids
    assert len(plan.todo) == len(set(plan.todo))


def test_totals_and_summary_give_pass_at_k_with_attempts() -> None:
    from runloop_async import BenchmarkResult, ScenarioResult, compute_metrics

    outcomes = {"a": (1.0, 1.0, 1.0), "b": (1.0, 0.2, 0.0), "c": (0.0, 0.0, 0.3)}
    rows = [ScenarioResult(scenario_id=sid, state="completed", score=score, attempt=n)
            for sid, scores in outcomes.items() for n, score in enumerate(scores, 1)]  # fmt: skip
    result = BenchmarkResult(rows=rows)
    t = result.totals
    assert (t.scenarios, t.attempts_per_scenario) == (3, 3)
    assert t.pass_at_k == compute_metrics(rows).pass_at_k[3] == pytest.approx(2 / 3)
    assert result.summary().startswith(
        "3 scenarios x 3 attempts: 4/9 passed (pass@1 44.4%, pass@3 66.7%), 5 failed, 0 errored"
    )
    one = BenchmarkResult(rows=rows[:1]).totals
    assert (one.attempts_per_scenario, one.pass_at_k) == (1, None)


@given(st.lists(st.tuples(st.sampled_from(STATES), st.integers(1, 3)), min_size=1, max_size=12))
def test_resume_and_the_results_loader_group_the_runners_runs_alike(
    spec: list[tuple[str, int]],
) -> None:
    from runloop_async._eval._rows import rows_from_runs

    runs = [run("a", state, tag, rid=f"r{i}", start=i) for i, (state, tag) in enumerate(spec)]
    slots = slot_runs(runs, 3).slots
    rows = {row.attempt: row for row in rows_from_runs(runs)}
    for n, mine in slots.items():
        assert (n in rows) == bool(mine)
        if mine:
            assert rows[n].attempts == len(mine)  # the same runs make up attempt n
            assert rows[n].run_id in {r.id for r in mine}


@given(
    st.sampled_from([*STATES, "paused"]),
    st.sampled_from([None, "1", "2", " 1", "0", "x"]),
    st.booleans(),
)
def test_a_scenarios_only_run_is_judged_as_its_slots_say(
    state: str, tag: str | None, ended_is_enough: bool
) -> None:
    # unfinished_scenarios decides one run of one attempt without slot_runs: the same way.
    one = run("a", state, rid="r1")
    if tag is not None:
        one = ScenarioRunView(**{**_fields(one), "metadata": {ATTEMPT_METADATA_KEY: tag}})
    slot = slot_runs([one], 1).slots[1]
    done = any(r.state == "completed" and r.score is not None for r in slot) or (
        ended_is_enough and bool(slot) and all(r.state in STATES[3:] for r in slot)
    )
    left = unfinished_scenarios(["a"], [one], ended_is_enough=ended_is_enough, attempts=1)
    assert left == ([] if done else ["a"])


def _fields(view: ScenarioRunView) -> dict[str, object]:
    return {name: getattr(view, name) for name in ("id", "scenario_id", "devbox_id", "state",
            "scoring_contract_result", "start_time_ms")}  # fmt: skip


def test_reconcile_corrects_rows_by_the_server_and_keeps_those_that_agree() -> None:
    from runloop_async import ScenarioResult
    from runloop_async._runner._finish import reconcile

    done, lost, moved, ended = (run(s, st_, rid=f"r_{s}") for s, st_ in
                                [("a", "completed"), ("b", "completed"), ("c", "canceled"),
                                 ("d", "canceled")])  # fmt: skip
    rows = {
        ("a", 1): ScenarioResult(scenario_id="a", run_id=done.id, state="completed", score=1.0),
        ("b", 1): ScenarioResult(scenario_id="b", run_id=lost.id, state="scored", score=1.0,
                                 error="APIConnectionError: reset", phase="complete"),
        ("c", 1): ScenarioResult(scenario_id="c", run_id=moved.id, state="running"),
        ("d", 1): ScenarioResult(scenario_id="d", run_id=ended.id, state="canceled"),
    }  # fmt: skip
    fixed = reconcile(rows, [done, lost, moved, ended])
    assert fixed[("a", 1)] is rows[("a", 1)]
    assert fixed[("d", 1)] is rows[("d", 1)]
    b = fixed[("b", 1)]
    assert (b.state, b.score, b.error, b.phase, b.last_view) == ("completed", 1.0, None, None, lost)
    assert fixed[("c", 1)].state == "canceled"


def test_a_starts_metadata_carries_the_owner_its_lease_from_now_and_the_attempt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time

    from runloop_async import AsyncRunloop, BenchmarkRunner
    from runloop_async._runner._attempts import attempt_metadata

    clock = [1_000_000.1]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    runner = BenchmarkRunner(AsyncRunloop("key", "http://127.0.0.1:9"), lambda ctx: None,
                             benchmark_id="bmd_1", metadata={"team": "x"}, attempts=2)  # fmt: skip

    def expected(attempt: int) -> dict[str, str]:
        owner = runner.owner.renewed(runner.options.lease_seconds()).metadata()
        return {"team": "x", **owner, **attempt_metadata(attempt, 2)}

    first = runner._start_metadata(1)
    assert first == expected(1)
    assert runner._start_metadata(2) == expected(2)
    clock[0] += 0.3  # the same lease in whole seconds: the same dict
    assert runner._start_metadata(2) == expected(2)
    assert runner._start_metadata(2) is runner._start_metadata(2)
    clock[0] += 1.0  # a new lease: a run started later is held longer
    later = runner._start_metadata(1)
    assert later == expected(1)
    assert int(later["runloop_async.lease_until"]) == int(first["runloop_async.lease_until"]) + 1
