"""Quickstart: the main job on the embedded emulator.

Starts the bundled Runloop API emulator on loopback, creates a scenario, starts 20
runs, scores them concurrently, lists every run through the pager and prints a table.

    python examples/quickstart.py
"""

from __future__ import annotations

import anyio

from runloop_async import (
    AsyncRunloop,
    CommandScorer,
    InputContext,
    ScoringContract,
    ScoringFunction,
)
from runloop_async.testing import Emulator, EmulatorConfig


async def score_one(client: AsyncRunloop, run_id: str, limiter: anyio.CapacityLimiter) -> None:
    async with limiter:
        await client.scenarios.runs.score_and_await(run_id)


async def main() -> None:
    async with (
        Emulator(EmulatorConfig(scoring_delay=0.2, devbox_boot_delay=0.1)) as emu,
        AsyncRunloop(bearer_token=emu.api_key, base_url=emu.base_url) as client,
    ):
        scenario = await client.scenarios.create(
            name="fix-the-parser",
            input_context=InputContext(problem_statement="Make the parser tests pass."),
            scoring_contract=ScoringContract(
                scoring_function_parameters=[
                    ScoringFunction(
                        name="tests", scorer=CommandScorer(command="pytest -q"), weight=1.0
                    )
                ]
            ),
        )
        runs = [
            await client.scenarios.start_run(scenario_id=scenario.id, run_name=f"attempt-{i}")
            for i in range(20)
        ]
        limiter = anyio.CapacityLimiter(10)
        async with anyio.create_task_group() as tg:
            for run in runs:
                tg.start_soon(score_one, client, run.id, limiter)

        print(f"{'run id':<28} {'name':<12} {'state':<10} score")
        count = 0
        async for run in client.scenarios.runs.list(scenario_id=scenario.id, limit=8):
            score = "-" if run.score is None else f"{run.score:.2f}"
            print(f"{run.id:<28} {run.name or '':<12} {run.state:<10} {score}")
            count += 1
        print(f"{count} runs listed across pages of 8")
        if count != len(runs):
            raise SystemExit(f"expected {len(runs)} runs, listed {count}")


if __name__ == "__main__":
    anyio.run(main)
