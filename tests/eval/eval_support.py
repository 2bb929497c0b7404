"""Helpers for evaluation tests: benchmarks on the emulator and runs in chosen states."""

from __future__ import annotations

from typing import Any

from runloop_async import AsyncRunloop, ScenarioResult


def seed_benchmark(emu: Any, commands: list[str], prefix: str = "e") -> tuple[str, list[str]]:
    """A benchmark with one scenario per scorer command (``FAIL`` scores 0.0)."""
    ids = [emu.add_scenario(f"{prefix}{i}", command=c)["id"] for i, c in enumerate(commands)]
    return emu.add_benchmark(f"bench-{prefix}", scenario_ids=ids)["id"], ids


async def finish(client: AsyncRunloop, run_id: str, how: str) -> None:
    """Take a running run to ``completed`` (scored), ``canceled``, or leave it ``running``."""
    if how == "completed":
        await client.scenarios.runs.score_and_await(run_id, timeout=10)
        await client.scenarios.runs.complete(run_id)
    elif how == "canceled":
        await client.scenarios.runs.cancel(run_id)


async def start(
    client: AsyncRunloop, scenario_id: str, brun_id: str, how: str, **extra: Any
) -> str:
    """Start a run of ``scenario_id`` in ``brun_id`` and take it to ``how``."""
    run = await client.scenarios.start_run(
        scenario_id=scenario_id, benchmark_run_id=brun_id, **extra
    )
    await client.devboxes.await_running(run.devbox_id, timeout=10)
    await finish(client, run.id, how)
    return run.id


def comparable(rows: list[ScenarioResult]) -> list[tuple[Any, ...]]:
    """The fields two sources of the same runs agree on."""
    return [
        (r.scenario_id, r.scenario_name, r.run_id, r.state, r.score, r.outcome, r.attempt)
        for r in rows
    ]


def spec_rows(spec: str, *, run: str = "r") -> list[ScenarioResult]:
    """``"A:P B:FF C:PE"``: scenario A passed once, B failed twice, C passed then errored."""
    out = []
    for item in spec.split():
        sid, outs = item.split(":")
        for n, o in enumerate(outs, 1):
            done = o in "PF"
            out.append(ScenarioResult(
                scenario_id=sid, scenario_name=f"name-{sid}", run_id=f"{run}-{sid}-{n}",
                state="completed" if done else "failed", score={"P": 1.0, "F": 0.25}.get(o),
                attempt=n, duration_s=float(n),
            ))  # fmt: skip
    return out
