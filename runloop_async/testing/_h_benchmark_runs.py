"""Handlers: benchmark runs (3.5)."""

from __future__ import annotations

from typing import Any

from ._bench import cancel_bench_run, complete_bench_run
from ._h_runs import runs_page
from ._paging import matches_search, page_body, page_params
from ._records import BenchmarkRun
from ._router import Ctx, Router

__all__ = ["register"]


def _list(ctx: Ctx) -> Any:
    query = ctx.query
    params = page_params(query)
    bench_id, name, search = query.get("benchmark_id"), query.get("name"), query.get("search")
    state_filter = query.get("state")

    def keep(r: BenchmarkRun) -> bool:
        return (
            (bench_id is None or r.benchmark_id == bench_id)
            and (name is None or r.name == name)
            and (state_filter is None or r.state == state_filter)
            and matches_search(search, r.id, r.name)
        )

    page, has_more, total = ctx.state.bench_runs.page(params, keep)
    return page_body("runs", [r.view() for r in page], has_more, total)


def _action(ctx: Ctx, complete: bool) -> Any:
    run = ctx.state.bench_run(ctx.params["id"])
    (complete_bench_run if complete else cancel_bench_run)(ctx.state, run)
    return run.view()


def _scenario_runs(ctx: Ctx) -> Any:
    run = ctx.state.bench_run(ctx.params["id"])
    return runs_page(ctx, bench_run_id=run.id, strict_state=True)


def register(router: Router) -> None:
    """Add the benchmark run routes."""
    router.add("GET", "/v1/benchmark_runs", _list)
    router.add("GET", "/v1/benchmark_runs/{id}", lambda c: c.state.bench_run(c.params["id"]).view())
    router.add("POST", "/v1/benchmark_runs/{id}/cancel", lambda c: _action(c, False))
    router.add("POST", "/v1/benchmark_runs/{id}/complete", lambda c: _action(c, True))
    router.add("GET", "/v1/benchmark_runs/{id}/scenario_runs", _scenario_runs)
