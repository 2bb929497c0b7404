"""Score many runs at once with asyncio.gather and a semaphore (the usual 1.x pipeline)."""

import asyncio

from corpus_helpers import FAST, scenario_fields
from runloop_api_client import AsyncRunloop

N = 12


async def run_one(client, sem, scenario_id, benchmark_run_id):
    async with sem:
        run = await client.scenarios.start_run_and_await_env_ready(
            scenario_id=scenario_id, benchmark_run_id=benchmark_run_id, polling_config=FAST
        )
        scored = await client.scenarios.runs.score_and_complete(run.id, polling_config=FAST)
        return scored.scoring_contract_result.score


async def main() -> None:
    client = AsyncRunloop()
    try:
        commands = ["true"] * (N - 3) + ["FAIL"] * 3
        scenarios = await asyncio.gather(
            *(
                client.scenarios.create(**scenario_fields(f"c{i}", c))
                for i, c in enumerate(commands)
            )
        )
        benchmark = await client.benchmarks.create(
            name="concurrent", scenario_ids=[s.id for s in scenarios]
        )
        bench_run = await client.benchmarks.start_run(benchmark_id=benchmark.id)
        sem = asyncio.Semaphore(5)
        scores = await asyncio.gather(
            *(run_one(client, sem, s.id, bench_run.id) for s in scenarios)
        )
        assert sorted(scores) == [0.0] * 3 + [1.0] * (N - 3), scores
        finished = await client.benchmark_runs.complete(bench_run.id)
        assert finished.state == "completed"
        assert abs(finished.score - (N - 3) / N) < 1e-9, finished.score
    finally:
        await client.close()
    print("OK concurrent_scoring")


asyncio.run(main())
