"""Internal records for stateful resources, and their wire views (section 4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["BenchmarkRun", "Devbox", "Job", "Run"]


@dataclass(slots=True, eq=False)
class Devbox:
    """A devbox made for one scenario run."""

    id: str
    run_id: str
    create_ms: int
    launch_parameters: dict[str, Any]
    blueprint_id: str | None = None
    snapshot_id: str | None = None
    status: str = "provisioning"
    transitions: list[dict[str, Any]] = field(default_factory=list)
    end_ms: int | None = None
    failure_reason: str | None = None
    shutdown_reason: str | None = None

    def move(self, status: str, at_ms: int, reason: str | None = None) -> None:
        """Enter ``status`` at ``at_ms`` and record the transition."""
        self.status = status
        entry: dict[str, Any] = {"status": status, "transition_time_ms": at_ms}
        if reason is not None:
            entry["failure_reason"] = reason
        self.transitions.append(entry)
        if status in ("shutdown", "failure", "suspended"):
            self.end_ms = at_ms

    def view(self) -> dict[str, Any]:
        """DevboxView (section 4.7)."""
        return {
            "id": self.id,
            "status": self.status,
            "create_time_ms": self.create_ms,
            "capabilities": [],
            "launch_parameters": dict(self.launch_parameters),
            "metadata": {},
            "state_transitions": [dict(t) for t in self.transitions],
            "end_time_ms": self.end_ms,
            "failure_reason": self.failure_reason,
            "shutdown_reason": self.shutdown_reason,
            "initiator_type": "scenario",
            "initiator_id": self.run_id,
            "name": f"scenario-run-{self.run_id}",
            "blueprint_id": self.blueprint_id,
            "snapshot_id": self.snapshot_id,
            "tunnel": None,
            "gateway_specs": None,
            "mcp_specs": None,
        }


@dataclass(slots=True, eq=False)
class Run:
    """A scenario run."""

    id: str
    scenario_id: str
    devbox_id: str
    start_ms: int
    metadata: dict[str, str]
    benchmark_run_id: str | None = None
    name: str | None = None
    purpose: str | None = None
    env_vars: dict[str, str] | None = None
    secrets: dict[str, str] | None = None
    state: str = "running"
    result: dict[str, Any] | None = None
    duration_ms: int | None = None

    def view(self) -> dict[str, Any]:
        """ScenarioRunView (section 4.3)."""
        return {
            "id": self.id,
            "scenario_id": self.scenario_id,
            "devbox_id": self.devbox_id,
            "state": self.state,
            "metadata": dict(self.metadata),
            "benchmark_run_id": self.benchmark_run_id,
            "name": self.name,
            "scoring_contract_result": _copy_result(self.result),
            "start_time_ms": self.start_ms,
            "duration_ms": self.duration_ms,
            "purpose": self.purpose,
            "environment_variables": None if self.env_vars is None else dict(self.env_vars),
            "secrets_provided": None if self.secrets is None else dict(self.secrets),
        }

    @property
    def score(self) -> float | None:
        """The total score once scored, else None."""
        return None if self.result is None else float(self.result["score"])


def _copy_result(result: dict[str, Any] | None) -> dict[str, Any] | None:
    if result is None:
        return None
    functions = [dict(f) for f in result["scoring_function_results"]]
    return {"score": result["score"], "scoring_function_results": functions}


@dataclass(slots=True, eq=False)
class BenchmarkRun:
    """A benchmark run (from ``benchmarks.start_run`` or made by a job)."""

    id: str
    start_ms: int
    metadata: dict[str, str]
    benchmark_id: str | None = None
    name: str | None = None
    purpose: str | None = None
    env_vars: dict[str, str] | None = None
    secrets: dict[str, str] | None = None
    state: str = "running"
    score: float | None = None
    duration_ms: int | None = None

    def view(self) -> dict[str, Any]:
        """BenchmarkRunView (section 4.5)."""
        return {
            "id": self.id,
            "metadata": dict(self.metadata),
            "start_time_ms": self.start_ms,
            "state": self.state,
            "benchmark_id": self.benchmark_id,
            "duration_ms": self.duration_ms,
            "environment_variables": None if self.env_vars is None else dict(self.env_vars),
            "name": self.name,
            "purpose": self.purpose,
            "score": self.score,
            "secrets_provided": None if self.secrets is None else dict(self.secrets),
        }


@dataclass(slots=True, eq=False)
class Job:
    """A benchmark job: orchestrated server side over ``job_step_delay`` steps."""

    id: str
    name: str
    create_ms: int
    source: dict[str, Any]
    spec: dict[str, Any]
    state: str = "initializing"
    failure_reason: str | None = None
    in_progress: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    run_ids: list[str] = field(default_factory=list)

    def view(self) -> dict[str, Any]:
        """BenchmarkJobView (section 4.5)."""
        return {
            "id": self.id,
            "name": self.name,
            "create_time_ms": self.create_ms,
            "state": self.state,
            "benchmark_outcomes": _deep(self.outcomes),
            "failure_reason": self.failure_reason,
            "in_progress_runs": _deep(self.in_progress),
            "job_source": _deep(self.source),
            "job_spec": _deep(self.spec),
        }


def _deep(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _deep(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep(v) for v in value]
    return value
