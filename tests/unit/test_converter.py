"""The converter: round trips, renames, unions, strictness and error paths."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runloop_async import _models as m
from runloop_async._converter import (
    get_converter,
    make_converter,
    structure,
    structure_list,
    unstructure,
)
from runloop_async._exceptions import APIResponseValidationError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


SINGLE = [
    ("scenario.json", m.ScenarioView),
    ("scenario_run_scored.json", m.ScenarioRunView),
    ("benchmark.json", m.BenchmarkView),
    ("benchmark_run.json", m.BenchmarkRunView),
    ("benchmark_job.json", m.BenchmarkJobView),
    ("devbox.json", m.DevboxView),
    ("devbox_failed.json", m.DevboxView),
    ("scorer.json", m.ScenarioScorerView),
    ("run_profile.json", m.RunProfile),
]
PAGES = [
    ("scenarios_page.json", "scenarios", m.ScenarioView),
    ("scenario_runs_page.json", "runs", m.ScenarioRunView),
    ("benchmarks_page.json", "benchmarks", m.BenchmarkView),
    ("benchmark_runs_page.json", "runs", m.BenchmarkRunView),
    ("benchmark_jobs_page.json", "jobs", m.BenchmarkJobView),
    ("scorers_page.json", "scorers", m.ScenarioScorerView),
]


# --- round trips -----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "cls"), SINGLE)
def test_fixture_round_trips_strictly(name: str, cls: type) -> None:
    data = load(name)
    obj = structure(data, cls, strict=True)
    assert isinstance(obj, cls)
    assert unstructure(obj) == data


@pytest.mark.parametrize(("name", "key", "cls"), PAGES)
def test_page_fixture_round_trips_strictly(name: str, key: str, cls: type) -> None:
    data = load(name)
    items = structure_list(data[key], cls, items_key=key, strict=True)
    assert all(isinstance(item, cls) for item in items)
    assert unstructure(items) == data[key]


def test_job_create_specs_round_trip() -> None:
    for spec in load("benchmark_job_create_specs.json"):
        obj = structure(spec, m.JobCreateSpec, strict=True)  # type: ignore[arg-type]
        assert not isinstance(obj, m.UnknownJobCreateSpec)
        assert unstructure(obj) == spec


def test_scenario_fixture_has_all_six_scorers() -> None:
    scenario = structure(load("scenario.json"), m.ScenarioView, strict=True)
    kinds = [f.scorer for f in scenario.scoring_contract.scoring_function_parameters]
    assert [type(k) for k in kinds] == [
        m.AstGrepScorer,
        m.BashScriptScorer,
        m.CommandScorer,
        m.CustomScorer,
        m.PythonScriptScorer,
        m.TestBasedScorer,
    ]
    custom = kinds[3]
    assert isinstance(custom, m.CustomScorer)
    assert custom.scorer_params["threshold"] == 0.7
    tests = kinds[5]
    assert isinstance(tests, m.TestBasedScorer)
    assert tests.test_files is not None
    assert tests.test_files[0].file_path == "tests/hidden/test_parse.py"
    assert tests.test_files[1] == m.TestFile(file_path="tests/hidden/conftest.py", file_contents="")
    env = scenario.environment
    assert env is not None
    assert env.launch_parameters is not None
    lifecycle = env.launch_parameters.lifecycle
    assert lifecycle is not None
    assert lifecycle.after_idle == m.AfterIdle(idle_time_seconds=1800, on_idle="suspend")


def test_scored_run_values() -> None:
    run = structure(load("scenario_run_scored.json"), m.ScenarioRunView)
    assert run.state == m.ScenarioRunState.SCORED
    assert run.score == 0.8
    assert run.scoring_contract_result is not None
    assert run.scoring_contract_result.scoring_function_results[4].state == "error"
    assert not run.is_terminal


def test_benchmark_job_values() -> None:
    job = structure(load("benchmark_job.json"), m.BenchmarkJobView, strict=True)
    assert isinstance(job.job_source, m.BenchmarkJobSource)
    assert job.in_progress_runs is not None
    first, second = (r.agent_config for r in job.in_progress_runs)
    assert isinstance(first, m.JobAgentConfig)
    assert first.model_name == "gpt-5"
    assert isinstance(second, m.ExternalApiAgentConfig)
    assert job.benchmark_outcomes is not None
    outcomes = job.benchmark_outcomes[0].scenario_outcomes
    assert outcomes[2].failure_reason == m.FailureReason(
        exception_type="DevboxProvisioningError",
        exception_message="blueprint build failed: exit status 1",
    )
    assert job.job_spec is not None
    assert job.job_spec.orchestrator_config == m.OrchestratorConfig(
        n_attempts=1, n_concurrent_trials=4, quiet=False, timeout_multiplier=1.5
    )


def test_nulls_are_accepted_and_not_sent_back() -> None:
    data = {
        "id": "scr_1",
        "scenario_id": "scn_1",
        "devbox_id": "dbx_1",
        "state": "running",
        "metadata": {},
        "name": None,
        "scoring_contract_result": None,
        "environment_variables": None,
    }
    run = structure(data, m.ScenarioRunView, strict=True)
    assert run.name is None
    assert unstructure(run) == {k: v for k, v in data.items() if v is not None}


# --- renames ----------------------------------------------------------------------------


def test_run_profile_renames_both_ways() -> None:
    profile = m.RunProfile(
        env_vars={"A": "1"},
        launch_parameters=m.LaunchParameters(resource_size_request="SMALL"),
        purpose="ci",
    )
    wire = unstructure(profile)
    assert wire == {
        "envVars": {"A": "1"},
        "launchParameters": {"resource_size_request": "SMALL"},
        "purpose": "ci",
    }
    assert structure(wire, m.RunProfile, strict=True) == profile
    # launch_parameters is not renamed outside RunProfile
    env = m.ScenarioEnvironment(launch_parameters=m.LaunchParameters(architecture="arm64"))
    assert unstructure(env) == {"launch_parameters": {"architecture": "arm64"}}


def test_benchmark_scenario_ids_rename() -> None:
    data = load("benchmark.json")
    bench = structure(data, m.BenchmarkView, strict=True)
    assert bench.scenario_ids == data["scenarioIds"]
    assert "scenarioIds" in unstructure(bench)
    snake = {k: v for k, v in data.items() if k != "scenarioIds"}
    snake["scenario_ids"] = ["scn_x"]
    assert structure(snake, m.BenchmarkView, strict=True).scenario_ids == ["scn_x"]
    assert snake["scenario_ids"] == ["scn_x"]  # input left untouched


def test_request_encoding_omits_none_and_emits_tags() -> None:
    assert unstructure(m.CommandScorer(command="pytest -q")) == {
        "type": "command_scorer",
        "command": "pytest -q",
    }
    assert unstructure(m.BashScriptScorer()) == {"type": "bash_script_scorer"}
    assert unstructure(m.InputContextUpdate(problem_statement="new")) == {
        "problem_statement": "new"
    }
    assert unstructure(m.ScoringContractUpdate()) == {}
    # the API needs both agent keys, even when null
    assert unstructure(m.AgentMount(agent_name="claude")) == {
        "type": "agent_mount",
        "agent_id": None,
        "agent_name": "claude",
    }
    spec = m.ScenariosJobCreateSpec(
        scenario_ids=["scn_1"], agent_configs=[m.JobAgentConfig(name="a", model_name="x")]
    )
    assert unstructure(spec) == {
        "type": "scenarios",
        "scenario_ids": ["scn_1"],
        "agent_configs": [{"type": "job_agent", "name": "a", "model_name": "x"}],
    }


# --- leniency and unknown values --------------------------------------------------------


def test_unknown_keys_ignored_by_lenient_and_rejected_by_strict() -> None:
    data = load("scenario_run_scored.json")
    data["new_server_field"] = {"x": 1}
    data["scoring_contract_result"]["scoring_function_results"][2]["extra"] = 1
    run = structure(data, m.ScenarioRunView)
    assert run.id == data["id"]
    with pytest.raises(APIResponseValidationError) as info:
        structure(data, m.ScenarioRunView, strict=True)
    assert info.value.json_path in {
        "$.new_server_field",
        "$.scoring_contract_result.scoring_function_results[2].extra",
    }


def test_unknown_enum_values_are_kept() -> None:
    data = load("devbox.json")
    data["status"] = "hibernating"
    data["launch_parameters"]["architecture"] = "riscv64"
    box = structure(data, m.DevboxView, strict=True)
    assert box.status == "hibernating"
    assert box.launch_parameters.architecture == "riscv64"
    assert unstructure(box) == data


def test_unknown_scorer_kept_and_round_trips_exactly() -> None:
    data = load("scenario.json")
    raw = {"type": "llm_rubric_scorer", "rubric": {"points": [1, 2]}, "model": None}
    data["scoring_contract"]["scoring_function_parameters"][0]["scorer"] = copy.deepcopy(raw)
    scenario = structure(data, m.ScenarioView, strict=True)
    scorer = scenario.scoring_contract.scoring_function_parameters[0].scorer
    assert scorer == m.UnknownScorer(type="llm_rubric_scorer", raw=raw)
    assert unstructure(scenario) == data


@pytest.mark.parametrize(
    ("cls", "raw"),
    [
        (m.Mount, {"type": "s3_mount", "bucket": "b"}),
        (m.JobSource, {"type": "dataset", "dataset": "swe-bench"}),
        (m.AgentConfig, {"type": "human", "who": "me"}),
        (m.JobCreateSpec, {"type": "dataset", "dataset": "x"}),
    ],
)
def test_other_unions_keep_unknown_tags(cls: Any, raw: dict[str, Any]) -> None:
    obj = structure(raw, cls, strict=True)
    assert type(obj).__name__.startswith("Unknown")
    assert obj.raw == raw
    assert unstructure(obj) == raw


def test_numbers() -> None:
    data = load("benchmark_run.json")
    data["score"] = 1  # an int where a float is expected is fine and kept
    data["duration_ms"] = 3600000.0  # an integral float where an int is expected
    run = structure(data, m.BenchmarkRunView)
    assert run.score == 1
    assert run.duration_ms == 3600000
    assert isinstance(run.duration_ms, int)


# --- errors -----------------------------------------------------------------------------


def _scenario_with(path: list[str | int], value: Any) -> Any:
    data = load("scenario.json")
    target = data
    for seg in path[:-1]:
        target = target[seg]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


SFP = ["scoring_contract", "scoring_function_parameters"]


@pytest.mark.parametrize(
    ("path", "value", "json_path", "words"),
    [
        (["status"], 5, "$.status", "expected a string, got int 5"),
        (["name"], ["a"], "$.name", "expected a string, got an array"),
        (["metadata", "suite"], 1, "$.metadata.suite", "expected a string"),
        (["metadata", "a b"], None, '$.metadata["a b"]', "got null"),
        (["input_context"], "text", "$.input_context", "expected an object"),
        (
            ["input_context", "problem_statement"],
            KeyError,
            "$.input_context.problem_statement",
            "missing required field",
        ),
        (
            [*SFP, 0, "scorer", "pattern"],
            KeyError,
            "$.scoring_contract.scoring_function_parameters[0].scorer.pattern",
            "missing required field",
        ),
        (
            [*SFP, 2, "weight"],
            "heavy",
            "$.scoring_contract.scoring_function_parameters[2].weight",
            "expected a number, got str 'heavy'",
        ),
        (
            [*SFP, 1, "scorer", "type"],
            7,
            "$.scoring_contract.scoring_function_parameters[1].scorer.type",
            "discriminator",
        ),
        (
            [*SFP, 5, "scorer", "test_files", 1],
            [],
            "$.scoring_contract.scoring_function_parameters[5].scorer.test_files[1]",
            "expected an object",
        ),
        (["scorer_timeout_sec"], "abc", "$.scorer_timeout_sec", "expected an integer"),
        (["scorer_timeout_sec"], True, "$.scorer_timeout_sec", "expected an integer"),
        (["scorer_timeout_sec"], 1.5, "$.scorer_timeout_sec", "expected an integer"),
        (["is_public"], 0, "$.is_public", "expected a boolean"),
        (["required_secret_names"], "GITHUB_TOKEN", "$.required_secret_names", "expected an array"),
        (
            ["environment", "launch_parameters", "user_parameters", "uid"],
            "1000",
            "$.environment.launch_parameters.user_parameters.uid",
            "expected an integer",
        ),
        (["metadata"], [], "$.metadata", "AttributeError"),
    ],
)
def test_error_paths(path: list[str | int], value: Any, json_path: str, words: str) -> None:
    data = _scenario_with(path, value)
    with pytest.raises(APIResponseValidationError) as info:
        structure(data, m.ScenarioView)
    assert info.value.json_path == json_path
    assert words in info.value.message
    assert json_path in info.value.message


def test_error_paths_in_renamed_fields_use_wire_names() -> None:
    data = load("run_profile.json")
    data["launchParameters"]["keep_alive_time_seconds"] = "1h"
    with pytest.raises(APIResponseValidationError) as info:
        structure(data, m.RunProfile)
    assert info.value.json_path == "$.launchParameters.keep_alive_time_seconds"
    bench = load("benchmark.json")
    bench["scenarioIds"][1] = None
    with pytest.raises(APIResponseValidationError) as info:
        structure(bench, m.BenchmarkView)
    assert info.value.json_path == "$.scenarioIds[1]"


def test_error_in_page_names_the_item() -> None:
    data = load("scenario_runs_page.json")
    data["runs"][2]["state"] = None
    with pytest.raises(APIResponseValidationError) as info:
        structure_list(data["runs"], m.ScenarioRunView, items_key="runs")
    assert info.value.json_path == "$.runs[2].state"
    assert "list[ScenarioRunView]" in info.value.message
    with pytest.raises(APIResponseValidationError) as info:
        structure_list({"runs": []}, m.ScenarioRunView, items_key="runs")
    assert info.value.json_path == "$.runs"
    with pytest.raises(APIResponseValidationError) as info:
        structure_list([1], m.ScenarioRunView)
    assert info.value.json_path == "$[0]"


def test_error_in_union_variant_and_nested_job() -> None:
    data = load("benchmark_job.json")
    data["in_progress_runs"][0]["agent_config"]["timeout_seconds"] = "slow"
    data["job_source"] = {"type": "harbor"}
    with pytest.raises(APIResponseValidationError) as info:
        structure(data, m.BenchmarkJobView)
    assert info.value.json_path == "$.in_progress_runs[0].agent_config.timeout_seconds"


def test_error_message_caps_large_values() -> None:
    data = load("scorer.json")
    data["type"] = "y" * 10_000
    data["bash_script"] = {"x" * 10_000: 1}
    with pytest.raises(APIResponseValidationError) as info:
        structure(data, m.ScenarioScorerView)
    assert len(info.value.message) < 400


def test_top_level_non_objects() -> None:
    for value in (None, "x", 1, [], [{}], True):
        with pytest.raises(APIResponseValidationError) as info:
            structure(value, m.ScenarioRunView)
        assert info.value.json_path == "$"


# --- converter objects ------------------------------------------------------------------


def test_converters_are_cached_and_distinct() -> None:
    assert get_converter() is get_converter()
    assert get_converter(strict=True) is not get_converter()
    fresh = make_converter()
    assert fresh is not get_converter()
    run = fresh.structure(load("scenario_run_scored.json"), m.ScenarioRunView)
    assert run.state == "scored"


# --- property: never anything but a model or APIResponseValidationError -----------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


def _mutations(fixture: Any) -> st.SearchStrategy[Any]:
    """Realistic objects with one value somewhere replaced by arbitrary JSON."""

    def replace(data: Any, path_choice: int, value: Any) -> Any:
        data = copy.deepcopy(data)
        slots: list[tuple[Any, Any]] = []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                for key, child in node.items():
                    slots.append((node, key))
                    walk(child)
            elif isinstance(node, list):
                for index, child in enumerate(node):
                    slots.append((node, index))
                    walk(child)

        walk(data)
        container, key = slots[path_choice % len(slots)]
        container[key] = value
        return data

    return st.builds(replace, st.just(fixture), st.integers(min_value=0), json_values)


@pytest.mark.parametrize(
    ("cls", "fixture"),
    [(m.ScenarioRunView, "scenario_run_scored.json"), (m.ScenarioView, "scenario.json")],
)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_json_gives_a_model_or_a_validation_error(
    cls: type, fixture: str, data: st.DataObject
) -> None:
    value = data.draw(json_values | _mutations(load(fixture)))
    for strict in (False, True):
        try:
            result = structure(value, cls, strict=strict)
        except APIResponseValidationError as exc:
            json_path = exc.json_path
        else:
            assert isinstance(result, cls)
            json_path = "$"
        assert json_path.startswith("$")


def test_a_long_list_is_structured_with_the_collector_paused_and_restored() -> None:
    import gc

    from runloop_async._collector import PAUSE_GC_FROM

    run = load("scenario_run_scored.json")
    seen: list[bool] = []

    class Probe:  # a structuring pass sees whether the collector runs
        def __init__(self) -> None:
            seen.append(gc.isenabled())

    # (A hook for a class of this test only: the shared converter is otherwise untouched.)
    get_converter().register_structure_hook(Probe, lambda obj, _: Probe())
    assert gc.isenabled()
    structure_list([{}] * PAUSE_GC_FROM, Probe)
    structure_list([{}], Probe)
    assert seen == [False] * PAUSE_GC_FROM + [True]  # paused for the long one only
    assert gc.isenabled()
    bad = [run] * (PAUSE_GC_FROM - 1) + [{"id": 5}]
    with pytest.raises(APIResponseValidationError):
        structure_list(bad, m.ScenarioRunView)
    assert gc.isenabled()  # restored after a refusal too
    gc.disable()  # the caller's choice is left alone
    try:
        structure_list([run] * PAUSE_GC_FROM, m.ScenarioRunView)
        assert not gc.isenabled()
    finally:
        gc.enable()
