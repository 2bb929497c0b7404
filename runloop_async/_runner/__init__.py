"""The benchmark runner: run an agent over hundreds of scenarios, safely and resumably."""

from __future__ import annotations

from ._agent import Agent, AgentContext
from ._blocking import run_benchmark_sync
from ._events import EventCallback, EventKind, RunnerEvent, RunnerProgress
from ._options import RunnerOptions
from ._results import BenchmarkResult, Outcome, ScenarioResult, Totals
from ._runner import BenchmarkRunner, run_benchmark
from ._shard import ResumePlan, Shard, parse_shard, plan_resume, select_shard

__all__ = [
    "Agent",
    "AgentContext",
    "BenchmarkResult",
    "BenchmarkRunner",
    "EventCallback",
    "EventKind",
    "Outcome",
    "ResumePlan",
    "RunnerEvent",
    "RunnerOptions",
    "RunnerProgress",
    "ScenarioResult",
    "Shard",
    "Totals",
    "parse_shard",
    "plan_resume",
    "run_benchmark",
    "run_benchmark_sync",
    "select_shard",
]
