"""Benchmark runs (section 5.2) and server-orchestrated benchmark jobs (5.3)."""

from __future__ import annotations

from typing import Any

from ._errors import invalid_state
from ._records import BenchmarkRun, Job, Run
from ._runs import cancel_run, complete_run, new_run, scoring_result, shutdown_devbox
from ._state import State

__all__ = ["cancel_bench_run", "complete_bench_run", "new_bench_run", "schedule_job"]


def new_bench_run(
    state: State,
    *,
    benchmark_id: str | None,
    name: str | None,
    metadata: dict[str, str] | None,
    profile: dict[str, Any] | None,
) -> BenchmarkRun:
    """A running benchmark run (scenario runs join it via ``start_run``)."""
    profile = profile or {}
    run = BenchmarkRun(
        id=state.new_id("bmr"),
        start_ms=state.wall_ms(),
        metadata=dict(metadata or {}),
        benchmark_id=benchmark_id,
        name=name,
        purpose=profile.get("purpose"),
        env_vars=profile.get("envVars"),
        secrets=profile.get("secrets"),
    )
    state.bench_runs.add(run.id, run)
    state.runs_of_bench[run.id] = []
    return run


def _mean(scores: list[float], count: int) -> float | None:
    return None if count == 0 else sum(scores) / count


def complete_bench_run(state: State, run: BenchmarkRun) -> None:
    """``running -> completed``; score = sum of scenario scores / number of runs."""
    if run.state != "running":
        raise invalid_state(f"benchmark run {run.id} is {run.state}; cannot complete it")
    members = state.runs_of_bench.get(run.id, [])
    run.score = _mean([m.score or 0.0 for m in members], len(members))
    _finish(state, run, "completed")


def cancel_bench_run(state: State, run: BenchmarkRun) -> None:
    """Cancel running scenario runs, then ``-> canceled``, scored from completed runs."""
    if run.state != "running":
        raise invalid_state(f"benchmark run {run.id} is {run.state}; cannot cancel it")
    members = state.runs_of_bench.get(run.id, [])
    for member in members:
        if member.state in ("running", "scoring", "scored"):
            cancel_run(state, member)
    done = [m.score or 0.0 for m in members if m.state == "completed"]
    run.score = _mean(done, len(done))
    _finish(state, run, "canceled")


def _finish(state: State, run: BenchmarkRun, final: str) -> None:
    run.state = final
    run.duration_ms = max(0, state.wall_ms() - run.start_ms)
    state.changed()


# -- jobs ------------------------------------------------------------------


def schedule_job(state: State, job: Job) -> None:
    """Queue the job's steps: queued, running (runs created), then finished."""
    step = max(0.0, state.config.job_step_delay)
    start = state.now()
    job_id = job.id
    state.schedule_at(start + step, lambda due: _job_queued(state, job_id))
    state.schedule_at(start + 2 * step, lambda due: _job_running(state, job_id, due))
    state.schedule_at(start + 3 * step, lambda due: _job_finish(state, job_id, due))


def _job_queued(state: State, job_id: str) -> None:
    job = state.jobs.get(job_id)
    if job is not None and job.state == "initializing":
        job.state = "queued"


def _job_running(state: State, job_id: str, due: float) -> None:
    job = state.jobs.get(job_id)
    if job is None or job.state != "queued":
        return
    job.state = "running"
    ms = state.wall_ms(due)
    benchmark_id = job.source.get("benchmark_id")
    for agent in job.spec["agent_configs"]:
        bench_run = new_bench_run(
            state,
            benchmark_id=benchmark_id,
            name=f"{job.name} / {agent['name']}",
            metadata={"benchmark_job_id": job.id},
            profile=_agent_profile(agent),
        )
        bench_run.start_ms = ms
        job.run_ids.append(bench_run.id)
        for scenario_id in job.spec["scenario_ids"]:
            scenario = state.scenarios.get(scenario_id)
            if scenario is not None:
                new_run(state, scenario, benchmark_run_id=bench_run.id, booted=True)
        job.in_progress.append(
            {
                "benchmark_run_id": bench_run.id,
                "start_time_ms": ms,
                "state": "running",
                "duration_ms": None,
                "agent_config": dict(agent),
            }
        )


def _agent_profile(agent: dict[str, Any]) -> dict[str, Any]:
    env = agent.get("agent_environment") or {}
    return {"envVars": env.get("environment_variables"), "secrets": env.get("secrets")}


def _job_finish(state: State, job_id: str, due: float) -> None:
    job = state.jobs.get(job_id)
    if job is None or job.state != "running":
        return
    ms = state.wall_ms(due)
    agents = {a["name"]: a for a in job.spec["agent_configs"]}
    for entry in job.in_progress:
        bench_run = state.bench_run(entry["benchmark_run_id"])
        agent = agents.get(entry["agent_config"]["name"], {})
        job.outcomes.append(_bench_outcome(state, bench_run, agent, ms))
    job.in_progress = []
    forced = state.forced(state.job_forces, job.id, job.name)
    job.state = forced or "completed"
    if job.state != "completed":
        job.failure_reason = f"job ended {job.state} (forced by the emulator)"


def _bench_outcome(
    state: State, bench_run: BenchmarkRun, agent: dict[str, Any], ms: int
) -> dict[str, Any]:
    members = state.runs_of_bench.get(bench_run.id, [])
    outcomes = [_scenario_outcome(state, member, ms) for member in members]
    counts = {s: sum(1 for o in outcomes if o["state"] == s) for s in ("COMPLETED", "FAILED")}
    scores = [o["score"] for o in outcomes if o["state"] == "COMPLETED"]
    if bench_run.state == "running":
        bench_run.score = _mean(scores, len(members))
        bench_run.state = "completed"
        bench_run.duration_ms = max(0, ms - bench_run.start_ms)
    return {
        "agent_name": agent.get("name", ""),
        "benchmark_run_id": bench_run.id,
        "n_completed": counts["COMPLETED"],
        "n_failed": counts["FAILED"],
        "n_timeout": sum(1 for o in outcomes if o["state"] == "TIMEOUT"),
        "scenario_outcomes": outcomes,
        "average_score": _mean(scores, len(scores)),
        "duration_ms": bench_run.duration_ms,
        "model_name": agent.get("model_name"),
    }


def _scenario_outcome(state: State, run: Run, ms: int) -> dict[str, Any]:
    scenario = state.scenario(run.scenario_id)
    forced_box = state.forced(state.devbox_forces, run.devbox_id, *state.run_keys(run))
    forced_score = state.forced(state.scoring_forces, *state.run_keys(run))
    outcome: dict[str, Any] = {
        "scenario_definition_id": scenario["id"],
        "scenario_name": scenario["name"],
        "scenario_run_id": run.id,
        "duration_ms": max(0, ms - run.start_ms),
    }
    if run.state in ("running", "scored"):
        _settle_run(state, run, forced_box, forced_score, ms)
    outcome["state"] = _OUTCOME_STATE.get(run.state, "FAILED")
    if outcome["state"] == "COMPLETED":
        outcome["score"] = run.score
    elif outcome["state"] == "FAILED":
        outcome["failure_reason"] = {
            "exception_type": "DevboxFailure" if forced_box == "failure" else "ScoringFailure",
            "exception_message": f"scenario run ended {run.state}",
        }
    return outcome


_OUTCOME_STATE = {"completed": "COMPLETED", "timeout": "TIMEOUT", "canceled": "CANCELED"}


def _settle_run(
    state: State, run: Run, forced_box: str | None, forced_score: str | None, ms: int
) -> None:
    devbox = state.devbox(run.devbox_id)
    if forced_box == "failure" or forced_score in ("failed", "timeout"):
        run.state = "timeout" if forced_score == "timeout" else "failed"
        run.duration_ms = max(0, ms - run.start_ms)
        shutdown_devbox(state, devbox, ms)
        return
    if run.result is None:
        run.result = scoring_result(state, state.scenario(run.scenario_id))
        run.state = "scored"
    complete_run(state, run)
