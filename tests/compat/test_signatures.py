"""Positional parameters match the official 1.32 SDK, method by method (issue 12, item 8).

The table was taken from runloop-api-client 1.32.0 with ``inspect.signature`` (the
positional parameters of the async client, without the per-call HTTP options), so a
1.x call that passes arguments by position ports unchanged. The blocking client takes
the same positions (its twins are kept equal by the parity test); the official sync
``start_run_and_await_env_ready`` is keyword-only, which ours also accepts.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from runloop_async import AsyncRunloop, Runloop

#: method path -> the official positional parameters, in order.
OFFICIAL_POSITIONAL: dict[str, tuple[str, ...]] = {
    "benchmark_jobs.create": (),
    "benchmark_jobs.list": (),
    "benchmark_jobs.retrieve": ("id",),
    "benchmark_runs.cancel": ("id",),
    "benchmark_runs.complete": ("id",),
    "benchmark_runs.list": (),
    "benchmark_runs.list_scenario_runs": ("id",),
    "benchmark_runs.retrieve": ("id",),
    "benchmarks.create": (),
    "benchmarks.definitions": ("id",),
    "benchmarks.list": (),
    "benchmarks.list_public": (),
    "benchmarks.retrieve": ("id",),
    "benchmarks.start_run": (),
    "benchmarks.update": ("id",),
    "benchmarks.update_scenarios": ("id",),
    "devboxes.await_running": ("id",),
    "devboxes.retrieve": ("id",),
    "scenarios.archive": ("id",),
    "scenarios.create": (),
    "scenarios.list": (),
    "scenarios.list_public": (),
    "scenarios.retrieve": ("id",),
    "scenarios.runs.await_scored": ("id",),
    "scenarios.runs.cancel": ("id",),
    "scenarios.runs.complete": ("id",),
    "scenarios.runs.download_logs": ("id",),
    "scenarios.runs.list": (),
    "scenarios.runs.retrieve": ("id",),
    "scenarios.runs.score": ("id",),
    "scenarios.runs.score_and_await": ("id",),
    "scenarios.runs.score_and_complete": ("id",),
    "scenarios.scorers.create": (),
    "scenarios.scorers.list": (),
    "scenarios.scorers.retrieve": ("id",),
    "scenarios.scorers.update": ("id",),
    "scenarios.start_run": (),
    "scenarios.start_run_and_await_env_ready": (
        "scenario_id",
        "benchmark_run_id",
        "metadata",
        "run_name",
        "run_profile",
        "polling_config",
    ),
    "scenarios.update": ("id",),
}


def _resolve(root: object, path: str) -> Any:
    for part in path.split("."):
        root = getattr(root, part)
    return root


def _positional(fn: Any) -> list[str]:
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [n for n, p in inspect.signature(fn).parameters.items() if p.kind in kinds]


@pytest.mark.parametrize("path", sorted(OFFICIAL_POSITIONAL))
def test_positional_parameters_match_the_official_sdk(path: str) -> None:
    async_client = AsyncRunloop("k", "http://127.0.0.1:9")
    with Runloop("k", "http://127.0.0.1:9") as client:
        for root in (async_client, client):
            ours = _positional(_resolve(root, path))
            expected = list(OFFICIAL_POSITIONAL[path])
            assert ours[: len(expected)] == expected, (type(root).__name__, path, ours)
            # Nothing more positional than the official SDK allows.
            assert len(ours) == len(expected), (type(root).__name__, path, ours)
