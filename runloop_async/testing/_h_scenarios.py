"""Handlers: scenarios (3.1)."""

from __future__ import annotations

from typing import Any

from . import _validate as v
from ._errors import bad_request, invalid_state
from ._paging import matches_search, page_body, page_params
from ._router import Ctx, Router
from ._runs import new_run
from ._state import State

__all__ = ["check_requirements", "new_scenario", "register", "run_profile"]

_VALIDATION_TYPES = frozenset({"UNSPECIFIED", "FORWARD", "REVERSE", "EVALUATION"})


def _input_context(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise bad_request("input_context: expected object")
    statement = v.req_str(value, "problem_statement", "input_context.", blank=True)
    return {"problem_statement": statement, "additional_context": value.get("additional_context")}


def _validation_type(value: Any) -> Any:
    if value is v.MISSING or value is None:
        return value
    if value == "":
        return None  # "pass in empty string to clear"
    if value not in _VALIDATION_TYPES:
        raise bad_request(f"validation_type: unknown value {value!r}")
    return value


def _contract(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise bad_request("scoring_contract: expected object")
    fns = value.get("scoring_function_parameters")
    if fns is None:
        raise bad_request("scoring_contract.scoring_function_parameters: field required")
    v.scoring_functions(fns, "scoring_contract.scoring_function_parameters")
    return {"scoring_function_parameters": fns}


def new_scenario(state: State, body: dict[str, Any], *, public: bool = False) -> dict[str, Any]:
    """Validate a ScenarioCreateParameters body and store the ScenarioView."""
    name = v.req_str(body, "name")
    if "input_context" not in body:
        raise bad_request("input_context: field required")
    if "scoring_contract" not in body:
        raise bad_request("scoring_contract: field required")
    timeout = v.opt_int(body, "scorer_timeout_sec")
    view: dict[str, Any] = {
        "id": state.new_id("scn"),
        "name": name,
        "input_context": _input_context(body["input_context"]),
        "scoring_contract": _contract(body["scoring_contract"]),
        "metadata": _or_none(v.opt_str_map(body, "metadata")) or {},
        "status": "active",
        "environment": _or_none(v.opt_object(body, "environment_parameters")),
        "is_public": public,
        "reference_output": _or_none(v.opt_str(body, "reference_output")),
        "required_environment_variables": _or_none(
            v.opt_str_list(body, "required_environment_variables")
        ),
        "required_secret_names": _or_none(v.opt_str_list(body, "required_secret_names")),
        "scorer_timeout_sec": 1800 if timeout in (v.MISSING, None) else timeout,
        "validation_type": _or_none(_validation_type(body.get("validation_type", v.MISSING))),
    }
    return state.scenarios.add(view["id"], view)


def _or_none(value: Any) -> Any:
    return None if value is v.MISSING else value


def _create(ctx: Ctx) -> Any:
    return new_scenario(ctx.state, v.body_object(ctx.body))


def _retrieve(ctx: Ctx) -> Any:
    return ctx.state.scenario(ctx.params["id"])


def _update(ctx: Ctx) -> Any:
    scenario = ctx.state.scenario(ctx.params["id"])
    if scenario["status"] == "archived":
        raise invalid_state(f"scenario {scenario['id']} is archived and cannot be updated")
    body = v.body_object(ctx.body)
    changes = _update_changes(scenario, body)
    scenario.update(changes)
    return scenario


def _update_changes(scenario: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if body.get("name") is not None:
        changes["name"] = v.req_str(body, "name")
    simple = {
        "environment": v.opt_object(body, "environment_parameters"),
        "metadata": v.opt_str_map(body, "metadata"),
        "reference_output": v.opt_str(body, "reference_output"),
        "required_environment_variables": v.opt_str_list(body, "required_environment_variables"),
        "required_secret_names": v.opt_str_list(body, "required_secret_names"),
        "scorer_timeout_sec": v.opt_int(body, "scorer_timeout_sec"),
    }
    changes.update({k: val for k, val in simple.items() if val not in (v.MISSING, None)})
    vtype = body.get("validation_type")
    if vtype is not None:
        changes["validation_type"] = _validation_type(vtype)
    context = v.opt_object(body, "input_context")
    if context not in (v.MISSING, None):
        merged = dict(scenario["input_context"])
        given = {k: val for k, val in context.items() if val is not None}
        merged.update(
            {k: given[k] for k in ("problem_statement", "additional_context") if k in given}
        )
        changes["input_context"] = _input_context(merged)
    contract = v.opt_object(body, "scoring_contract")
    if (
        contract not in (v.MISSING, None)
        and contract.get("scoring_function_parameters") is not None
    ):
        changes["scoring_contract"] = _contract(contract)
    return changes


def _archive(ctx: Ctx) -> Any:
    scenario = ctx.state.scenario(ctx.params["id"])
    scenario["status"] = "archived"
    return scenario


def _list(ctx: Ctx, *, public: bool) -> Any:
    query = ctx.query
    params = page_params(query)
    name, search = query.get("name"), query.get("search")
    members: set[str] | None = None
    if not public and query.get("benchmark_id"):
        bench = ctx.state.benchmarks.get(query["benchmark_id"])
        members = set(bench["scenarioIds"]) if bench is not None else set()
    vtype = None if public else query.get("validation_type")

    def keep(s: dict[str, Any]) -> bool:
        return (
            bool(s["is_public"]) == public
            and s["status"] == "active"
            and (name is None or s["name"] == name)
            and matches_search(search, s["id"], s["name"])
            and (members is None or s["id"] in members)
            and (vtype is None or s["validation_type"] == vtype)
        )

    page, has_more, total = ctx.state.scenarios.page(params, keep)
    return page_body("scenarios", page, has_more, total)


def run_profile(body: dict[str, Any]) -> dict[str, Any]:
    """The validated ``runProfile`` of a start_run body (``{}`` when absent)."""
    profile = v.opt_object(body, "runProfile")
    if profile in (v.MISSING, None):
        return {}
    return {
        "envVars": _or_none(v.opt_str_map(profile, "envVars", "runProfile.")),
        "secrets": _or_none(v.opt_str_map(profile, "secrets", "runProfile.")),
        "launchParameters": _or_none(v.opt_object(profile, "launchParameters", "runProfile.")),
        "purpose": _or_none(v.opt_str(profile, "purpose", "runProfile.")),
    }


def check_requirements(item: dict[str, Any], profile: dict[str, Any], kind: str) -> None:
    """400 unless the run profile provides every required env var and secret."""
    provided = (profile.get("envVars") or {}, profile.get("secrets") or {})
    wanted = (item.get("required_environment_variables"), item.get("required_secret_names"))
    for label, have, need in zip(("environment variable", "secret"), provided, wanted, strict=True):
        missing = [n for n in need or [] if n not in have]
        if missing:
            raise bad_request(f"{kind} requires {label}s that were not provided: {missing}")


def _start_run(ctx: Ctx) -> Any:
    state, body = ctx.state, v.body_object(ctx.body)
    scenario = state.scenario(v.req_str(body, "scenario_id"))
    if scenario["status"] == "archived":
        raise invalid_state(f"scenario {scenario['id']} is archived and cannot be run")
    bench_run_id = _or_none(v.opt_str(body, "benchmark_run_id"))
    if bench_run_id is not None:
        bench_run = state.bench_run(bench_run_id)
        if bench_run.state != "running":
            raise invalid_state(f"benchmark run {bench_run_id} is {bench_run.state}")
    profile = run_profile(body)
    check_requirements(scenario, profile, "scenario")
    run = new_run(
        state,
        scenario,
        benchmark_run_id=bench_run_id,
        metadata=_or_none(v.opt_str_map(body, "metadata")),
        name=_or_none(v.opt_str(body, "run_name")),
        profile=profile,
    )
    return run.view()


def register(router: Router) -> None:
    """Add the scenario routes."""
    router.add("POST", "/v1/scenarios", _create)
    router.add("GET", "/v1/scenarios", lambda ctx: _list(ctx, public=False))
    router.add("GET", "/v1/scenarios/list_public", lambda ctx: _list(ctx, public=True))
    router.add("POST", "/v1/scenarios/start_run", _start_run)
    router.add("GET", "/v1/scenarios/{id}", _retrieve)
    router.add("POST", "/v1/scenarios/{id}", _update)
    router.add("POST", "/v1/scenarios/{id}/archive", _archive)
