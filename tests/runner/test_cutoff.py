"""A scenario's step cutoff (``_runner/_scenario.py``): one lazily moved timer cuts each
step off at its own deadline, never at an earlier step's."""

from __future__ import annotations

import asyncio

import anyio
import pytest

from runloop_async._runner import _scenario
from runloop_async._runner._scenario import _Cutoff

pytestmark = pytest.mark.anyio


@pytest.fixture(autouse=True)
def _no_slack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_scenario, "CUTOFF_SLACK", 0.0)


async def test_a_step_is_cut_off_at_its_deadline_not_at_an_earlier_steps() -> None:
    cutoff, reached = _Cutoff(), []
    with cutoff.scope:
        cutoff.start("the devbox", 0.05)  # the timer is armed for this one
        cutoff.stop()
        cutoff.start("the agent", 30.0)  # later: the timer is left where it is
        await anyio.sleep(0.2)  # the old timer fires meanwhile and finds nothing due
        reached.append("the agent's step ran on")
        cutoff.stop()
        cutoff.start("scoring", 0.05)  # earlier than the armed timer: re-armed
        await anyio.sleep(30)
        reached.append("never")
    cutoff.close()
    assert cutoff.scope.cancelled_caught
    assert reached == ["the agent's step ran on"]
    assert str(cutoff.error()) == "scoring did not finish within 0.05 s"


async def test_a_closed_cutoff_leaves_no_timer() -> None:
    cutoff = _Cutoff()
    with cutoff.scope:
        cutoff.start("the devbox", 30.0)
        assert cutoff.timer is not None
    cutoff.close()
    assert cutoff.timer is None
    assert not cutoff.scope.cancel_called
    await asyncio.sleep(0)


async def test_a_shielded_block_is_cut_off_at_its_own_deadline() -> None:
    cutoff, reached = _Cutoff(), []
    with cutoff.scope:
        cutoff.start("the devbox", 30.0)  # a timer armed later than the block's end
        cutoff.stop()
        with cutoff.shielded("ending the run", 0.05):
            await anyio.sleep(30)
            reached.append("never")
        reached.append("never")
    cutoff.close()
    assert reached == []
    assert cutoff.scope.cancelled_caught
    assert str(cutoff.error()) == "ending the run did not finish within 0.05 s"


async def test_a_shielded_block_holds_off_the_scenarios_cancellation_until_it_ends() -> None:
    cutoff, reached = _Cutoff(), []
    with anyio.CancelScope() as scenario:  # the scope the runner cancels a scenario by
        with cutoff.scope:
            with cutoff.shielded("starting the run", 30.0):
                scenario.cancel()
                await anyio.sleep(0.05)
                reached.append("the block ran to its end")
            await anyio.sleep(30)  # the cancellation lands at the next checkpoint
            reached.append("never")
    cutoff.close()
    assert reached == ["the block ran to its end"]
    assert scenario.cancelled_caught
    assert not cutoff.scope.shield
