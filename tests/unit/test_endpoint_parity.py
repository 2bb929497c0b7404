"""Every endpoint and helper of the official 1.32 SDK exists here, with its arguments.

The table is ``tests/data/endpoints.json``, copied from the shared API reference.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import pytest

from runloop_async import AsyncRunloop
from runloop_async.testing._server import build_router

TABLE = json.loads((Path(__file__).parent.parent / "data" / "endpoints.json").read_text())
ENTRIES = [e for e in TABLE if e["present_in_sdk_1_32_0"]]
#: Wire keys whose Python argument is spelled differently (reference 1.7).
RENAMED = {"runProfile": "run_profile"}


def _method(client: AsyncRunloop, entry: dict[str, Any]) -> Any:
    target: Any = client
    for part in entry["resource"].split("."):
        target = getattr(target, part)
    name = entry["method_name"].replace(" (internal)", "")
    return getattr(target, name)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: f"{e['resource']}.{e['method_name']}")
def test_endpoint_exists_with_reference_arguments(entry: dict[str, Any]) -> None:
    client = AsyncRunloop("k", "http://127.0.0.1:9")
    method = _method(client, entry)
    params = inspect.signature(method).parameters
    expected = [p["name"] for p in entry.get("path_params", [])]
    expected += [q["name"] for q in entry.get("query", [])]
    expected += [RENAMED.get(b["name"], b["name"]) for b in entry.get("body", [])]
    missing = [name for name in expected if name not in params]
    assert missing == [], f"{entry['resource']}.{entry['method_name']} lacks {missing}"
    if entry.get("idempotency_key_supported") and entry.get("http") == "POST":
        assert "idempotency_key" in params


def test_table_covers_every_resource() -> None:
    # Figures come from the contract, not a count copied here: one entry per method,
    # and every HTTP endpoint of it is served by the emulator.
    assert len({(e["resource"], e["method_name"]) for e in ENTRIES}) == len(ENTRIES) > 0
    served = {route.name for route in build_router()._routes}
    endpoints = {f"{e['http']} {e['path']}" for e in ENTRIES if e.get("http")}
    assert sorted(endpoints - served) == []
    assert {e["resource"] for e in ENTRIES} == {
        "scenarios", "scenarios.runs", "scenarios.scorers", "benchmarks",
        "benchmark_runs", "benchmark_jobs", "devboxes",
    }  # fmt: skip
