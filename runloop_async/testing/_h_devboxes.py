"""Handlers: the devbox slice (3.7): retrieve, shutdown, wait_for_status."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from . import _validate as v
from ._errors import ApiError, bad_request, invalid_state
from ._router import Ctx, Router
from ._runs import shutdown_devbox

__all__ = ["register"]


def _shutdown(ctx: Ctx) -> Any:
    devbox = ctx.state.devbox(ctx.params["id"])
    if devbox.status in ("shutdown", "failure"):
        raise invalid_state(f"devbox {devbox.id} is already {devbox.status}")
    shutdown_devbox(ctx.state, devbox, ctx.state.wall_ms())
    return devbox.view()


def _wait_body(ctx: Ctx) -> tuple[frozenset[str], float]:
    body = v.body_object(ctx.body)
    statuses = v.opt_str_list(body, "statuses")
    if statuses in (v.MISSING, None) or not statuses:
        raise bad_request("statuses: a non-empty array of devbox statuses is required")
    timeout = v.opt_number(body, "timeout_seconds")
    hold = ctx.state.config.max_wait_hold
    if timeout not in (v.MISSING, None):
        hold = min(hold, max(0.0, float(timeout)))
    return frozenset(statuses), hold


async def _wait_for_status(ctx: Ctx) -> Any:
    """Hold until the devbox has one of ``statuses`` (200) or the hold ends (408)."""
    state = ctx.state
    with state.lock:
        statuses, hold = _wait_body(ctx)
    deadline = state.now() + hold
    while True:
        event = ctx.signal.current()
        state.tick()
        with state.lock:
            devbox = state.devbox(ctx.params["id"])
            if devbox.status in statuses:
                return devbox.view()
            next_due = state.next_due()
        now = state.now()
        if now >= deadline:
            raise ApiError(408, "request_timeout", f"devbox {devbox.id} is still {devbox.status}")
        wait = deadline - now if next_due is None else min(deadline, next_due) - now
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), max(0.0, wait) + 0.001)


def _retrieve(ctx: Ctx) -> Any:
    return ctx.state.devbox(ctx.params["id"]).view()


def register(router: Router) -> None:
    """Add the devbox routes."""
    router.add("GET", "/v1/devboxes/{id}", _retrieve)
    router.add("POST", "/v1/devboxes/{id}/shutdown", _shutdown)
    router.add("POST", "/v1/devboxes/{id}/wait_for_status", _wait_for_status)
