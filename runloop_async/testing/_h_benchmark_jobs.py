"""Handlers: benchmark jobs (3.6), orchestrated on the emulator's timers."""

from __future__ import annotations

from typing import Any

from . import _validate as v
from ._bench import schedule_job
from ._errors import bad_request, invalid_state, not_found
from ._paging import matches_search, page_body, page_params
from ._records import Job
from ._router import Ctx, Router
from ._state import State

__all__ = ["register"]


def _agent_configs(spec: dict[str, Any]) -> list[dict[str, Any]]:
    agents = spec.get("agent_configs")
    if not isinstance(agents, list) or not agents:
        raise bad_request("spec.agent_configs: at least one agent config is required")
    for index, agent in enumerate(agents):
        where = f"spec.agent_configs[{index}]."
        if not isinstance(agent, dict):
            raise bad_request(f"{where[:-1]}: expected object")
        if agent.get("type") != "job_agent":
            raise bad_request(f"{where}type: expected 'job_agent'")
        v.req_str(agent, "name", where)
        v.opt_str(agent, "model_name", where)
    return [dict(a) for a in agents]


def _orchestrator(spec: dict[str, Any]) -> Any:
    value = v.opt_object(spec, "orchestrator_config", "spec.")
    return None if value is v.MISSING else value


def _from_spec(state: State, spec: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(default name, job_source, job_spec) for one spec variant."""
    kind = spec.get("type")
    if kind == "harbor":
        yaml = v.req_str(spec, "inline_yaml", "spec.")
        empty: dict[str, Any] = {
            "agent_configs": [],
            "scenario_ids": [],
            "orchestrator_config": None,
        }
        return "harbor-job", {"type": "harbor", "inline_yaml": yaml}, empty
    if kind == "benchmark":
        bench = state.benchmarks.get(v.req_str(spec, "benchmark_id", "spec."))
        if bench is None:
            raise not_found("benchmark", str(spec["benchmark_id"]))
        if bench["status"] == "archived":
            raise invalid_state(f"benchmark {bench['id']} is archived and cannot be run")
        source = {"type": "benchmark", "benchmark_id": bench["id"], "benchmark_name": bench["name"]}
        ids = list(bench["scenarioIds"])
        name = bench["name"]
    elif kind == "scenarios":
        ids = v.opt_str_list(spec, "scenario_ids", "spec.")
        if ids in (v.MISSING, None):
            raise bad_request("spec.scenario_ids: field required")
        for id_ in ids:
            if id_ not in state.scenarios:
                raise bad_request(f"spec.scenario_ids: unknown scenario id {id_!r}")
        source = {"type": "scenarios", "scenario_ids": list(ids)}
        name = f"scenarios-{len(ids)}"
    else:
        raise bad_request("spec.type: exactly one of harbor, benchmark, scenarios must be set")
    job_spec = {
        "agent_configs": _agent_configs(spec),
        "scenario_ids": ids,
        "orchestrator_config": _orchestrator(spec),
    }
    return name, source, job_spec


def _create(ctx: Ctx) -> Any:
    state, body = ctx.state, v.body_object(ctx.body)
    spec = v.opt_object(body, "spec")
    if spec in (v.MISSING, None):
        raise bad_request("spec: exactly one spec type must be set")
    default_name, source, job_spec = _from_spec(state, spec)
    job_id = state.new_id("bmj")
    name = v.opt_str(body, "name")
    if name in (v.MISSING, None) or not name.strip():
        name = f"{default_name}-{job_id[-6:]}"
    job = Job(id=job_id, name=name, create_ms=state.wall_ms(), source=source, spec=job_spec)
    state.jobs.add(job.id, job)
    schedule_job(state, job)
    return job.view()


def _retrieve(ctx: Ctx) -> Any:
    job = ctx.state.jobs.get(ctx.params["id"])
    if job is None:
        raise not_found("benchmark job", ctx.params["id"])
    return job.view()


def _list(ctx: Ctx) -> Any:
    params = page_params(ctx.query)
    name, search = ctx.query.get("name"), ctx.query.get("search")

    def keep(job: Job) -> bool:
        return (name is None or job.name == name) and matches_search(search, job.id, job.name)

    page, has_more, total = ctx.state.jobs.page(params, keep)
    return page_body("jobs", [j.view() for j in page], has_more, total)


def register(router: Router) -> None:
    """Add the benchmark job routes."""
    router.add("POST", "/v1/benchmark_jobs", _create)
    router.add("GET", "/v1/benchmark_jobs", _list)
    router.add("GET", "/v1/benchmark_jobs/{id}", _retrieve)
