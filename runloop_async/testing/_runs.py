"""Scenario run and devbox lifecycle (contract section 5.1 and 4.7).

``running --score--> scoring --(scoring_delay)--> scored --complete--> completed``;
``cancel`` from running/scoring/scored; failed/timeout when an outcome is forced.
Every run owns one devbox that boots ``provisioning -> initializing -> running``
over ``devbox_boot_delay`` and is shut down when the run ends.
"""

from __future__ import annotations

from typing import Any

from ._errors import invalid_state
from ._records import Devbox, Run
from ._state import State

__all__ = [
    "BOOTING",
    "TERMINAL_RUN_STATES",
    "cancel_run",
    "complete_run",
    "finish_scoring",
    "new_run",
    "score_run",
    "scoring_result",
    "shutdown_devbox",
]

BOOTING = frozenset({"provisioning", "initializing"})
TERMINAL_RUN_STATES = frozenset({"completed", "canceled", "timeout", "failed"})


def new_run(
    state: State,
    scenario: dict[str, Any],
    *,
    benchmark_run_id: str | None = None,
    metadata: dict[str, str] | None = None,
    name: str | None = None,
    profile: dict[str, Any] | None = None,
    booted: bool = False,
) -> Run:
    """Create a running scenario run and its (booting) devbox."""
    profile = profile or {}
    now = state.now()
    ms = state.wall_ms(now)
    run = Run(
        id=state.new_id("scr"),
        scenario_id=scenario["id"],
        devbox_id=state.new_id("dbx"),
        start_ms=ms,
        metadata=dict(metadata or {}),
        benchmark_run_id=benchmark_run_id,
        name=name,
        purpose=profile.get("purpose"),
        env_vars=profile.get("envVars"),
        secrets=profile.get("secrets"),
    )
    state.runs.add(run.id, run)
    if benchmark_run_id is not None:
        state.runs_of_bench.setdefault(benchmark_run_id, []).append(run)
    env = scenario.get("environment") or {}
    launch = profile.get("launchParameters") or env.get("launch_parameters") or {}
    devbox = Devbox(
        id=run.devbox_id,
        run_id=run.id,
        create_ms=ms,
        launch_parameters=dict(launch),
        blueprint_id=env.get("blueprint_id"),
        snapshot_id=env.get("snapshot_id"),
    )
    state.devboxes.add(devbox.id, devbox)
    devbox.move("provisioning", ms)
    _boot(state, devbox, now, immediate=booted)
    return run


def _boot(state: State, devbox: Devbox, now: float, *, immediate: bool) -> None:
    delay = 0.0 if immediate else state.config.devbox_boot_delay
    if delay <= 0:
        devbox.move("initializing", devbox.create_ms)
        _boot_done(state, devbox.id, now)
        return
    devbox_id = devbox.id
    state.schedule_at(now + delay / 2, lambda due: _initializing(state, devbox_id, due))
    state.schedule_at(now + delay, lambda due: _boot_done(state, devbox_id, due))


def _initializing(state: State, devbox_id: str, due: float) -> None:
    devbox = state.devboxes.get(devbox_id)
    if devbox is not None and devbox.status == "provisioning":
        devbox.move("initializing", state.wall_ms(due))


def _boot_done(state: State, devbox_id: str, due: float) -> None:
    devbox = state.devboxes.get(devbox_id)
    if devbox is None or devbox.status not in BOOTING:
        return
    run = state.runs.get(devbox.run_id)
    keys = state.run_keys(run) if run is not None else (devbox.run_id,)
    outcome = state.forced(state.devbox_forces, devbox.id, *keys) or "running"
    ms = state.wall_ms(due)
    if outcome == "stuck":
        return
    if devbox.status == "provisioning":
        devbox.move("initializing", ms)
    if outcome == "failure":
        devbox.failure_reason = "execution_failed"
        devbox.move("failure", ms, "execution_failed")
        if run is not None and run.state not in TERMINAL_RUN_STATES:
            _end(state, run, "failed", ms, shut=False)
        return
    devbox.move("running", ms)


def shutdown_devbox(state: State, devbox: Devbox, ms: int) -> None:
    """Shut a devbox down (``api_shutdown``) unless it already ended."""
    if devbox.status in ("shutdown", "failure"):
        return
    devbox.shutdown_reason = "api_shutdown"
    devbox.move("shutdown", ms)
    state.changed()


def _end(state: State, run: Run, final: str, ms: int, *, shut: bool = True) -> None:
    run.state = final
    run.duration_ms = max(0, ms - run.start_ms)
    devbox = state.devboxes.get(run.devbox_id)
    if shut and devbox is not None:
        shutdown_devbox(state, devbox, ms)
    state.changed()


def score_run(state: State, run: Run) -> None:
    """``running -> scoring``; scoring finishes after ``scoring_delay``."""
    if run.state != "running":
        raise invalid_state(f"scenario run {run.id} is {run.state}; only a running run is scored")
    run.state = "scoring"
    run_id = run.id
    due = state.now() + max(0.0, state.config.scoring_delay)
    state.schedule_at(due, lambda at: finish_scoring(state, run_id, at))
    state.changed()


def finish_scoring(state: State, run_id: str, due: float) -> None:
    """End scoring: scored (with a result), or a forced failed/timeout."""
    run = state.runs.get(run_id)
    if run is None or run.state != "scoring":
        return
    outcome = state.forced(state.scoring_forces, *state.run_keys(run)) or "scored"
    if outcome == "stuck":
        return
    if outcome in ("failed", "timeout"):
        _end(state, run, outcome, state.wall_ms(due))
        return
    run.result = scoring_result(state, state.scenario(run.scenario_id))
    run.state = "scored"
    state.changed()


def complete_run(state: State, run: Run) -> None:
    """``running|scored -> completed`` and shut the devbox down."""
    if run.state not in ("running", "scored"):
        raise invalid_state(f"scenario run {run.id} is {run.state}; cannot complete it")
    _end(state, run, "completed", state.wall_ms())


def cancel_run(state: State, run: Run) -> None:
    """``running|scoring|scored -> canceled`` and shut the devbox down."""
    if run.state not in ("running", "scoring", "scored"):
        raise invalid_state(f"scenario run {run.id} is {run.state}; cannot cancel it")
    _end(state, run, "canceled", state.wall_ms())


def scoring_result(state: State, scenario: dict[str, Any]) -> dict[str, Any]:
    """A deterministic ScoringContractResultView for ``scenario``.

    A function scores 0.0 if its scorer text contains ``FAIL``, 0.5 if it contains
    ``PARTIAL``, else 1.0; the total is the weighted sum, clamped to [0, 1]. A score
    chosen with ``set_score`` or drawn from a pass probability (``_outcomes``) replaces
    the total and every function's score.
    """
    functions = scenario["scoring_contract"]["scoring_function_parameters"]
    results: list[dict[str, Any]] = []
    total = 0.0
    for fn in functions:
        score = _function_score(_scorer_text(state, fn.get("scorer") or {}))
        total += float(fn.get("weight") or 0.0) * score
        results.append(
            {
                "scoring_function_name": fn["name"],
                "score": score,
                "output": f"{fn['name']}: score={score}\n",
                "state": "complete",
            }
        )
    total = min(1.0, max(0.0, round(total, 12)))
    chosen = state.scoring_plan.score_for(scenario, state.config.seed)
    if chosen is not None:  # set_score / set_pass_probability override the contract
        total = chosen
        for item in results:
            item["score"], item["output"] = (
                chosen,
                f"{item['scoring_function_name']}: score={chosen}\n",
            )
    return {"score": total, "scoring_function_results": results}


def _function_score(text: str) -> float:
    if "FAIL" in text:
        return 0.0
    if "PARTIAL" in text:
        return 0.5
    return 1.0


def _scorer_text(state: State, scorer: dict[str, Any]) -> str:
    parts = [str(v) for k, v in scorer.items() if k != "type" and v is not None]
    kind = scorer.get("custom_scorer_type")
    if kind is not None:
        parts.extend(s["bash_script"] for s in state.scorers.values() if s["type"] == kind)
    return "\n".join(parts)
