"""Chosen outcomes: fixed scores between runs, and seeded per-scenario pass probabilities."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from emu_helpers import Api, scenario_body

from runloop_async.testing import Emulator, EmulatorThread

pytestmark = pytest.mark.anyio


def scores(emu: Any, scenario_id: str, n: int) -> list[float]:
    ids = emu.seed_runs(n, scenario_id=scenario_id, state="completed")
    return [emu.run_view(i)["scoring_contract_result"]["score"] for i in ids]


async def test_set_score_changes_an_outcome_between_runs(emu: Emulator, api: Api) -> None:
    scenario = emu.add_scenario("flaky")
    assert scores(emu, scenario["id"], 1) == [1.0]
    emu.set_score("flaky", 0.25)  # by name
    run = await api.ok("POST", "/v1/scenarios/start_run", {"scenario_id": scenario["id"]})
    await api.ok("POST", f"/v1/scenarios/runs/{run['id']}/score")
    deadline = anyio.current_time() + 30.0  # generous: loaded machines
    while anyio.current_time() < deadline:
        view = emu.run_view(run["id"])
        if view["state"] == "scored":
            break
        await anyio.sleep(0.01)
    result = view["scoring_contract_result"]
    assert result["score"] == 0.25
    assert [f["score"] for f in result["scoring_function_results"]] == [0.25]
    emu.set_score("flaky", None)
    assert scores(emu, scenario["id"], 1) == [1.0]  # back to the contract


def test_pass_probability_is_seeded_and_about_right() -> None:
    def draws(seed: int) -> list[float]:
        with EmulatorThread(seed=seed) as emu:
            scenario = emu.add_scenario("coin")
            emu.set_pass_probability("coin", 0.7)
            return scores(emu, scenario["id"], 300)

    first = draws(0)
    assert first == draws(0)  # another emulator, another scenario id, same draws
    assert first != draws(1)
    passed = sum(1 for s in first if s == 1.0)
    assert 0.6 * 300 < passed < 0.8 * 300
    assert all(0.0 <= s <= 0.9 for s in first if s != 1.0)


async def test_pass_probability_from_scenario_metadata(emu: Emulator, api: Api) -> None:
    body = scenario_body("meta", metadata={"emulator_pass_probability": "0"})
    never = await api.ok("POST", "/v1/scenarios", body)
    assert all(s < 1.0 for s in scores(emu, never["id"], 20))
    emu.set_pass_probability(never["id"], 1.0)  # a control beats the metadata
    assert scores(emu, never["id"], 5) == [1.0] * 5
    emu.reset()
    again = emu.add_scenario("meta2", metadata={"emulator_pass_probability": "not a number"})
    assert scores(emu, again["id"], 3) == [1.0] * 3  # malformed: the contract decides


def test_bad_choices_are_rejected() -> None:
    with EmulatorThread() as emu:
        for bad in (-0.1, 1.5, "0.5", True, float("nan")):
            with pytest.raises(ValueError, match="in \\[0, 1\\]"):
                emu.set_pass_probability("x", bad)
            with pytest.raises(ValueError, match="in \\[0, 1\\]"):
                emu.set_score("x", bad)
