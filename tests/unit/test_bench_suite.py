"""The benchmark suite's own pieces (benchmarks/): payloads, server routes, digest, registry.

Only correctness; nothing here is timed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from runloop_async.testing import EmulatorThread

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench() -> Iterator[Any]:
    """The ``benchmarks`` package, importable from the repository root."""
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(ROOT))
        import benchmarks.cold
        import benchmarks.common
        import benchmarks.emulator
        import benchmarks.payloads
        import benchmarks.profiling
        import benchmarks.registry
        import benchmarks.report
        import benchmarks.report_runner
        import benchmarks.server

        yield benchmarks


@pytest.fixture(scope="module")
def routes(bench: Any) -> Any:
    return bench.server.Routes(bench.payloads.make_runs())


def _body(response: bytes) -> Any:
    head, _, body = response.partition(b"\r\n\r\n")
    assert int(head.split(b"content-length: ")[1].split(b"\r\n")[0]) == len(body)
    return json.loads(body)


def test_payloads_are_deterministic_and_realistic(bench: Any) -> None:
    runs = bench.payloads.make_runs(50)
    assert runs == bench.payloads.make_runs(50)
    assert [r["id"] for r in runs] == [bench.payloads.run_id(i) for i in range(50)]
    scored = [r for r in runs if "scoring_contract_result" in r]
    assert scored
    outputs = [
        f["output"]
        for r in scored
        for f in r["scoring_contract_result"]["scoring_function_results"]
    ]
    assert all(len(o) == 500 for o in outputs)


def test_pages_of_100_chain_through_every_run(bench: Any, routes: Any) -> None:
    seen: list[str] = []
    target = "/v1/scenarios/runs?limit=100"
    while True:
        page = _body(routes.answer("GET", target))
        seen += [r["id"] for r in page["runs"]]
        if not page["has_more"]:
            break
        target = f"/v1/scenarios/runs?limit=100&starting_after={seen[-1]}"
    assert seen == [bench.payloads.run_id(i) for i in range(bench.payloads.RUN_COUNT)]
    one = _body(routes.answer("GET", "/v1/scenarios/runs?limit=5000"))
    assert [r["id"] for r in one["runs"]] == seen
    assert one["has_more"] is False


def test_retrieve_score_and_missing(bench: Any, routes: Any) -> None:
    run_id = bench.payloads.run_id(7)
    view = _body(routes.answer("GET", f"/v1/scenarios/runs/{run_id}"))
    assert view["id"] == run_id
    scored = _body(routes.answer("POST", f"/v1/scenarios/runs/{run_id}/score"))
    assert scored == {**view, "state": "scoring"}
    assert routes.answer("GET", "/v1/scenarios/runs/nope").startswith(b"HTTP/1.1 404")
    assert _body(routes.answer("GET", "/v1/scenarios/runs?limit=7"))["runs"][6]["id"] == (
        bench.payloads.run_id(6)
    )


def test_digest_ignores_nulls_and_key_order(bench: Any) -> None:
    digest = bench.common.digest
    same = digest([{"a": 1, "b": None, "c": {"d": None}}], lambda x: x)
    assert same == digest([{"c": {}, "a": 1}], lambda x: x)
    assert same != digest([{"a": 2}], lambda x: x)


def test_registry_is_consistent(bench: Any) -> None:
    registry = bench.registry
    for spec in registry.WORKLOADS.values():
        assert spec.reference in spec.impls
        assert set(spec.impls) <= set(registry.IMPLS)
    for target in registry.TARGETS:
        assert target.impl in registry.WORKLOADS[target.workload].impls
        assert target.ref in registry.WORKLOADS[target.workload].impls


def _sample(spec: Any, impl: str, slow: float, per_scenario_ms: float) -> dict[str, Any]:
    factor = 1.0 if impl == spec.reference else slow
    sample = {"seconds": factor, "cpu_seconds": factor, "rss_mb": 50.0, "count": 3, "digest": "d"}
    if spec.kind == "cold":  # benchmarks.cold measures no CPU time
        del sample["cpu_seconds"]
    if spec.kind == "runner":  # CPU: per_scenario_ms a scenario for the reference
        sample["cpu_seconds"] = factor * per_scenario_ms * spec.scenarios / 1000
        sample["gc_seconds"], sample["gc_collections"] = sample["cpu_seconds"] / 10, 7
        sample["requests"] = {"POST /v1/scenarios/start_run": spec.scenarios, "GET /x": 1}
    return sample


def _fake_run(bench: Any, slow: float, per_scenario_ms: float = 0.5) -> dict[str, Any]:
    """Samples where every implementation but the reference takes ``slow`` times as long."""
    runs: dict[str, Any] = {}
    for workload, spec in bench.registry.WORKLOADS.items():
        runs[workload] = {impl: [_sample(spec, impl, slow, per_scenario_ms)] for impl in spec.impls}
    runs["cold_start"]["ours"][0]["since_spawn"] = 0.3
    imports = {label: [0.1] for label in [*bench.registry.IMPORTS, *bench.registry.STARTUP]}
    meta = {
        "command": "x", "repeats": 1, "server_cpu": 1, "client_cpu": 0, "wall_seconds": 1,
        "load": [0.2, 0.4],
    }  # fmt: skip
    return {"runs": runs, "imports": imports, "profiles": {}, "meta": meta}


def test_targets_are_judged_on_ratios_of_medians(bench: Any) -> None:
    missed = bench.report.missed_targets
    assert missed(_fake_run(bench, 1.1)) == []
    # 1.3x misses only the 1.2x targets against the workload's reference (retrieves and
    # scores at concurrency 100, cold starts); ours vs official is 1.0x in the fake run.
    one_point_two = sorted(
        (t.workload, t.impl)
        for t in bench.registry.TARGETS
        if t.limit < 1.3 and t.ref == bench.registry.WORKLOADS[t.workload].reference
    )
    assert ("retrieve_c100", "ours") in one_point_two
    assert ("cold_start", "ours-sync") in one_point_two
    assert sorted(missed(_fake_run(bench, 1.3))) == one_point_two
    against_reference = sorted(
        (t.workload, t.impl)
        for t in bench.registry.TARGETS
        if t.ref == bench.registry.WORKLOADS[t.workload].reference
    )
    assert sorted(missed(_fake_run(bench, 3.0))) == against_reference


def test_runner_cpu_per_scenario_and_its_growth_are_judged(bench: Any) -> None:
    missed = bench.report.missed_targets
    # 1.2 ms a scenario for both: the ratio target holds (1.0x), the 1 ms one does not.
    data = _fake_run(bench, 1.0, per_scenario_ms=1.2)
    assert missed(data) == [("runner_1000_c100", "ours")]
    data = _fake_run(bench, 1.0)
    assert bench.report_runner.flatness(data, "ours") == pytest.approx(1.0)
    big = data["runs"]["runner_5000_c1000"]["ours"][0]
    big["cpu_seconds"] *= 1.5  # CPU per scenario grows by half with 5x the scenarios
    assert bench.report_runner.flatness(data, "ours") == pytest.approx(1.5)
    assert missed(data) == [("runner_5000_c1000", "ours")]


def test_report_is_rewritten_but_keeps_the_hand_written_analysis(
    bench: Any, tmp_path: Path
) -> None:
    path = tmp_path / "RESULTS.md"
    report = bench.report
    report.write_report(_fake_run(bench, 3.0), path)
    first = path.read_text()
    assert "**missed**" in first
    assert first.rstrip().endswith(report.MARKER)
    path.write_text(first + "\nMy analysis.\n")
    report.write_report(_fake_run(bench, 1.1), path)
    second = path.read_text()
    assert "**missed**" not in second
    assert second.count(report.MARKER) == 1
    assert second.endswith("My analysis.\n")
    assert "| all 5 |" in second
    assert "- Load average (1 min) before and after the run: 0.20 and 0.40 on" in second
    assert "| all 4 |" in second  # the 16-thread workload, plain-sync included
    assert "`plain-sync`: stdlib http.client" in second
    assert "| all 6 |" in second  # cold start
    assert "ours (from spawning the process to the answer) | 0.300 |" in second
    # bare, then ours: CPU per scenario, its ratio, GC time (collections), requests
    assert "| 0.500 | 1.00x | 0.050 (7) | 1.00 |" in second
    assert "| 0.550 | 1.10x | 0.055 (7) | 1.00 |" in second
    assert "| `POST /v1/scenarios/start_run` | 1000 | 1000 |" in second
    row = next(ln for ln in second.splitlines() if ln.startswith("| 1000 scores") and "ours" in ln)
    assert row.endswith("| 1.10x | 1.100 | 1.10x | 50 |")  # wall, then client CPU and its ratio
    row = next(
        ln for ln in second.splitlines() if ln.startswith("| cold start") and "| ours |" in ln
    )
    assert row.endswith("| — | — | 50 |")


def test_cold_start_covers_its_workload_and_loads_nothing_before_its_clock(bench: Any) -> None:
    assert set(bench.registry.WORKLOADS["cold_start"].impls) == set(bench.cold.COLD_IMPLS)
    assert bench.cold.TOKEN == bench.common.TOKEN
    code = (
        "import sys; import benchmarks.cold\n"
        "print(sorted(m for m in ('typing', 'attr', 'asyncio', 'json', 'aiohttp', "
        "'runloop_async') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_import_breakdown_sums_own_time_by_top_level_package(bench: Any) -> None:
    text = "\n".join(
        [
            "import time: self [us] | cumulative | imported package",
            "import time:      2000 |       2000 |   aiohttp.http",
            "import time:      1000 |       3000 | aiohttp",
            "import time:       500 |        500 |     runloop_async._models",
            "something else",
        ]
    )
    lines = bench.profiling.import_breakdown(text, top=5).splitlines()
    assert lines[1].split() == ["aiohttp", "2", "3.0", "86%"]
    assert lines[2].split() == ["runloop_async", "1", "0.5", "14%"]
    assert lines[-1].split() == ["all", "imports", "3", "3.5"]


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("~", "(built-ins)"),
        (
            "/x/.nox/bench/lib/python3.11/site-packages/runloop_async/_http.py",
            "runloop_async._http",
        ),
        ("/work/wt/runloop_async/_runner/_scenario.py", "runloop_async._runner._scenario"),
        ("/work/wt/runloop_async/_runner/__init__.py", "runloop_async._runner"),
        ("<runloop_async structure ScenarioRunView>", "runloop_async (generated)"),
        ("<frozen importlib._bootstrap>", "importlib (frozen)"),
        ("/v/lib/python3.11/site-packages/aiohttp/client.py", "aiohttp"),
        ("/v/lib/python3.11/site-packages/typing_extensions.py", "typing_extensions"),
        ("/py/lib/python3.11/asyncio/base_events.py", "asyncio"),
        ("/py/lib/python3.11/selectors.py", "selectors"),
        ("/work/wt/t7/benchmarks/bare_runner.py", "benchmarks"),
    ],
)
def test_profile_owners(bench: Any, filename: str, expected: str) -> None:
    assert bench.profiling.owner(filename) == expected


def test_own_time_is_summed_by_owner(bench: Any) -> None:
    table = bench.profiling.by_owner(
        {
            ("/v/site-packages/aiohttp/client.py", 1, "a"): 0.3,
            ("/v/site-packages/aiohttp/connector.py", 2, "b"): 0.3,
            ("/w/runloop_async/_http.py", 3, "c"): 0.4,
        },
        top=5,
    ).splitlines()
    assert lines_split(table) == [
        ["aiohttp", "0.600", "60%"],
        ["runloop_async._http", "0.400", "40%"],
        ["all", "1.000"],
    ]


def lines_split(lines: list[str]) -> list[list[str]]:
    return [line.split() for line in lines[1:]]


def test_the_runner_and_the_hand_written_loop_make_the_same_calls_and_rows(bench: Any) -> None:
    """The reference of the runner workloads does what run_benchmark does, no more."""
    rows, routes = {}, {}
    for impl in ("bare", "ours"):
        with EmulatorThread(bench.emulator.CONFIG) as emu:
            benchmark_id = bench.emulator.seed(emu, 12)
            run, _ = bench.registry.load(impl, "runner_1000_c100")
            rows[impl] = run(bench.common.Context(emu.base_url, benchmark_id=benchmark_id,
                                                  concurrency=5))  # fmt: skip
            routes[impl] = bench.emulator.route_counts(emu)
    assert rows["bare"] == rows["ours"]
    assert [r["scenario"] for r in rows["ours"]] == [f"scenario-{i:05d}" for i in range(12)]
    assert {(r["state"], r["score"]) for r in rows["ours"]} == {("completed", 1.0)}
    assert routes["bare"] == routes["ours"]
    per_scenario = [r for r, n in routes["ours"].items() if n == 12]
    assert len(per_scenario) == 5  # start, wait for the devbox, score, poll, complete


@pytest.mark.parametrize(
    ("impl", "workload", "loaded", "not_loaded"),
    [
        ("ours", "retrieve_c100", ["aiohttp", "runloop_async._converter"],
         ["runloop_async._runner", "anyio", "runloop_async._sync"]),
        ("ours-sync", "retrieve_threads16", ["anyio._backends._asyncio", "runloop_async._sync"],
         ["runloop_async._runner"]),
        ("ours", "runner_1000_c100", ["runloop_async._runner", "anyio._backends._asyncio"], []),
    ],
)  # fmt: skip
def test_a_workload_loads_before_its_clock_what_its_process_uses_and_no_more(
    impl: str, workload: str, loaded: list[str], not_loaded: list[str]
) -> None:
    # Imports outside a workload's needs are not free inside its window: their
    # allocations bring the process's first full collection into it (RESULTS.md).
    script = (
        "import sys; from benchmarks.registry import load; "
        f"load({impl!r}, {workload!r}); "
        f"print([m for m in {loaded + not_loaded!r} if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out.strip().replace("'", '"')) == loaded
