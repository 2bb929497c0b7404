"""The blocking twin of the runner."""

from __future__ import annotations

import threading
from typing import Any

import anyio.from_thread

from runloop_async import AgentContext, run_benchmark_sync


def test_run_benchmark_sync_from_plain_code(runloop_emulator: Any) -> None:
    ids = [runloop_emulator.add_scenario(f"b{i}", command=c)["id"] for i, c in
           enumerate(["true", "FAIL", "true"])]  # fmt: skip
    bench = runloop_emulator.add_benchmark("blocking", scenario_ids=ids)
    caller = threading.get_ident()
    statuses: list[str] = []

    def agent(ctx: AgentContext) -> None:
        assert threading.get_ident() != caller
        statuses.append(anyio.from_thread.run(ctx.client.devboxes.retrieve, ctx.devbox_id).status)

    result = run_benchmark_sync(
        agent, bearer_token=runloop_emulator.api_key, base_url=runloop_emulator.base_url,
        benchmark_id=bench["id"], concurrency=2,
    )  # fmt: skip
    assert [r.outcome for r in result.rows] == ["passed", "failed", "passed"]
    assert statuses == ["running"] * 3
    assert result.benchmark_run.state == "completed"
