"""The benchmark runner: an agent over every scenario of a benchmark, in one call.

Runs against the embedded emulator, so it needs no API key. Against the real API,
drop the Emulator and use ``AsyncRunloop()`` (RUNLOOP_API_KEY) and a real benchmark id.

    python examples/benchmark_runner.py
"""

from __future__ import annotations

import anyio

from runloop_async import (
    AgentContext,
    AsyncRunloop,
    CommandScorer,
    InputContext,
    RunnerEvent,
    ScoringContract,
    ScoringFunction,
    run_benchmark,
)
from runloop_async.testing import Emulator


async def agent(ctx: AgentContext) -> None:
    """Your agent: read ctx.problem_statement, work on the devbox ctx.devbox_id."""
    await anyio.sleep(0.05)
    if "unsolvable" in ctx.problem_statement:
        raise RuntimeError("could not produce a patch")


def on_event(event: RunnerEvent) -> None:
    if event.kind in ("completed", "failed"):
        print(f"{event.scenario_name:<12} {event.kind:<10} score={event.score} {event.error or ''}")


async def main() -> None:
    async with Emulator() as emu, AsyncRunloop(emu.api_key, emu.base_url) as client:
        ids = []
        for i, (command, task) in enumerate(
            [("pytest", "fix it"), ("pytest # PARTIAL", "fix it"), ("pytest", "unsolvable")] * 4
        ):
            scenario = await client.scenarios.create(
                name=f"task-{i:02d}",
                input_context=InputContext(problem_statement=task),
                scoring_contract=ScoringContract(
                    scoring_function_parameters=[
                        ScoringFunction(
                            name="tests", scorer=CommandScorer(command=command), weight=1.0
                        )
                    ]
                ),
            )
            ids.append(scenario.id)
        bench = await client.benchmarks.create(name="example", scenario_ids=ids)

        result = await run_benchmark(
            client, agent, benchmark_id=bench.id, concurrency=50, on_event=on_event
        )
        print(result.summary())
        print(result.to_csv())


if __name__ == "__main__":
    anyio.run(main)
