"""``scenarios.managed_run``: the run always ends, and its devbox shuts down."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from runloop_async import AsyncRunloop, Runloop
from runloop_async._resources.managed import end_state_action

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("state", "failed", "keep", "action"),
    [
        ("scored", False, False, "complete"),
        ("scored", True, True, "complete"),  # a score stands even if the block raised
        ("running", False, False, "cancel"),
        ("scoring", True, False, "cancel"),
        ("running", True, True, None),  # kept up for debugging
        ("running", False, True, "cancel"),  # keep_on_error only applies to errors
        ("completed", True, False, None),
        ("canceled", False, False, None),
        ("failed", False, False, None),
        ("brand_new_state", False, False, "cancel"),
    ],
)
def test_end_state_action(state: str, failed: bool, keep: bool, action: str | None) -> None:
    assert end_state_action(state, failed=failed, keep_on_error=keep) == action


def devbox_status(emulator: Any, run_id: str) -> str:
    devbox_id = emulator.run_view(run_id)["devbox_id"]
    return str(emulator.devbox_view(devbox_id)["status"])


async def test_a_scored_run_is_completed_on_exit(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    scenario = runloop_emulator.add_scenario("managed")
    managed = client.scenarios.managed_run(scenario["id"], run_name="m")
    async with managed as run:
        assert devbox_status(runloop_emulator, run.id) == "running"
        scored = await client.scenarios.runs.score_and_await(run.id)
        assert scored.state == "scored"
    assert runloop_emulator.run_view(run.id)["state"] == "completed"
    assert managed.final is not None
    assert managed.final.state == "completed"
    assert devbox_status(runloop_emulator, run.id) == "shutdown"


async def test_an_error_in_the_block_cancels_the_run_and_propagates(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    scenario = runloop_emulator.add_scenario("managed")
    with pytest.raises(RuntimeError, match="agent crashed"):
        async with client.scenarios.managed_run(scenario["id"]) as run:
            raise RuntimeError("agent crashed")
    assert runloop_emulator.run_view(run.id)["state"] == "canceled"
    assert devbox_status(runloop_emulator, run.id) == "shutdown"


async def test_the_cleanup_rides_out_an_outage(client: AsyncRunloop, runloop_emulator: Any) -> None:
    # the cancel on exit is answered 503 for 1.5 s: more than the client's own retries,
    # well within the cleanup's deadline (120 s): the run still ends
    scenario = runloop_emulator.add_scenario("managed-outage")
    fault = runloop_emulator.faults.add(
        "POST /v1/scenarios/runs/{id}/cancel", status=503, duration=1.5
    )
    managed = client.scenarios.managed_run(scenario["id"])
    with pytest.raises(RuntimeError):
        async with managed:
            raise RuntimeError("agent crashed")
    assert fault.fired > 4
    assert managed.final is not None
    assert managed.final.state == "canceled"


async def test_keep_on_error_leaves_the_run_up(client: AsyncRunloop, runloop_emulator: Any) -> None:
    scenario = runloop_emulator.add_scenario("managed")
    with pytest.raises(RuntimeError):
        async with client.scenarios.managed_run(scenario["id"], keep_on_error=True) as run:
            raise RuntimeError("look at the devbox")
    assert runloop_emulator.run_view(run.id)["state"] == "running"
    await client.scenarios.runs.cancel(run.id)


async def test_cancellation_of_the_block_still_cancels_the_run(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    scenario = runloop_emulator.add_scenario("managed")
    started: list[str] = []
    with anyio.move_on_after(0.5):
        async with client.scenarios.managed_run(scenario["id"]) as run:
            started.append(run.id)
            await anyio.sleep(30)
    assert started
    assert runloop_emulator.run_view(started[0])["state"] == "canceled"


async def test_a_block_that_ends_the_run_itself_is_left_alone(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    scenario = runloop_emulator.add_scenario("managed")
    async with client.scenarios.managed_run(scenario["id"]) as run:
        await client.scenarios.runs.score_and_complete(run.id)
    posts = [r.route for r in runloop_emulator.requests if r.method == "POST"]
    assert posts.count("POST /v1/scenarios/runs/{id}/complete") == 1
    assert "POST /v1/scenarios/runs/{id}/cancel" not in posts


def test_the_blocking_twin(runloop_emulator: Any) -> None:
    scenario = runloop_emulator.add_scenario("managed")
    with Runloop(runloop_emulator.api_key, runloop_emulator.base_url) as client:
        managed = client.scenarios.managed_run(scenario["id"])
        with managed as run:
            client.scenarios.runs.score_and_await(run.id)
        assert managed.final is not None
        assert managed.final.state == "completed"
        with pytest.raises(KeyError), client.scenarios.managed_run(scenario["id"]) as other:
            raise KeyError("boom")
    assert runloop_emulator.run_view(other.id)["state"] == "canceled"


def test_the_twins_have_the_same_signature() -> None:
    import inspect

    from runloop_async._resources.scenarios import AsyncScenarios
    from runloop_async._sync._scenarios import Scenarios

    a = inspect.signature(AsyncScenarios.managed_run)
    s = inspect.signature(Scenarios.managed_run)
    assert list(a.parameters.items()) == list(s.parameters.items())
