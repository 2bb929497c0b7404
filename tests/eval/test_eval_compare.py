"""compare_results and ``runloop-async compare``: flips, deltas, intervals, exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from eval_support import seed_benchmark
from eval_support import spec_rows as rows
from hypothesis import given
from hypothesis import strategies as st

from runloop_async import AsyncRunloop, BenchmarkResult, compare_results, run_benchmark, sign_test

A = "A:P B:P C:F D:E E:P"
B = "A:P B:F C:P D:P F:P"


def test_flips_deltas_and_one_sided_scenarios_by_hand() -> None:
    cmp = compare_results(BenchmarkResult(rows=rows(A), benchmark_run_id="bmr_a"), rows(B))
    assert [c.scenario_id for c in cmp.regressions] == ["B"]
    assert [c.scenario_id for c in cmp.fixes] == ["C", "D"]
    assert [c.scenario_id for c in cmp.only_a] == ["E"]
    assert [c.scenario_id for c in cmp.only_b] == ["F"]
    assert (cmp.label_a, cmp.label_b) == ("bmr_a", None)
    assert cmp.a.pass_rate == pytest.approx(3 / 5)
    assert cmp.b.pass_rate == pytest.approx(4 / 5)
    assert cmp.delta == pytest.approx(0.2)
    assert cmp.paired_deltas == (0.0, -1.0, 1.0, 1.0)
    assert cmp.paired_delta == pytest.approx(0.25)
    assert cmp.p_value == pytest.approx(sign_test(1, 2)) == 1.0
    assert cmp.ci is not None
    assert -1.0 <= cmp.ci[0] < 0.25 < cmp.ci[1] <= 1.0
    changes = {c.scenario_id: c for c in cmp.scenarios}
    assert changes["B"].score_delta == pytest.approx(-0.75)
    assert changes["D"].score_delta is None  # errored in a: no score to compare
    assert changes["A"].status == "passing"
    doc = json.loads(json.dumps(cmp.to_dict()))
    assert doc["regressions"] == [{"scenario_id": "B", "scenario_name": "name-B",
                                   "score_delta": -0.75}]  # fmt: skip
    assert [f["scenario_id"] for f in doc["fixes"]] == ["C", "D"]
    assert doc["a"]["pass_rate"] == 0.6
    assert doc["b"]["label"] is None
    assert doc["delta"] == 0.2
    assert doc["p_value"] == 1.0
    assert len(doc["ci"]) == 2


def test_attempts_decide_by_majority_and_keep_rates() -> None:
    cmp = compare_results(rows("A:PPF B:PFF C:PF"), rows("A:PFF B:PPP C:FF"))
    assert [c.scenario_id for c in cmp.regressions] == ["A", "C"]
    assert [c.scenario_id for c in cmp.fixes] == ["B"]
    deltas = dict(zip("ABC", cmp.paired_deltas, strict=True))
    assert deltas["A"] == pytest.approx(-1 / 3)
    assert deltas["B"] == pytest.approx(2 / 3)
    assert deltas["C"] == pytest.approx(-0.5)


def test_a_clear_regression_is_significant() -> None:
    before = " ".join(f"s{i}:P" for i in range(20))
    after = " ".join(f"s{i}:{'F' if i < 10 else 'P'}" for i in range(20))
    cmp = compare_results(rows(before), rows(after))
    assert len(cmp.regressions) == 10
    assert cmp.p_value == pytest.approx(2 / 1024)
    assert cmp.ci is not None
    assert cmp.ci[1] < 0.0  # the whole interval is below zero
    assert cmp.delta == pytest.approx(-0.5)


@given(st.lists(st.sampled_from("PFE"), min_size=1, max_size=12), st.integers(0, 3))
def test_a_result_compared_with_itself_has_no_change(outs: list[str], seed: int) -> None:
    same = rows(" ".join(f"s{i}:{o}" for i, o in enumerate(outs)))
    cmp = compare_results(same, same, seed=seed, resamples=50)
    assert (cmp.regressions, cmp.fixes, cmp.only_a, cmp.only_b) == ([], [], [], [])
    assert (cmp.delta, cmp.p_value, cmp.ci) == (0.0, 1.0, (0.0, 0.0))


def test_compare_is_reproducible() -> None:
    first = compare_results(rows(A), rows(B)).to_dict()
    assert first == compare_results(rows(A), rows(B)).to_dict()


# -- the CLI on files ---------------------------------------------------------------------


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    a, b = tmp_path / "a.json", tmp_path / "b.csv"
    BenchmarkResult(rows=rows(A), benchmark_run_id="bmr_a").to_json(a)
    BenchmarkResult(rows=rows(B)).to_csv(b)
    return str(a), str(b)


def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    from runloop_async.__main__ import main

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(argv))
        got = capsys.readouterr()
        return code, got.out, got.err

    return run


def test_cli_compare_files_json_and_gate(
    files: tuple[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RUNLOOP_API_KEY", raising=False)  # files need no key
    run = cli(capsys)
    code, out, _ = run("compare", *files, "--json")
    doc = json.loads(out)
    assert code == 0
    assert {"regressions", "fixes", "a", "b", "delta", "ci", "p_value"} <= doc.keys()
    assert [r["scenario_id"] for r in doc["regressions"]] == ["B"]
    assert doc["regressions"][0]["scenario_name"] == "name-B"
    assert doc["a"]["label"] == "a.json"
    assert doc["delta"] == 0.2
    assert run("compare", *files, "--fail-on-regression", "1")[0] == 0
    code, _, err = run("compare", *files, "--fail-on-regression", "0")
    assert code == 1
    assert "1 regressions" in err
    code, out, _ = run("compare", *files, "--plain")
    assert code == 0
    assert out.splitlines()[0].split()[:2] == ["scenario", "status"]
    assert "regression" in out
    assert "passing" not in out  # unchanged scenarios only with --all
    assert "passing" in run("compare", *files, "--plain", "--all")[1]
    assert "1 regressions, 2 fixes; exact McNemar p = 1" in out


def test_cli_compare_bad_sources_are_usage_errors(
    files: tuple[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # fmt: skip
    monkeypatch.delenv("RUNLOOP_API_KEY", raising=False)
    run = cli(capsys)
    code, _, err = run("compare", files[0], str(tmp_path / "missing.json"))
    assert code == 2
    assert "missing.json" in err
    code, _, err = run("compare", files[0], "bmr_123")
    assert code == 2
    assert "RUNLOOP_API_KEY" in err
    assert run("compare", *files, "--fail-on-regression", "-1")[0] == 2


def test_cli_compare_benchmark_runs(
    runloop_emulator: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUNLOOP_API_KEY", runloop_emulator.api_key)
    monkeypatch.setenv("RUNLOOP_BASE_URL", runloop_emulator.base_url)
    ids = [runloop_emulator.add_scenario(f"c{i}")["id"] for i in range(4)]
    bench = runloop_emulator.add_benchmark("cmp", scenario_ids=ids)["id"]
    run = cli(capsys)
    brun_ids = []
    for failing in (ids[:1], ids[1:3]):
        code, out, _ = run("benchmarks", "start-run", bench, "--json")
        brun_ids.append(json.loads(out)["id"])
        for sid in ids:
            state = "failed" if sid in failing else "completed"
            runloop_emulator.seed_runs(1, scenario_id=sid, state=state,
                                       benchmark_run_id=brun_ids[-1])  # fmt: skip
    code, out, _ = run("compare", *brun_ids, "--json")
    doc = json.loads(out)
    assert code == 0
    assert [r["scenario_name"] for r in doc["regressions"]] == ["c1", "c2"]
    assert [r["scenario_name"] for r in doc["fixes"]] == ["c0"]
    assert doc["a"]["label"] == brun_ids[0]
    assert doc["delta"] == -0.25


@pytest.mark.anyio
async def test_two_runner_runs_with_a_changed_outcome(runloop_emulator: Any) -> None:
    bench, _ = seed_benchmark(runloop_emulator, ["true", "true", "FAIL"], prefix="cmp")

    async def agent(ctx: Any) -> None:
        return None

    async with AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url) as client:
        before = await run_benchmark(client, agent, benchmark_id=bench)
        runloop_emulator.set_score("cmp1", 0.5)  # the agent change broke cmp1 ...
        runloop_emulator.set_score("cmp2", 1.0)  # ... and fixed cmp2
        after = await run_benchmark(client, agent, benchmark_id=bench)
    cmp = compare_results(before, after)
    assert [c.scenario_name for c in cmp.regressions] == ["cmp1"]
    assert [c.scenario_name for c in cmp.fixes] == ["cmp2"]
    assert cmp.label_a == before.benchmark_run_id
    assert cmp.delta == 0.0
    assert cmp.p_value == 1.0
