"""mypy sees models, not coroutines, on the blocking client (checked with assert_type)."""

from __future__ import annotations

import pathlib
import textwrap

SNIPPET = textwrap.dedent(
    """
    from typing import assert_type

    from runloop_async import (
        BenchmarkJobView, BenchmarkRunView, BenchmarkView, DevboxView, LogsArchive, Page,
        Runloop, ScenarioRunView, ScenarioScorerView, ScenarioView, SyncPager,
    )

    def check(client: Runloop) -> None:
        assert_type(client.scenarios.retrieve("s"), ScenarioView)
        assert_type(client.scenarios.list(limit=5), SyncPager[ScenarioView])
        assert_type(client.scenarios.start_run(scenario_id="s"), ScenarioRunView)
        assert_type(client.scenarios.runs.score_and_await("r", timeout=5), ScenarioRunView)
        assert_type(client.scenarios.runs.download_logs("r"), LogsArchive)
        assert_type(client.scenarios.runs.download_logs_to_file("r", "x.zip"), int)
        assert_type(client.scenarios.scorers.retrieve("x"), ScenarioScorerView)
        assert_type(client.benchmarks.definitions("b"), SyncPager[ScenarioView])
        assert_type(client.benchmarks.update_scenarios("b"), BenchmarkView)
        assert_type(client.benchmark_runs.complete("b"), BenchmarkRunView)
        assert_type(client.benchmark_jobs.retrieve("j"), BenchmarkJobView)
        assert_type(client.devboxes.await_running("d"), DevboxView)
        assert_type(client.with_options(max_retries=0), Runloop)
        assert_type(client.close(), None)
        pager = client.scenarios.runs.list(state="scored")
        assert_type(pager.first_page(), Page[ScenarioRunView])
        assert_type(pager.to_list(max_items=3), list[ScenarioRunView])
        for run in pager:
            assert_type(run, ScenarioRunView)
        client.scenarios.retrieve("s", timeout=3, max_retries=1)
        client.scenarios.retrieve("s", not_an_option=1)  # E: unexpected keyword
        client.scenarios.runs.await_scored(1)  # E: wrong type
    """
)


def test_mypy_sees_models_and_checks_arguments(tmp_path: pathlib.Path) -> None:
    import mypy.api as api  # in the test extra: this must run, not skip, in CI

    source = tmp_path / "use_sync_client.py"
    source.write_text(SNIPPET)
    stdout, stderr, _status = api.run(
        [
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "--python-version",
            "3.11",
            str(source),
        ]
    )
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    lines = SNIPPET.splitlines()
    flagged = {int(line.split(":")[1]) for line in errors}
    expected = {i + 1 for i, text in enumerate(lines) if "# E:" in text}
    assert flagged == expected, stdout + stderr
