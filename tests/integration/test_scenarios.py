"""Scenarios over loopback: create, retrieve, update, list, archive, start runs."""

from __future__ import annotations

from typing import Any

import pytest

from runloop_async import (
    AstGrepScorer,
    AsyncRunloop,
    BadRequestError,
    BashScriptScorer,
    CommandScorer,
    CustomScorer,
    InputContext,
    InvalidArgumentError,
    LaunchParameters,
    NotFoundError,
    PythonScriptScorer,
    RunProfile,
    ScenarioEnvironment,
    ScenarioStatus,
    ScoringContract,
    ScoringFunction,
    TestBasedScorer,
    TestFile,
)

pytestmark = pytest.mark.anyio


def contract(*scorers: Any) -> ScoringContract:
    weight = 1.0 / len(scorers)
    return ScoringContract(
        scoring_function_parameters=[
            ScoringFunction(name=f"fn_{i}", scorer=s, weight=weight) for i, s in enumerate(scorers)
        ]
    )


ALL_SCORERS = (
    AstGrepScorer(pattern="print($A)", search_directory="src", lang="python"),
    BashScriptScorer(bash_script="echo score=1.0"),
    CommandScorer(command="pytest -q"),
    CustomScorer(custom_scorer_type="my_scorer", scorer_params={"k": [1, 2]}),
    PythonScriptScorer(python_script="print(1.0)", requirements_contents="numpy"),
    TestBasedScorer(
        test_command="pytest", test_files=[TestFile(file_path="t.py", file_contents="x")]
    ),
)


async def make_scenario(client: AsyncRunloop, name: str = "s", **kwargs: Any) -> Any:
    return await client.scenarios.create(
        name=name,
        input_context=InputContext(problem_statement="fix it", additional_context={"a": 1}),
        scoring_contract=contract(CommandScorer(command="true")),
        **kwargs,
    )


async def test_create_and_retrieve_round_trip_every_scorer(client: AsyncRunloop) -> None:
    created = await client.scenarios.create(
        name="all-scorers",
        input_context=InputContext(problem_statement="p"),
        scoring_contract=contract(*ALL_SCORERS),
        environment_parameters=ScenarioEnvironment(
            blueprint_id="bp_1",
            working_directory="/work",
            launch_parameters=LaunchParameters(resource_size_request="SMALL"),
        ),
        metadata={"team": "evals"},
        reference_output="diff --git",
        required_environment_variables=["TOKEN"],
        scorer_timeout_sec=600,
        validation_type="FORWARD",
    )
    fetched = await client.scenarios.retrieve(created.id)
    assert fetched == created
    scorers = [f.scorer for f in fetched.scoring_contract.scoring_function_parameters]
    assert scorers == list(ALL_SCORERS)
    assert fetched.environment is not None
    assert fetched.environment.working_directory == "/work"
    assert fetched.status == ScenarioStatus.ACTIVE
    assert fetched.scorer_timeout_sec == 600


async def test_create_accepts_plain_dicts_like_the_official_sdk(client: AsyncRunloop) -> None:
    created = await client.scenarios.create(
        name="dicts",
        input_context={"problem_statement": "p"},
        scoring_contract={
            "scoring_function_parameters": [
                {"name": "t", "weight": 1.0, "scorer": {"type": "command_scorer", "command": "ls"}}
            ]
        },
    )
    fn = created.scoring_contract.scoring_function_parameters[0]
    assert fn.scorer == CommandScorer(command="ls")


async def test_update_keeps_replaces_and_clears(client: AsyncRunloop) -> None:
    scenario = await make_scenario(client, metadata={"a": "1"}, reference_output="gold")
    updated = await client.scenarios.update(scenario.id, name="renamed", reference_output="")
    assert updated.name == "renamed"
    assert updated.metadata == {"a": "1"}  # missing: kept
    assert not updated.reference_output  # "": cleared
    cleared = await client.scenarios.update(scenario.id, metadata={})
    assert cleared.metadata == {}
    assert cleared.name == "renamed"


async def test_list_pages_filters_and_archive(client: AsyncRunloop) -> None:
    ids = [(await make_scenario(client, name=f"n{i % 2}")).id for i in range(7)]
    page = await client.scenarios.list(limit=3)
    assert len(page.items) == 3
    assert page.has_more is True
    assert page.total_count == 7
    assert page.scenarios == page.items  # the official SDK's attribute
    assert [s.id async for s in client.scenarios.list(limit=3)] == ids
    named = [s.id async for s in client.scenarios.list(name="n0")]
    assert named == ids[0::2]
    archived = await client.scenarios.archive(ids[0])
    assert archived.status == ScenarioStatus.ARCHIVED
    assert ids[0] not in [s.id async for s in client.scenarios.list()]
    assert (await client.scenarios.retrieve(ids[0])).status == ScenarioStatus.ARCHIVED
    with pytest.raises(BadRequestError):
        await client.scenarios.update(ids[0], name="nope")
    no_count = await client.scenarios.list(include_total_count=False)
    assert no_count.total_count is None


async def test_list_public(client: AsyncRunloop, runloop_emulator: Any) -> None:
    runloop_emulator.add_public_scenario(name="public-one")
    await make_scenario(client)
    public = [s async for s in client.scenarios.list_public()]
    assert [s.name for s in public] == ["public-one"]
    assert public[0].is_public is True


async def test_start_run_sends_run_profile_under_wire_names(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    scenario = await make_scenario(client)
    run = await client.scenarios.start_run(
        scenario_id=scenario.id,
        run_name="first",
        metadata={"k": "v"},
        run_profile=RunProfile(env_vars={"A": "1"}, secrets={"T": "secret_name"}, purpose="eval"),
    )
    assert run.state == "running"
    assert run.name == "first"
    assert run.environment_variables == {"A": "1"}
    assert run.purpose == "eval"
    body = runloop_emulator.requests[-1].json
    assert body["runProfile"]["envVars"] == {"A": "1"}
    # A dict in the official SDK's Python spelling is renamed too.
    run2 = await client.scenarios.start_run(
        scenario_id=scenario.id, run_profile={"env_vars": {"B": "2"}}
    )
    assert run2.environment_variables == {"B": "2"}


async def test_unknown_ids_and_bad_arguments(client: AsyncRunloop) -> None:
    with pytest.raises(NotFoundError) as info:
        await client.scenarios.retrieve("scn_missing")
    assert info.value.status_code == 404
    assert info.value.method == "GET"
    assert info.value.path == "/v1/scenarios/scn_missing"
    with pytest.raises(InvalidArgumentError):
        await client.scenarios.retrieve("")
    with pytest.raises(InvalidArgumentError):
        client.scenarios.list(limit=0)
