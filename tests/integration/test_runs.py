"""Scenario runs over loopback: state machine, scoring, listing, logs."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from runloop_async import (
    AsyncRunloop,
    BadRequestError,
    CommandScorer,
    InputContext,
    ScenarioRunState,
    ScoringContract,
    ScoringFailedError,
    ScoringFunction,
    WaitTimeoutError,
)

pytestmark = pytest.mark.anyio


async def scenario_id(client: AsyncRunloop, command: str = "pytest", name: str = "s") -> str:
    scenario = await client.scenarios.create(
        name=name,
        input_context=InputContext(problem_statement="p"),
        scoring_contract=ScoringContract(
            scoring_function_parameters=[
                ScoringFunction(name="tests", scorer=CommandScorer(command=command), weight=1.0)
            ]
        ),
    )
    return scenario.id


async def test_score_and_complete_walks_the_state_machine(client: AsyncRunloop) -> None:
    run = await client.scenarios.start_run(scenario_id=await scenario_id(client))
    scoring = await client.scenarios.runs.score(run.id)
    assert scoring.state in (ScenarioRunState.SCORING, ScenarioRunState.SCORED)
    scored = await client.scenarios.runs.await_scored(run.id, timeout=10)
    assert scored.state == ScenarioRunState.SCORED
    assert scored.score == 1.0
    result = scored.scoring_contract_result
    assert result is not None
    assert result.scoring_function_results[0].scoring_function_name == "tests"
    done = await client.scenarios.runs.complete(run.id)
    assert done.state == ScenarioRunState.COMPLETED
    assert done.score == 1.0  # kept after completion
    with pytest.raises(BadRequestError):
        await client.scenarios.runs.score(run.id)


async def test_score_and_complete_helper_returns_completed_view(client: AsyncRunloop) -> None:
    run = await client.scenarios.start_run(scenario_id=await scenario_id(client, "FAIL"))
    done = await client.scenarios.runs.score_and_complete(run.id, timeout=10)
    assert done.state == ScenarioRunState.COMPLETED
    assert done.score == 0.0


async def test_cancel_and_invalid_transitions(client: AsyncRunloop) -> None:
    run = await client.scenarios.start_run(scenario_id=await scenario_id(client))
    canceled = await client.scenarios.runs.cancel(run.id)
    assert canceled.state == ScenarioRunState.CANCELED
    with pytest.raises(BadRequestError):
        await client.scenarios.runs.complete(run.id)
    with pytest.raises(BadRequestError):
        await client.scenarios.runs.cancel(run.id)


async def test_scoring_failure_raises_typed_error_with_last_view(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    sid = await scenario_id(client)
    runloop_emulator.force_scoring_outcome(sid, "failed")
    run = await client.scenarios.start_run(scenario_id=sid)
    with pytest.raises(ScoringFailedError) as info:
        await client.scenarios.runs.score_and_await(run.id, timeout=10)
    assert info.value.last.id == run.id
    assert info.value.last.state == "failed"


async def test_await_scored_deadline(client: AsyncRunloop) -> None:
    run = await client.scenarios.start_run(scenario_id=await scenario_id(client))
    with pytest.raises(WaitTimeoutError) as info:  # never scored: stays running
        await client.scenarios.runs.await_scored(run.id, timeout=0.3)
    assert info.value.last.state == ScenarioRunState.RUNNING


async def test_list_filters(client: AsyncRunloop) -> None:
    a, b = await scenario_id(client, name="a"), await scenario_id(client, name="b")
    runs_a = [await client.scenarios.start_run(scenario_id=a) for _ in range(3)]
    await client.scenarios.start_run(scenario_id=b)
    await client.scenarios.runs.cancel(runs_a[0].id)
    listed = [r.id async for r in client.scenarios.runs.list(scenario_id=a, limit=2)]
    assert listed == [r.id for r in runs_a]
    canceled = [r.id async for r in client.scenarios.runs.list(state="canceled")]
    assert canceled == [runs_a[0].id]


async def test_paging_over_more_than_5000_runs(client: AsyncRunloop, runloop_emulator: Any) -> None:
    runloop_emulator.seed_runs(5123)
    first = await client.scenarios.runs.list(limit=5000)
    assert len(first.items) == 5000
    assert first.has_more is True
    assert first.total_count == 5123
    ids = [r.id async for r in client.scenarios.runs.list(limit=5000)]
    assert len(ids) == 5123
    assert len(set(ids)) == 5123
    queries = [r.query for r in runloop_emulator.requests if r.path == "/v1/scenarios/runs"]
    assert queries[-1]["limit"] == "5000"
    assert queries[-1]["starting_after"] == ids[4999]


async def test_download_logs_in_memory_and_streamed(client: AsyncRunloop, tmp_path: Path) -> None:
    run = await client.scenarios.start_run(scenario_id=await scenario_id(client))
    archive = await client.scenarios.runs.download_logs(run.id)
    with zipfile.ZipFile(io.BytesIO(archive.read())) as zf:
        assert zf.namelist()
    target = tmp_path / "logs.zip"
    written = await client.scenarios.runs.download_logs_to_file(run.id, target)
    assert written == target.stat().st_size == len(archive)
    assert zipfile.is_zipfile(target)
