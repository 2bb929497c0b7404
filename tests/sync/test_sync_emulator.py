"""The blocking client over loopback against the emulator (its own thread and loop)."""

from __future__ import annotations

import asyncio
import gc
import io
import signal
import threading
import time
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from runloop_async import (
    BadRequestError,
    BenchmarkJobState,
    BenchmarkRunState,
    ClientClosedError,
    CommandScorer,
    DevboxStatus,
    InputContext,
    JobAgentConfig,
    NotFoundError,
    RetryConfig,
    Runloop,
    ScenarioRunState,
    ScenariosJobCreateSpec,
    ScoringContract,
    ScoringFunction,
    SyncPage,
)

FAST_RETRY = RetryConfig(max_retries=3, initial_delay=0.01, max_delay=0.05)


@pytest.fixture
def client(runloop_emulator: Any) -> Iterator[Runloop]:
    with Runloop(runloop_emulator.api_key, runloop_emulator.base_url, retry=FAST_RETRY) as c:
        yield c


def new_scenario(client: Runloop, name: str = "s") -> str:
    return client.scenarios.create(
        name=name,
        input_context=InputContext(problem_statement="fix it"),
        scoring_contract=ScoringContract(
            scoring_function_parameters=[
                ScoringFunction(name="tests", scorer=CommandScorer(command="pytest"), weight=1.0)
            ]
        ),
    ).id


def polls_of(emulator: Any, run_id: str) -> int:
    return sum(1 for r in emulator.requests if r.path == f"/v1/scenarios/runs/{run_id}")


def test_scenarios_runs_and_scorers(client: Runloop, tmp_path: Path) -> None:
    sid = new_scenario(client, "alpha")
    assert client.scenarios.retrieve(sid).name == "alpha"
    assert client.scenarios.update(sid, name="beta").name == "beta"
    listed = client.scenarios.list(limit=10)
    assert isinstance(listed, SyncPage)
    assert sid in [s.id for s in listed]
    assert isinstance(client.scenarios.list_public().to_list(), list)

    ready = client.scenarios.start_run_and_await_env_ready(sid, run_name="r1", timeout=10)
    assert client.devboxes.await_running(ready.devbox_id, timeout=10).status == "running"
    assert client.scenarios.runs.retrieve(ready.id).name == "r1"
    scored = client.scenarios.runs.score_and_await(ready.id, timeout=10)
    assert scored.state == ScenarioRunState.SCORED
    archive = client.scenarios.runs.download_logs(ready.id)
    assert zipfile.ZipFile(io.BytesIO(archive.read())).namelist()
    written = client.scenarios.runs.download_logs_to_file(ready.id, tmp_path / "logs.zip")
    assert written == (tmp_path / "logs.zip").stat().st_size > 0
    assert client.scenarios.runs.complete(ready.id).state == ScenarioRunState.COMPLETED

    run = client.scenarios.start_run(scenario_id=sid)
    client.scenarios.runs.score(run.id)
    assert client.scenarios.runs.await_scored(run.id, timeout=10).state == "scored"
    other = client.scenarios.start_run(scenario_id=sid)
    done = client.scenarios.runs.score_and_complete(other.id, timeout=10)
    assert done.state == ScenarioRunState.COMPLETED
    canceled = client.scenarios.start_run(scenario_id=sid)
    assert client.scenarios.runs.cancel(canceled.id).state == ScenarioRunState.CANCELED
    with pytest.raises(BadRequestError):
        client.scenarios.runs.cancel(canceled.id)
    ids = {r.id for r in client.scenarios.runs.list(scenario_id=sid, limit=2)}
    assert {ready.id, run.id, other.id, canceled.id} <= ids

    scorer = client.scenarios.scorers.create(bash_script="echo 1.0", type="always_one")
    assert client.scenarios.scorers.retrieve(scorer.id).type == "always_one"
    updated = client.scenarios.scorers.update(scorer.id, bash_script="echo 0.5", type="half")
    assert updated.type == "half"
    assert scorer.id in [s.id for s in client.scenarios.scorers.list()]

    assert client.scenarios.archive(sid).id == sid
    assert sid not in [s.id for s in client.scenarios.list()]
    with pytest.raises(NotFoundError):
        client.scenarios.retrieve("scn_missing")


def test_benchmarks_runs_jobs_and_devboxes(client: Runloop) -> None:
    sids = [new_scenario(client, f"s{i}") for i in range(3)]
    bench = client.benchmarks.create(name="bench", scenario_ids=sids[:2])
    assert client.benchmarks.retrieve(bench.id).name == "bench"
    assert client.benchmarks.update(bench.id, description="d").description == "d"
    bench = client.benchmarks.update_scenarios(bench.id, scenarios_to_add=[sids[2]])
    assert set(bench.scenario_ids) == set(sids)
    assert bench.id in [b.id for b in client.benchmarks.list()]
    assert isinstance(client.benchmarks.list_public().items, list)
    assert {s.id for s in client.benchmarks.definitions(bench.id, limit=1)} == set(sids)

    brun = client.benchmarks.start_run(benchmark_id=bench.id, run_name="b1")
    assert client.benchmark_runs.retrieve(brun.id).state == BenchmarkRunState.RUNNING
    srun = client.scenarios.start_run(scenario_id=sids[0], benchmark_run_id=brun.id)
    client.scenarios.runs.score_and_complete(srun.id, timeout=10)
    assert [r.id for r in client.benchmark_runs.list_scenario_runs(brun.id)] == [srun.id]
    assert brun.id in [r.id for r in client.benchmark_runs.list(benchmark_id=bench.id)]
    completed = client.benchmark_runs.complete(brun.id)
    assert completed.state == BenchmarkRunState.COMPLETED
    assert client.benchmark_runs.await_completed(brun.id, timeout=10).id == brun.id
    other = client.benchmarks.start_run(benchmark_id=bench.id)
    assert client.benchmark_runs.cancel(other.id).state == BenchmarkRunState.CANCELED

    job = client.benchmark_jobs.create(
        name="job",
        spec=ScenariosJobCreateSpec(scenario_ids=sids, agent_configs=[JobAgentConfig(name="a")]),
    )
    assert client.benchmark_jobs.retrieve(job.id).id == job.id
    assert job.id in [j.id for j in client.benchmark_jobs.list()]
    finished = client.benchmark_jobs.await_completed(job.id, timeout=10)
    assert finished.state == BenchmarkJobState.COMPLETED

    devbox_id = client.scenarios.start_run(scenario_id=sids[0]).devbox_id
    view = client.devboxes.wait_for_status(devbox_id, statuses=["running"], timeout_seconds=5)
    assert view.status == DevboxStatus.RUNNING
    assert client.devboxes.retrieve(devbox_id).id == devbox_id


def test_sixteen_threads_share_one_client(client: Runloop, runloop_emulator: Any) -> None:
    sid = new_scenario(client)
    errors: list[BaseException] = []
    done: list[int] = []

    def worker(n: int) -> None:
        try:
            for _ in range(5):
                run = client.scenarios.start_run(scenario_id=sid)
                assert client.scenarios.runs.retrieve(run.id).id == run.id
                client.scenarios.runs.cancel(run.id)
            done.append(n)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(done) == list(range(16))
    assert len(client.scenarios.runs.list(scenario_id=sid, limit=100).to_list()) == 80


def test_a_call_from_inside_a_running_event_loop(client: Runloop) -> None:
    sid = new_scenario(client)

    async def cell() -> str:
        return client.scenarios.retrieve(sid).id

    assert asyncio.run(cell()) == sid


def test_early_break_from_a_sync_pager(client: Runloop, runloop_emulator: Any) -> None:
    runloop_emulator.seed_runs(50)
    before = len(runloop_emulator.requests)
    seen = []
    for run in client.scenarios.runs.list(limit=5):
        seen.append(run.id)
        if len(seen) == 7:
            break
    time.sleep(0.2)
    pages = [r for r in runloop_emulator.requests[before:] if r.path == "/v1/scenarios/runs"]
    assert len(pages) == 2
    assert len(runloop_emulator.requests) == before + 2
    assert client._loop._futures == set()


def test_ctrl_c_stops_a_long_wait_at_once(client: Runloop, runloop_emulator: Any) -> None:
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    run = client.scenarios.start_run(scenario_id=new_scenario(client))  # never scored

    def press_ctrl_c() -> None:
        deadline = time.monotonic() + 5
        while polls_of(runloop_emulator, run.id) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)

    presser = threading.Thread(target=press_ctrl_c)
    presser.start()
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        client.scenarios.runs.await_scored(run.id, timeout=None)
    assert time.monotonic() - start < 5
    presser.join()
    time.sleep(0.3)
    polls = polls_of(runloop_emulator, run.id)
    time.sleep(1.0)  # the wait polls every 0.25 s or more: it must have stopped
    assert polls_of(runloop_emulator, run.id) == polls
    assert client.scenarios.runs.retrieve(run.id).state == ScenarioRunState.RUNNING


def test_close_while_calls_are_in_flight(runloop_emulator: Any) -> None:
    client = Runloop(runloop_emulator.api_key, runloop_emulator.base_url, retry=FAST_RETRY)
    sid = new_scenario(client)
    runs = [client.scenarios.start_run(scenario_id=sid).id for _ in range(6)]
    outcomes: list[str] = []

    def waiter(run_id: str) -> None:
        try:
            client.scenarios.runs.await_scored(run_id, timeout=None)
            outcomes.append("finished")
        except ClientClosedError:
            outcomes.append("closed")

    def lister() -> None:
        try:
            while True:
                client.scenarios.runs.list(limit=1)
        except ClientClosedError:
            outcomes.append("closed")

    threads = [threading.Thread(target=waiter, args=(r,)) for r in runs]
    threads += [threading.Thread(target=lister) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    start = time.monotonic()
    client.close()
    for t in threads:
        t.join(5)
        assert not t.is_alive()
    assert time.monotonic() - start < 5
    assert outcomes == ["closed"] * 10


def test_no_warnings_and_no_leftover_threads(runloop_emulator: Any, tmp_path: Path) -> None:
    before = set(threading.enumerate())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            with Runloop(runloop_emulator.api_key, runloop_emulator.base_url) as client:
                sid = new_scenario(client)
                run = client.scenarios.start_run(scenario_id=sid)
                client.devboxes.await_running(run.devbox_id, timeout=10)
                client.scenarios.runs.score_and_complete(run.id, timeout=10)
                client.scenarios.runs.download_logs_to_file(run.id, tmp_path / "l.zip")
                client.with_options(timeout=5).scenarios.list().to_list()
        gc.collect()
    assert [str(w.message) for w in caught] == []
    leftover = set(threading.enumerate()) - before
    assert leftover == set()
