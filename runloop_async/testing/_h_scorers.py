"""Handlers: custom scorers (3.3)."""

from __future__ import annotations

from typing import Any

from . import _validate as v
from ._errors import not_found
from ._paging import matches_search, page_body, page_params
from ._router import Ctx, Router
from ._state import State

__all__ = ["register"]


def _fields(body: Any) -> dict[str, str]:
    obj = v.body_object(body)
    return {
        "bash_script": v.req_str(obj, "bash_script", blank=True),
        "type": v.req_str(obj, "type"),
    }


def _get(state: State, id_: str) -> dict[str, Any]:
    found = state.scorers.get(id_)
    if found is None:
        raise not_found("scorer", id_)
    return found


def _create(ctx: Ctx) -> Any:
    view = {"id": ctx.state.new_id("sco"), **_fields(ctx.body)}
    return ctx.state.scorers.add(view["id"], view)


def _update(ctx: Ctx) -> Any:
    scorer = _get(ctx.state, ctx.params["id"])
    scorer.update(_fields(ctx.body))
    return scorer


def _list(ctx: Ctx) -> Any:
    params, search = page_params(ctx.query), ctx.query.get("search")
    page, has_more, total = ctx.state.scorers.page(
        params, lambda s: matches_search(search, s["id"], s["type"])
    )
    return page_body("scorers", page, has_more, total)


def register(router: Router) -> None:
    """Add the custom scorer routes."""
    router.add("POST", "/v1/scenarios/scorers", _create)
    router.add("GET", "/v1/scenarios/scorers", _list)
    router.add("GET", "/v1/scenarios/scorers/{id}", lambda c: _get(c.state, c.params["id"]))
    router.add("POST", "/v1/scenarios/scorers/{id}", _update)
