"""The runner's step cutoff stands in for a wait's own cutoff only where it holds:
inside its scope, in its own task, and no later than the wait's would fire."""

from __future__ import annotations

import math

import anyio
import pytest

from runloop_async._runner._scenario import CUTOFF_SLACK, _Cutoff
from runloop_async._scope import cut_off_by, now, set_outer_cutoff
from runloop_async._waiting import DEADLINE_GRACE

pytestmark = pytest.mark.anyio


async def test_a_wait_inside_a_step_is_covered_only_while_the_step_deadline_holds() -> None:
    import asyncio

    assert CUTOFF_SLACK <= DEADLINE_GRACE  # else the step would cut off later than a wait
    cutoff = _Cutoff()
    cutoff.task = asyncio.current_task()
    set_outer_cutoff(cutoff)
    try:
        with cutoff.scope:
            wait_end = now() + 10.0
            assert not cut_off_by(wait_end + DEADLINE_GRACE)  # no step deadline yet
            cutoff.start("the devbox", 10.0)
            # A wait started now, with the step's deadline, ends a little later.
            assert cut_off_by(now() + 10.0 + DEADLINE_GRACE)
            # A wait with an earlier deadline of its own keeps its own cutoff.
            assert not cut_off_by(now() + 5.0 + DEADLINE_GRACE)

            seen: list[bool] = []

            async def child() -> None:  # copies the context, but is not cut off by it
                seen.append(cut_off_by(math.inf))

            async with anyio.create_task_group() as tg:
                tg.start_soon(child)
            assert seen == [False]
            cutoff.stop()
            assert not cut_off_by(math.inf)
            cutoff.start("scoring", 10.0)
        cutoff.until = math.inf  # what ScenarioTask does when the scope exits
        assert not cut_off_by(math.inf)
    finally:
        set_outer_cutoff(None)
    assert not cut_off_by(math.inf)
