"""Live progress on stderr: a rich panel on a terminal, else a summary line every few s."""

from __future__ import annotations

import sys
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import anyio

from .._models import ScenarioRunState, ScenarioRunView
from .._runner import RunnerProgress
from .._runner._results import Outcome, outcome_of
from ._output import has_rich

__all__ = ["progress_of_runs", "show_progress", "tick"]

_PHASE_OF_STATE = {
    ScenarioRunState.RUNNING: "agent",
    ScenarioRunState.SCORING: "scoring",
    ScenarioRunState.SCORED: "completing",
}


def progress_of_runs(runs: Sequence[ScenarioRunView], total: int | None) -> RunnerProgress:
    """A :class:`RunnerProgress` computed from a listing of scenario runs (pure).

    Running runs count as ``agent`` (the listing cannot tell booting apart).
    """
    progress = RunnerProgress(total=max(total or 0, len(runs)))
    for run in runs:
        if run.state in _PHASE_OF_STATE:
            progress.phases[run.id] = _PHASE_OF_STATE[run.state]
            continue
        outcome = outcome_of(run.state, run.score, None)
        if outcome == Outcome.PASSED:
            progress.passed += 1
        elif outcome == Outcome.FAILED:
            progress.failed += 1
        else:
            progress.errored += 1
        if run.score is not None:
            progress.score_sum += run.score
            progress.scored += 1
    return progress


def tick(progress: RunnerProgress, started: float) -> None:
    """Move ``progress.elapsed`` on with the clock (events alone move it in jumps)."""
    progress.elapsed = max(progress.elapsed, time.monotonic() - started)


async def _ticker(progress: RunnerProgress, title: str, every: float) -> None:
    started = time.monotonic()
    while True:
        await anyio.sleep(every)
        tick(progress, started)
        sys.stderr.write(f"{title}: {progress.summary()}\n")
        sys.stderr.flush()


@asynccontextmanager
async def show_progress(
    progress: RunnerProgress, title: str, *, enabled: bool = True, every: float = 5.0
) -> AsyncIterator[None]:
    """Show ``progress`` while the body runs (it may be mutated or replaced in place).

    A rich live panel when rich is installed and stderr is a terminal (its clock
    ticks every second); otherwise one summary line every ``every`` seconds (for CI
    logs); nothing when ``enabled`` is false.
    """
    if not enabled:
        yield
        return
    if sys.stderr.isatty() and has_rich():
        from ._rich import LiveProgress

        with LiveProgress(progress, title, sys.stderr):
            yield
        return
    async with anyio.create_task_group() as tg:
        tg.start_soon(_ticker, progress, title, every)
        try:
            yield
        finally:
            tg.cancel_scope.cancel()
