"""Deterministic, realistic scenario-run payloads and the exact response bytes.

Runs look like the ones a scoring pipeline pulls: metadata, environment variables,
and (for most) a scoring result whose per-function outputs are ~500-byte logs.
5000 of them make a single page of about 12 MB of JSON, as in production.
"""

from __future__ import annotations

import json
import random
from typing import Any

__all__ = ["RUN_COUNT", "make_runs", "run_id", "scored_view"]

RUN_COUNT = 5000
_SEED = 20261123
_STATES = ("scored", "scored", "scored", "scored", "running", "failed")
_SCORERS = ("unit_tests", "lint_passes", "hidden_tests", "llm_judge")
_LOG_LINE = "tests/{mod}/test_{name}.py::test_case_{i} {verdict} [{pct:3d}%]\n"


def _log(rng: random.Random, size: int = 500) -> str:
    """A pytest-like log of about ``size`` characters."""
    lines: list[str] = []
    total = 0
    i = 0
    while total < size:
        line = _LOG_LINE.format(
            mod=rng.choice(("core", "api", "cli")),
            name=rng.choice(("parse", "render", "io", "auth")),
            i=i,
            verdict=rng.choice(("PASSED", "PASSED", "PASSED", "FAILED")),
            pct=min(100, i * 7),
        )
        lines.append(line)
        total += len(line)
        i += 1
    return "".join(lines)[:size]


def _scoring(rng: random.Random) -> dict[str, Any]:
    results = []
    for name in _SCORERS:
        score = rng.choice((0.0, 0.5, 1.0, 1.0))
        results.append(
            {
                "scoring_function_name": name,
                "score": score,
                "output": _log(rng),
                "state": "complete" if score or rng.random() < 0.5 else "error",
            }
        )
    return {
        "score": sum(r["score"] for r in results) / len(results),
        "scoring_function_results": results,
    }


def run_id(index: int) -> str:
    """The id of run ``index``, computable without building the runs (clients need it)."""
    return f"scr_{index:06d}{index * 2654435761 % 2**32:08x}"


def _run(rng: random.Random, index: int) -> dict[str, Any]:
    state = rng.choice(_STATES)
    run: dict[str, Any] = {
        "id": run_id(index),
        "scenario_id": f"scn_{rng.getrandbits(64):016x}",
        "devbox_id": f"dbx_{rng.getrandbits(48):012x}",
        "state": state,
        "metadata": {
            "agent": rng.choice(("claude-code", "codex", "aider")),
            "attempt": str(index % 3),
        },
        "benchmark_run_id": f"bmr_{index // 500:04d}",
        "name": f"task-{index:05d} / nightly",
        "start_time_ms": 1763790000000 + index * 1000,
        "purpose": "nightly-eval",
        "environment_variables": {
            "LOG_LEVEL": "debug",
            "SHARD": str(index % 16),
            "PYTHONHASHSEED": "0",
        },
        "secrets_provided": {"GITHUB_TOKEN": "gh_token_bot"},
    }
    if state != "running":
        run["duration_ms"] = rng.randrange(10_000, 900_000)
        run["scoring_contract_result"] = _scoring(rng)
    return run


def make_runs(count: int = RUN_COUNT) -> list[dict[str, Any]]:
    """The same ``count`` runs on every call (seeded), oldest first."""
    rng = random.Random(_SEED)
    return [_run(rng, i) for i in range(count)]


def scored_view(run: dict[str, Any]) -> dict[str, Any]:
    """What ``POST .../score`` answers for ``run``: the run, now in state ``scoring``."""
    return {**run, "state": "scoring"}


if __name__ == "__main__":  # a size check: python -m benchmarks.payloads
    page = {"runs": make_runs(), "has_more": False, "total_count": RUN_COUNT, "remaining_count": 0}
    print(f"{len(json.dumps(page, separators=(',', ':'))) / 1e6:.1f} MB for {RUN_COUNT} runs")
