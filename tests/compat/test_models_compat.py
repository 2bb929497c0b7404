"""Models and errors as 1.x code uses them (issue 12, items 5, 6 and 9).

``to_dict`` / ``to_json`` with the official options, ``PollingTimeout``, explicit
nested nulls in request models, typed ``gateway_specs`` / ``mcp_specs``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import runloop_async
from runloop_async import (
    NULL,
    BenchmarkView,
    DevboxView,
    GatewaySpecs,
    InputContextUpdate,
    McpSpecs,
    Model,
    PollingConfig,
    PollingTimeout,
    Runloop,
    RunloopError,
    RunProfile,
    ScenarioRunView,
    WaitTimeoutError,
)
from runloop_async._converter import structure, unstructure

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def client(runloop_emulator: Any) -> Iterator[Runloop]:
    with Runloop(runloop_emulator.api_key, runloop_emulator.base_url, max_retries=0) as c:
        yield c


def test_every_model_has_to_dict_and_to_json() -> None:
    models = [
        getattr(runloop_async, n)
        for n in runloop_async._models_all
        if isinstance(getattr(runloop_async, n), type)
        and getattr(getattr(runloop_async, n), "__attrs_attrs__", None) is not None
        and n != "LogsArchive"  # a zip's bytes, not a JSON view
    ]
    assert len(models) > 50
    assert all(issubclass(cls, Model) for cls in models)


def test_to_dict_uses_api_names_and_leaves_out_unset_fields() -> None:
    data = json.loads((FIXTURES / "benchmark.json").read_text())
    data["description"] = None
    view = structure(data, BenchmarkView)
    as_dict = view.to_dict()
    assert as_dict["scenarioIds"] == view.scenario_ids  # the wire key, as the API sent it
    assert "scenario_ids" not in as_dict
    assert view.to_dict(use_api_names=False)["scenario_ids"] == view.scenario_ids
    # A server view counts as fully set (the API sends every key, null included).
    assert view.to_dict(exclude_unset=False) == as_dict
    assert None in as_dict.values()
    assert view.to_dict(exclude_none=True) == {k: v for k, v in as_dict.items() if v is not None}
    # Models you build leave their unset (None) fields out, as pydantic's exclude_unset.
    assert RunProfile(env_vars={"A": "1"}).to_dict() == {"envVars": {"A": "1"}}
    assert RunProfile().to_dict(exclude_unset=False)["launchParameters"] is None
    assert json.loads(view.to_json()) == as_dict
    assert view.to_json().startswith('{\n  "id": ')  # indent 2, as pydantic
    assert "\n" not in view.to_json(indent=None)
    assert view.to_dict(mode="json") == as_dict


def test_to_dict_recurses_and_keeps_unknown_fields() -> None:
    data = json.loads((FIXTURES / "scenario_run_scored.json").read_text())
    data["brand_new_field"] = {"x": 1}
    run = structure(data, ScenarioRunView)
    as_dict = run.to_dict()
    assert as_dict["brand_new_field"] == {"x": 1}
    result = as_dict["scoring_contract_result"]
    assert isinstance(result, dict)
    assert result["score"] == run.scoring_contract_result.score  # type: ignore[union-attr]
    assert isinstance(result["scoring_function_results"], list)


def test_gateway_and_mcp_specs_are_typed() -> None:
    data = json.loads((FIXTURES / "devbox.json").read_text())
    data["gateway_specs"] = {"gw": {"gateway_config_id": "gwc_1", "secret_id": "sec_1"}}
    data["mcp_specs"] = {"m": {"mcp_config_id": "mcp_1", "secret_id": "sec_2"}}
    view = structure(data, DevboxView)
    assert view.gateway_specs == {"gw": GatewaySpecs(gateway_config_id="gwc_1", secret_id="sec_1")}
    assert view.mcp_specs == {"m": McpSpecs(mcp_config_id="mcp_1", secret_id="sec_2")}
    assert view.to_dict()["gateway_specs"] == data["gateway_specs"]


def test_null_sends_an_explicit_nested_null() -> None:
    assert unstructure(RunProfile(env_vars={"A": "1"})) == {"envVars": {"A": "1"}}
    assert unstructure(RunProfile(env_vars={"A": "1"}, launch_parameters=NULL)) == {
        "envVars": {"A": "1"},
        "launchParameters": None,
    }
    assert repr(NULL) == "NULL"
    assert not NULL
    assert RunProfile(launch_parameters=NULL).to_dict() == {"launchParameters": None}


def test_null_over_the_wire(client: Runloop, runloop_emulator: Any) -> None:
    scenario = runloop_emulator.add_scenario("nulls")
    client.scenarios.update(
        scenario["id"], input_context=InputContextUpdate(additional_context=NULL)
    )
    client.scenarios.start_run(
        scenario_id=scenario["id"], run_profile=RunProfile(launch_parameters=NULL)
    )
    bodies = [r.json for r in runloop_emulator.requests if r.method == "POST"]
    assert bodies[0] == {"input_context": {"additional_context": None}}
    assert bodies[1]["runProfile"] == {"launchParameters": None}


def test_polling_timeout_catches_our_wait_timeouts(client: Runloop, runloop_emulator: Any) -> None:
    assert PollingTimeout is WaitTimeoutError
    assert issubclass(PollingTimeout, RunloopError)
    runloop_emulator.configure(scoring_delay=30)
    (run_id,) = runloop_emulator.seed_runs(1)
    client.scenarios.runs.score(run_id)
    with pytest.raises(PollingTimeout) as caught:
        client.scenarios.runs.await_scored(
            run_id, polling_config=PollingConfig(interval_seconds=0.1, max_attempts=3)
        )
    assert isinstance(caught.value.last_value, ScenarioRunView)
    assert caught.value.last_value is caught.value.last
    assert caught.value.last_value.state == "scoring"
