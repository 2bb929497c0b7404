"""Benchmarks and benchmark runs: create, update, definitions, run, list runs, complete."""

from corpus_helpers import FAST, scenario_fields
from runloop_api_client import Runloop

client = Runloop()
ids = [client.scenarios.create(**scenario_fields(f"b{i}")).id for i in range(3)]
benchmark = client.benchmarks.create(name="suite", scenario_ids=ids[:2], metadata={"v": "1"})
assert benchmark.scenario_ids == ids[:2]
benchmark = client.benchmarks.update_scenarios(benchmark.id, scenarios_to_add=[ids[2]])
assert set(benchmark.scenario_ids) == set(ids)
assert client.benchmarks.update(benchmark.id, description="three").description == "three"
assert client.benchmarks.retrieve(benchmark.id).name == "suite"
assert benchmark.id in [b.id for b in client.benchmarks.list()]

definitions = client.benchmarks.definitions(benchmark.id)
assert {s.id for s in definitions.scenarios} == set(ids)

bench_run = client.benchmarks.start_run(benchmark_id=benchmark.id, run_name="nightly")
assert bench_run.state == "running"
for scenario_id in ids:
    run = client.scenarios.start_run_and_await_env_ready(
        scenario_id=scenario_id, benchmark_run_id=bench_run.id, polling_config=FAST
    )
    client.scenarios.runs.score_and_complete(run.id, polling_config=FAST)

runs = list(client.benchmark_runs.list_scenario_runs(bench_run.id, limit=2))
assert len(runs) == 3 and all(r.state == "completed" for r in runs)
listed = client.benchmark_runs.list(benchmark_id=benchmark.id)
assert [r.id for r in listed.runs] == [bench_run.id]
finished = client.benchmark_runs.complete(bench_run.id)
assert finished.state == "completed"
assert finished.score == 1.0
assert client.benchmark_runs.retrieve(bench_run.id).state == "completed"

other = client.benchmarks.start_run(benchmark_id=benchmark.id)
assert client.benchmark_runs.cancel(other.id).state == "canceled"
client.close()
print("OK benchmarks")
