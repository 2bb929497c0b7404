"""One scenario run with the async client: score_and_complete, a failing scorer."""

import asyncio

from corpus_helpers import FAST, scenario_fields
from runloop_api_client import AsyncRunloop, RunloopError


async def main() -> None:
    async with AsyncRunloop() as client:
        good = await client.scenarios.create(**scenario_fields("async-good"))
        run = await client.scenarios.start_run_and_await_env_ready(good.id, polling_config=FAST)
        final = await client.scenarios.runs.score_and_complete(run.id, polling_config=FAST)
        assert final.state == "completed", final.state
        assert final.scoring_contract_result.score == 1.0

        bad = await client.scenarios.create(**scenario_fields("async-bad", command="FAIL"))
        run = await client.scenarios.start_run_and_await_env_ready(bad.id, polling_config=FAST)
        scored = await client.scenarios.runs.score_and_await(run.id, polling_config=FAST)
        assert scored.scoring_contract_result.score == 0.0
        canceled = await client.scenarios.runs.cancel(run.id)
        assert canceled.state == "canceled"
        try:
            await client.scenarios.runs.score(run.id)
        except RunloopError as exc:  # a canceled run cannot be scored
            assert exc.status_code == 400, exc.status_code
        else:
            raise AssertionError("scoring a canceled run should fail")
    print("OK scored_run_async")


asyncio.run(main())
