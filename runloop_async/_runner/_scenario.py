"""One scenario of a benchmark run: start, wait for the devbox, agent, score, complete.

Every failure is caught here and turned into a row; cancellation cleans up (cancels
the scenario run, shielded) and propagates.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import TYPE_CHECKING, Any

import anyio
import anyio.lowlevel
import attrs

from .._exceptions import RunloopError, WaitError
from .._models import ScenarioRunState, ScenarioRunView, ScenarioView
from ._agent import AgentContext, call_agent
from ._events import EventKind
from ._results import ScenarioResult, outcome_of

if TYPE_CHECKING:
    from ._runner import BenchmarkRunner

__all__ = ["CLEANUP_TIMEOUT", "ScenarioTask", "finish_run"]

#: Longest a shielded cleanup call (cancel/complete of a run) may take.
CLEANUP_TIMEOUT = 30.0
#: Longest the shielded ``start_run`` call (retries included) may take.
START_TIMEOUT = 60.0


async def finish_run(runner: BenchmarkRunner, run: ScenarioRunView) -> str | None:
    """Leave nothing running: complete a ``scored`` run, cancel a live one (shielded).

    Returns the state after cleanup, or ``None`` if the call failed.
    """
    runs = runner.client.scenarios.runs
    shield = anyio.CancelScope(shield=True)
    with shield, anyio.move_on_after(CLEANUP_TIMEOUT), suppress(RunloopError):
        if run.state == ScenarioRunState.SCORED:
            return (await runs.complete(run.id, max_retries=2)).state
        return (await runs.cancel(run.id, max_retries=2)).state
    return None


@attrs.define
class ScenarioTask:
    """Mutable progress of one scenario while the runner drives it."""

    runner: BenchmarkRunner
    scenario_id: str
    scenario: ScenarioView | None = None
    run: ScenarioRunView | None = None
    phase: str = "start"
    started: float = 0.0
    #: Which attempt at this scenario this is (1-based), and whether it is the last.
    attempt: int = 1
    final: bool = True
    #: Set when this attempt failed to get a devbox and another may be tried.
    retry_env: bool = False

    @property
    def name(self) -> str | None:
        return None if self.scenario is None else self.scenario.name

    async def emit(self, kind: str, **fields: Any) -> None:
        run = self.run
        await self.runner.emit(
            kind, scenario_id=self.scenario_id, scenario_name=self.name,
            run_id=None if run is None else run.id,
            devbox_id=None if run is None else run.devbox_id,
            state=None if run is None else run.state,
            elapsed=anyio.current_time() - self.started, **fields,
        )  # fmt: skip

    async def __call__(self) -> ScenarioResult:
        """Drive the scenario; return its row. Only cancellation propagates."""
        self.started = anyio.current_time()
        try:
            await self._drive()
        except Exception as exc:
            return await self._failed(exc)
        except BaseException:
            if self.run is not None and not self.runner.keep_devboxes:
                await finish_run(self.runner, self.run)
            raise
        return self._row()

    async def _step(self, phase: str, call: Callable[[], Awaitable[Any]]) -> Any:
        self.phase = phase
        return await call()

    async def _drive(self) -> None:
        r = self.runner
        runs = r.client.scenarios.runs
        self.scenario = await self._step("start", lambda: r.scenario_view(self.scenario_id))
        with anyio.CancelScope(shield=True), anyio.fail_after(START_TIMEOUT):
            # Shielded so a cancel never loses the id of a run the server created.
            self.run = await r.start_scenario_run(self.scenario_id)
        await anyio.lowlevel.checkpoint()
        await self.emit(EventKind.STARTED)
        devbox = await self._step(
            "env", lambda: r.client.devboxes.await_running(
                self._run.devbox_id, timeout=r.env_ready_timeout
            ),
        )  # fmt: skip
        await self.emit(EventKind.ENV_READY)
        ctx = AgentContext(
            client=r.client, scenario=self.scenario, run=self._run, devbox=devbox,
            benchmark_run_id=r.benchmark_run_id,
        )  # fmt: skip
        await self._step("agent", lambda: self._agent(ctx))
        await self.emit(EventKind.AGENT_DONE)
        self.run = await self._step("scoring", lambda: runs.score(self._run.id))
        await self.emit(EventKind.SCORING)
        self.run = await runs.await_scored(self._run.id, timeout=r.scoring_timeout)
        await self.emit(EventKind.SCORED, score=self._run.score)
        self.run = await self._step("complete", lambda: self._complete())
        score = self._run.score
        await self.emit(
            EventKind.COMPLETED, score=score, outcome=outcome_of(self._run.state, score, None)
        )

    @property
    def _run(self) -> ScenarioRunView:
        assert self.run is not None
        return self.run

    async def _agent(self, ctx: AgentContext) -> None:
        timeout = self.runner.agent_timeout
        try:
            with anyio.fail_after(timeout):
                await call_agent(self.runner.agent, ctx, self.runner.threads)
        except TimeoutError:
            raise TimeoutError(f"the agent did not finish within {timeout:g} s") from None

    async def _complete(self) -> ScenarioRunView:
        done = await self.runner.client.scenarios.runs.complete(self._run.id)
        if done.scoring_contract_result is None and self._run.scoring_contract_result is not None:
            done = attrs.evolve(done, scoring_contract_result=self._run.scoring_contract_result)
        return done

    async def _failed(self, exc: Exception) -> ScenarioResult:
        last = exc.last if isinstance(exc, WaitError) else None
        if isinstance(last, ScenarioRunView):
            self.run = last
        state = None if self.run is None else self.run.state
        live = state not in ScenarioRunState.TERMINAL
        if self.run is not None and live and not self.runner.keep_devboxes:
            state = await finish_run(self.runner, self.run) or state
        error = f"{type(exc).__name__}: {exc}"
        if self.phase == "env" and not self.final:
            self.retry_env = True
            await self.emit(EventKind.RETRYING, error=error, phase=self.phase)
        else:
            await self.emit(
                EventKind.FAILED, error=error, phase=self.phase, outcome="errored",
                score=None if self.run is None else self.run.score,
            )  # fmt: skip
        return self._row(state=state, error=error, error_type=type(exc).__name__, last=last)

    def _row(
        self,
        *,
        state: str | None = None,
        error: str | None = None,
        error_type: str | None = None,
        last: Any = None,
    ) -> ScenarioResult:
        run = self.run
        return ScenarioResult(
            scenario_id=self.scenario_id, scenario_name=self.name,
            run_id=None if run is None else run.id,
            devbox_id=None if run is None else run.devbox_id,
            state=state or (None if run is None else run.state),
            score=None if run is None else run.score,
            duration_s=round(anyio.current_time() - self.started, 3),
            error=error, error_type=error_type, phase=self.phase if error else None,
            attempts=self.attempt, last_view=last if last is not None else run,
        )  # fmt: skip
