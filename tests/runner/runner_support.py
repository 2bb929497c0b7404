"""Helpers for runner and CLI tests: scenario and benchmark builders, leak checks."""

from __future__ import annotations

from collections.abc import Sequence

import anyio

from runloop_async import (
    AgentContext,
    AsyncRunloop,
    CommandScorer,
    DevboxStatus,
    InputContext,
    ScenarioRunState,
    ScoringContract,
    ScoringFunction,
)


async def ok_agent(ctx: AgentContext) -> None:
    """An agent that works for 10 ms."""
    await anyio.sleep(0.01)


async def make_scenario(client: AsyncRunloop, name: str, command: str = "pytest") -> str:
    """A scenario scored 1.0 (``pytest``), 0.5 (``PARTIAL``) or 0.0 (``FAIL``)."""
    view = await client.scenarios.create(
        name=name,
        input_context=InputContext(problem_statement=f"solve {name}"),
        scoring_contract=ScoringContract(
            scoring_function_parameters=[
                ScoringFunction(name="t", scorer=CommandScorer(command=command), weight=1.0)
            ]
        ),
    )
    return view.id


async def make_benchmark(
    client: AsyncRunloop, commands: Sequence[str], prefix: str = "s"
) -> tuple[str, list[str]]:
    """A benchmark with one scenario per command, named ``{prefix}{i}``."""
    ids = [await make_scenario(client, f"{prefix}{i}", cmd) for i, cmd in enumerate(commands)]
    bench = await client.benchmarks.create(name=f"bench-{prefix}-{len(ids)}", scenario_ids=ids)
    return bench.id, ids


async def assert_nothing_running(client: AsyncRunloop) -> None:
    """No scenario run holds a devbox: none running/scoring/scored, all devboxes down."""
    runs = [r async for r in client.scenarios.runs.list(limit=1000)]
    live = {ScenarioRunState.RUNNING, ScenarioRunState.SCORING, ScenarioRunState.SCORED}
    assert [(r.id, r.state) for r in runs if r.state in live] == []
    for run in runs:
        devbox = await client.devboxes.retrieve(run.devbox_id)
        assert devbox.status in (DevboxStatus.SHUTDOWN, DevboxStatus.FAILURE), (run, devbox)
