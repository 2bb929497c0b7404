"""Handlers: scenario runs (3.2)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from ._errors import bad_request
from ._paging import matches_search, page_body, page_params
from ._records import Run
from ._router import Answer, Ctx, Router
from ._runs import cancel_run, complete_run, score_run

__all__ = ["RUN_STATES", "register", "runs_page"]

RUN_STATES = frozenset(
    {"running", "scoring", "scored", "completed", "canceled", "timeout", "failed"}
)


def runs_page(ctx: Ctx, *, bench_run_id: str | None, strict_state: bool = False) -> Any:
    """A page of scenario runs with the usual filters."""
    query = ctx.query
    params = page_params(query)
    state_filter = query.get("state")
    if strict_state and state_filter is not None and state_filter not in RUN_STATES:
        raise bad_request(f"state: unknown scenario run state {state_filter!r}")
    name, search = query.get("name"), query.get("search")
    scenario_id = query.get("scenario_id")
    bench = bench_run_id if bench_run_id is not None else query.get("benchmark_run_id")

    def keep(run: Run) -> bool:
        return (
            (state_filter is None or run.state == state_filter)
            and (bench is None or run.benchmark_run_id == bench)
            and (scenario_id is None or run.scenario_id == scenario_id)
            and (name is None or run.name == name)
            and matches_search(search, run.id, run.name)
        )

    page, has_more, total = ctx.state.runs.page(params, keep)
    return page_body("runs", [r.view() for r in page], has_more, total)


def _run_action(action: str) -> Any:
    def handler(ctx: Ctx) -> Any:
        run = ctx.state.run(ctx.params["id"])
        _ACTIONS[action](ctx.state, run)
        return run.view()

    return handler


_ACTIONS = {"score": score_run, "complete": complete_run, "cancel": cancel_run}


def _download_logs(ctx: Ctx) -> Answer:
    run = ctx.state.run(ctx.params["id"])
    buffer = io.BytesIO()
    lines = [
        f"scenario run {run.id} (scenario {run.scenario_id}) on devbox {run.devbox_id}",
        f"state: {run.state}",
        f"score: {run.score}",
    ]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{run.id}/devbox.log", "\n".join(lines) + "\n")
    return Answer(200, buffer.getvalue(), "application/zip")


def _retrieve(ctx: Ctx) -> Any:
    return ctx.state.run(ctx.params["id"]).view()


def register(router: Router) -> None:
    """Add the scenario run routes."""
    router.add("GET", "/v1/scenarios/runs", lambda ctx: runs_page(ctx, bench_run_id=None))
    router.add("GET", "/v1/scenarios/runs/{id}", _retrieve)
    for action in _ACTIONS:
        router.add("POST", f"/v1/scenarios/runs/{{id}}/{action}", _run_action(action))
    router.add("POST", "/v1/scenarios/runs/{id}/download_logs", _download_logs)
