"""Handlers: benchmarks (3.4)."""

from __future__ import annotations

from typing import Any

from . import _validate as v
from ._bench import new_bench_run
from ._errors import bad_request, invalid_state
from ._h_scenarios import check_requirements, run_profile
from ._paging import matches_search, page_body, page_params, paginate
from ._router import Ctx, Router
from ._state import State

__all__ = ["new_benchmark", "register"]

_LISTS = ("required_environment_variables", "required_secret_names")
_TEXTS = ("attribution", "description")


def _scenario_ids(state: State, body: dict[str, Any], key: str) -> Any:
    ids = v.opt_str_list(body, key)
    if ids in (v.MISSING, None):
        return ids
    for id_ in ids:
        if id_ not in state.scenarios:
            raise bad_request(f"{key}: unknown scenario id {id_!r}")
    return list(dict.fromkeys(ids))


def new_benchmark(state: State, body: dict[str, Any], *, public: bool = False) -> dict[str, Any]:
    """Validate a BenchmarkCreateParameters body and store the BenchmarkView."""
    name = v.req_str(body, "name")
    view: dict[str, Any] = {"id": state.new_id("bmd"), "name": name}
    view["metadata"] = _none(v.opt_str_map(body, "metadata")) or {}
    view["scenarioIds"] = _none(_scenario_ids(state, body, "scenario_ids")) or []
    view["status"] = "active"
    for key in _TEXTS:
        view[key] = _none(v.opt_str(body, key))
    view["is_public"] = public
    for key in _LISTS:
        view[key] = _none(v.opt_str_list(body, key))
    return state.benchmarks.add(view["id"], view)


def _none(value: Any) -> Any:
    return None if value is v.MISSING else value


def _active(state: State, id_: str, doing: str) -> dict[str, Any]:
    bench = state.benchmark(id_)
    if bench["status"] == "archived":
        raise invalid_state(f"benchmark {id_} is archived and cannot be {doing}")
    return bench


def _update(ctx: Ctx) -> Any:
    bench = _active(ctx.state, ctx.params["id"], "updated")
    body = v.body_object(ctx.body)
    changes: dict[str, Any] = {}
    if body.get("name") is not None:
        changes["name"] = v.req_str(body, "name")
    found = {key: v.opt_str(body, key) for key in _TEXTS}
    found.update({key: v.opt_str_list(body, key) for key in _LISTS})
    found["metadata"] = v.opt_str_map(body, "metadata")
    found["scenarioIds"] = _scenario_ids(ctx.state, body, "scenario_ids")
    changes.update({k: val for k, val in found.items() if val not in (v.MISSING, None)})
    bench.update(changes)
    return bench


def _update_scenarios(ctx: Ctx) -> Any:
    bench = _active(ctx.state, ctx.params["id"], "updated")
    body = v.body_object(ctx.body)
    add = _none(_scenario_ids(ctx.state, body, "scenarios_to_add")) or []
    remove = set(_none(v.opt_str_list(body, "scenarios_to_remove")) or [])
    ids = [i for i in bench["scenarioIds"] if i not in remove]
    ids.extend(i for i in add if i not in ids and i not in remove)
    bench["scenarioIds"] = ids
    return bench


def _list(ctx: Ctx, *, public: bool) -> Any:
    params = page_params(ctx.query)
    name, search = ctx.query.get("name"), ctx.query.get("search")

    def keep(b: dict[str, Any]) -> bool:
        return (
            bool(b["is_public"]) == public
            and b["status"] == "active"
            and (name is None or b["name"] == name)
            and matches_search(search, b["id"], b["name"])
        )

    page, has_more, total = ctx.state.benchmarks.page(params, keep)
    return page_body("benchmarks", page, has_more, total)


def _definitions(ctx: Ctx) -> Any:
    bench = ctx.state.benchmark(ctx.params["id"])
    params = page_params(ctx.query, total_param=False)
    ids: list[str] = bench["scenarioIds"]
    start = 0
    if params.starting_after is not None:
        if params.starting_after not in ids:
            raise bad_request("starting_after: not a scenario of this benchmark")
        start = ids.index(params.starting_after) + 1
    scenarios = [ctx.state.scenario(i) for i in ids]
    page, has_more, total = paginate(scenarios, start, params, lambda s: True)
    return page_body("scenarios", page, has_more, total)


def _start_run(ctx: Ctx) -> Any:
    body = v.body_object(ctx.body)
    bench = _active(ctx.state, v.req_str(body, "benchmark_id"), "run")
    profile = run_profile(body)
    check_requirements(bench, profile, "benchmark")
    run = new_bench_run(
        ctx.state,
        benchmark_id=bench["id"],
        name=_none(v.opt_str(body, "run_name")),
        metadata=_none(v.opt_str_map(body, "metadata")),
        profile=profile,
    )
    return run.view()


def register(router: Router) -> None:
    """Add the benchmark routes."""
    router.add("POST", "/v1/benchmarks", lambda c: new_benchmark(c.state, v.body_object(c.body)))
    router.add("GET", "/v1/benchmarks", lambda ctx: _list(ctx, public=False))
    router.add("GET", "/v1/benchmarks/list_public", lambda ctx: _list(ctx, public=True))
    router.add("POST", "/v1/benchmarks/start_run", _start_run)
    router.add("GET", "/v1/benchmarks/{id}", lambda ctx: ctx.state.benchmark(ctx.params["id"]))
    router.add("POST", "/v1/benchmarks/{id}", _update)
    router.add("GET", "/v1/benchmarks/{id}/definitions", _definitions)
    router.add("POST", "/v1/benchmarks/{id}/scenarios", _update_scenarios)
