"""mypy sees models, not coroutines, on the blocking client (checked with assert_type).

Pages are typed too: ``page.runs`` on a page of runs is ``list[ScenarioRunView]``, and
``page.benchmarks`` on it is an error, for the blocking and the async client.
"""

from __future__ import annotations

import pathlib
import textwrap

SNIPPET = textwrap.dedent(
    """
    from typing import assert_type

    from runloop_async import (
        AsyncRunloop, BenchmarkJobView, BenchmarkRunView, BenchmarkView, DevboxView,
        LogsArchive, Page, PageInfo, Runloop, ScenarioRunView, ScenarioScorerView,
        ScenarioView, SyncPage,
    )

    def check(client: Runloop) -> None:
        assert_type(client.scenarios.retrieve("s"), ScenarioView)
        assert_type(client.scenarios.list(limit=5), SyncPage[ScenarioView])
        assert_type(client.scenarios.start_run(scenario_id="s"), ScenarioRunView)
        assert_type(client.scenarios.runs.score_and_await("r", timeout=5), ScenarioRunView)
        assert_type(client.scenarios.runs.download_logs("r"), LogsArchive)
        assert_type(client.scenarios.runs.download_logs_to_file("r", "x.zip"), int)
        assert_type(client.scenarios.scorers.retrieve("x"), ScenarioScorerView)
        assert_type(client.benchmarks.definitions("b"), SyncPage[ScenarioView])
        assert_type(client.benchmarks.update_scenarios("b"), BenchmarkView)
        assert_type(client.benchmark_runs.complete("b"), BenchmarkRunView)
        assert_type(client.benchmark_jobs.retrieve("j"), BenchmarkJobView)
        assert_type(client.devboxes.await_running("d"), DevboxView)
        assert_type(client.with_options(max_retries=0), Runloop)
        assert_type(client.close(), None)
        page = client.scenarios.runs.list(state="scored")
        assert_type(page.runs, list[ScenarioRunView])
        assert_type(page.get_next_page(), SyncPage[ScenarioRunView])
        assert_type(page.next_page_info(), PageInfo | None)
        assert_type(page.to_list(max_items=3), list[ScenarioRunView])
        for run in page:
            assert_type(run, ScenarioRunView)
        assert_type(client.benchmark_runs.list().runs, list[BenchmarkRunView])
        assert_type(client.benchmarks.list().benchmarks, list[BenchmarkView])
        assert_type(client.benchmark_jobs.list().jobs, list[BenchmarkJobView])
        assert_type(client.scenarios.scorers.list().scorers, list[ScenarioScorerView])
        page.benchmarks  # E: a page of runs has no benchmarks
        client.scenarios.list().runs  # E: a page of scenarios has no runs
        client.scenarios.retrieve("s", timeout=3, max_retries=1)
        client.scenarios.retrieve("s", not_an_option=1)  # E: unexpected keyword
        client.scenarios.runs.await_scored(1)  # E: wrong type

    async def check_async(client: AsyncRunloop) -> None:
        first = await client.scenarios.runs.list()
        assert_type(first, Page[ScenarioRunView])
        assert_type(first.runs, list[ScenarioRunView])
        assert_type(await first.get_next_page(), Page[ScenarioRunView])
        async for later in first.iter_pages():
            assert_type(later, Page[ScenarioRunView])
        async for item in first:
            assert_type(item, ScenarioRunView)
        first.scenarios  # E: a page of runs has no scenarios
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
