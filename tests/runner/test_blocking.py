"""The blocking twin of the runner."""

from __future__ import annotations

import threading
from typing import Any

import anyio.from_thread
import pytest

from runloop_async import (
    AgentContext,
    InvalidArgumentError,
    Runloop,
    RunnerOptions,
    run_benchmark_sync,
)


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


def test_run_benchmark_sync_on_an_existing_client_with_an_options_object(
    runloop_emulator: Any,
) -> None:
    ids = [runloop_emulator.add_scenario(f"c{i}")["id"] for i in range(2)]
    bench = runloop_emulator.add_benchmark("existing", scenario_ids=ids)
    options = RunnerOptions(benchmark_id=bench["id"], concurrency=1)
    with Runloop(runloop_emulator.api_key, runloop_emulator.base_url) as client:
        result = run_benchmark_sync(lambda ctx: None, options, client=client)
        assert result.ok
        assert client.benchmarks.retrieve(bench["id"]).id == bench["id"]  # left open
        with pytest.raises(InvalidArgumentError, match="not both"):
            run_benchmark_sync(lambda ctx: None, options, client=client, max_retries=1)
    again = run_benchmark_sync(
        lambda ctx: None, options, benchmark_run_id=result.benchmark_run_id,
        bearer_token=runloop_emulator.api_key, base_url=runloop_emulator.base_url,
        max_retries=2, timeout=10.0, default_headers={"x-trace": "1"},
    )  # fmt: skip
    assert again.totals.resumed == 2
    assert runloop_emulator.requests[-1].headers.get("x-trace") == "1"
    with pytest.raises(InvalidArgumentError, match="unknown runner option"):
        run_benchmark_sync(lambda ctx: None, options, concurency=3)
