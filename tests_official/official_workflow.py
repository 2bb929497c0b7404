"""Drive the official runloop-api-client 1.32.0 against our standalone emulator.

Run by ``nox -s official`` in its own environment. Any failure here is an emulator
bug (or a documented deviation of the real API).
"""

from __future__ import annotations

import subprocess
import sys

from runloop_api_client import Runloop
from runloop_api_client.lib.polling import PollingConfig


def start_emulator() -> tuple[subprocess.Popen[str], str, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "runloop_async.testing", "--port", "0",
         "--scoring-delay", "0.2", "--devbox-boot-delay", "0.3"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    env: dict[str, str] = {}
    while len(env) < 2:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("emulator exited before printing its address")
        key, _, value = line.strip().partition("=")
        env[key] = value
    return proc, env["RUNLOOP_BASE_URL"], env["RUNLOOP_API_KEY"]


def workflow(client: Runloop) -> None:
    scorer = client.scenarios.scorers.create(bash_script="echo score=1.0", type="official_scorer")
    assert client.scenarios.scorers.retrieve(scorer.id).type == "official_scorer"
    contract = {
        "scoring_function_parameters": [
            {"name": "custom", "weight": 1.0,
             "scorer": {"type": "custom_scorer", "custom_scorer_type": "official_scorer"}},
        ]
    }  # fmt: skip
    scenario_ids = [
        client.scenarios.create(
            name=f"official-{i}", input_context={"problem_statement": "p"},
            scoring_contract=contract,  # type: ignore[arg-type]
        ).id
        for i in range(3)
    ]  # fmt: skip
    benchmark = client.benchmarks.create(name="official-bench", scenario_ids=scenario_ids)
    assert client.benchmarks.retrieve(benchmark.id).scenario_ids == scenario_ids
    bench_run = client.benchmarks.start_run(benchmark_id=benchmark.id, run_name="official")
    polling = PollingConfig(interval_seconds=0.1, max_attempts=200)
    for scenario_id in scenario_ids:
        run = client.scenarios.start_run_and_await_env_ready(
            scenario_id=scenario_id, benchmark_run_id=bench_run.id, polling_config=polling
        )
        scored = client.scenarios.runs.score_and_await(run.id, polling_config=polling)
        assert scored.state == "scored", scored.state
        assert scored.scoring_contract_result is not None
        done = client.scenarios.runs.complete(run.id)
        assert done.state == "completed"
    every = list(client.scenarios.runs.list(limit=2))
    assert len(every) == 3, len(every)
    in_run = list(client.benchmark_runs.list_scenario_runs(bench_run.id, limit=1))
    assert len(in_run) == 3
    assert len(list(client.scenarios.list(limit=1))) == 3
    finished = client.benchmark_runs.complete(bench_run.id)
    assert finished.state == "completed"
    assert finished.score == 1.0, finished.score


def main() -> None:
    proc, base_url, key = start_emulator()
    try:
        with Runloop(bearer_token=key, base_url=base_url, max_retries=2) as client:
            workflow(client)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print("official runloop-api-client 1.32.0 workflow: OK")


if __name__ == "__main__":
    main()
