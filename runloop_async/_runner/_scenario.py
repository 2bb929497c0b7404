"""One attempt at one scenario: start, wait for the devbox, agent, score, complete.

Every failure is caught here and turned into a row; cancellation cleans up (ends
the scenario run, shielded) and propagates. Each step runs under its own deadline,
enforced from outside (the request in flight is cancelled), and transient API
failures are retried through the runner's gate until that deadline. The waits
(devbox, scoring) poll through failures on their own and report every poll to the
gate, so an outage only they meet still counts towards ``outage_timeout``.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Generator
from typing import TYPE_CHECKING, Any, Literal

import anyio
import attrs

from .._exceptions import BadRequestError, WaitError
from .._models import ScenarioRunState, ScenarioRunView, ScenarioView
from .._request import new_idempotency_key
from .._scope import now, reporting_polls, set_outer_cutoff
from ._agent import AgentContext, call_agent
from ._events import EventKind, EventKindName
from ._results import Outcome, OutcomeName, ScenarioResult, outcome_of

if TYPE_CHECKING:
    from ._runner import BenchmarkRunner

__all__ = ["ScenarioTask", "CUTOFF_SLACK"]

#: Slack given to a step's own deadline before the runner cuts the step off.
CUTOFF_SLACK = 1.0
_SCORING_STATES = frozenset({ScenarioRunState.SCORING, ScenarioRunState.SCORED})


class _Counted:
    """What :meth:`ScenarioTask.emit` hands back when nobody listens: awaiting it does
    nothing (the event was counted at once), without a coroutine made for it."""

    __slots__ = ()

    def __await__(self) -> Generator[None, None, None]:
        # An empty iterator, not a generator: nothing to make a frame for.
        return iter(())  # type: ignore[return-value]


_COUNTED = _Counted()


class _Cutoff:
    """The step deadlines of one scenario: one cancel scope around the whole scenario,
    cancelled by one loop timer when the current step's deadline passes.

    One scope a scenario instead of one a step: a scope and its timer are a large
    part of what the runner itself costs per scenario (benchmarks/RESULTS.md). The
    timer is moved lazily: a step ending clears the deadline and leaves the timer,
    which finds nothing due when it fires; a later step's deadline re-arms it only
    when it fires too late (one timer a scenario, not one set and cancelled a step).
    When due it cancels the scope, as the scope's own deadline would. The waits
    inside a step ask it (:func:`~.._scope.cut_off_by`) and set up no cutoff of
    their own when it already cuts them off as soon.
    """

    __slots__ = ("scope", "seconds", "task", "timer", "until", "what")

    #: How much later than a wait's own cutoff this one may be and still stand in for
    #: it (a wait's end is computed from the same clock a few operations later).
    TOLERANCE = 0.001

    def __init__(self) -> None:
        self.scope = anyio.CancelScope()
        self.what, self.seconds = "", 0.0
        self.task: asyncio.Task[Any] | None = None
        self.timer: asyncio.TimerHandle | None = None
        #: When the scope cuts the current step off (inf: no step deadline, or the
        #: scope exited).
        self.until = math.inf

    def start(self, what: str, seconds: float | None, slack: float = CUTOFF_SLACK) -> None:
        """Cut what runs from now on off ``seconds`` (plus ``slack``) from now, whatever
        it awaits (the request in flight is cancelled); ``None``: no limit."""
        if seconds is not None:
            self.what, self.seconds = what, seconds
            until = self.until = now() + seconds + slack
            timer = self.timer
            if timer is None or timer.when() > until:
                if timer is not None:
                    timer.cancel()
                self.timer = asyncio.get_running_loop().call_at(until, self._due)

    def stop(self) -> None:
        """The step ended in time: no deadline until the next :meth:`start`."""
        self.until = math.inf

    def shielded(self, what: str, seconds: float) -> _Shielded:
        """``with cutoff.shielded(what, s):`` what ``anyio.CancelScope(shield=True,
        deadline=now() + s)`` does, inside this scope, without a scope of its own: the
        scope is shielded meanwhile (a cancellation of the scenario waits until the
        block ends, as anyio delivers it) and its timer cuts the block off after ``s``
        seconds (the scenario then fails with :meth:`error`). Between steps only."""
        return _Shielded(self, what, seconds)

    def close(self) -> None:
        """The scope exited: it cuts nothing off any more."""
        self.until = math.inf
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _due(self) -> None:
        # The timer fired: cancel the scope if the step's deadline passed (as anyio's
        # deadline does), else wait for the deadline there is, if any.
        self.timer, until = None, self.until
        if until == math.inf:
            return
        loop = asyncio.get_running_loop()
        if until <= loop.time():
            self.scope.cancel()
        else:
            self.timer = loop.call_at(until, self._due)

    def covers(self, at: float) -> bool:
        """Whether the calling task runs inside the scope and is cut off by ``at``."""
        until = self.until
        return (
            until < math.inf
            and until <= at + self.TOLERANCE
            and (asyncio.current_task() is self.task)
        )

    def error(self) -> TimeoutError:
        """What a step cut off by its deadline raises."""
        return TimeoutError(f"{self.what} did not finish within {self.seconds:g} s")


class _Shielded:
    """The context manager of :meth:`_Cutoff.shielded`."""

    __slots__ = ("cutoff", "seconds", "what")

    def __init__(self, cutoff: _Cutoff, what: str, seconds: float) -> None:
        self.cutoff, self.what, self.seconds = cutoff, what, seconds

    def __enter__(self) -> None:
        cutoff = self.cutoff
        cutoff.start(self.what, self.seconds, slack=0.0)
        cutoff.scope.shield = True

    def __exit__(self, *exc_info: object) -> Literal[False]:
        cutoff = self.cutoff
        cutoff.stop()
        cutoff.scope.shield = False  # anyio delivers a cancellation held off meanwhile
        return False


@attrs.define
class ScenarioTask:
    """Mutable progress of one scenario while the runner drives it.

    ``run`` set at creation means the run is adopted (left by a runner that is
    gone): no new run is started, the task picks it up where it is.
    """

    runner: BenchmarkRunner
    scenario_id: str
    run: ScenarioRunView | None = None
    scenario: ScenarioView | None = None
    phase: str = "start"
    started: float = 0.0
    #: Which attempt at the scenario this is (1-based; ``attempts=k`` runs 1..k).
    attempt: int = 1
    #: Which try at a devbox for this attempt (1-based; 0 for an adopted run), and
    #: whether it is the last ``env_retries`` allow.
    env_try: int = 1
    final: bool = True
    #: Set when this try failed to get a devbox and another may be made.
    retry_env: bool = False
    #: Set when the run belongs to another live runner (it is followed, not driven).
    foreign: bool = False
    _cutoff: _Cutoff = attrs.field(factory=_Cutoff, init=False, repr=False)

    @property
    def name(self) -> str | None:
        return None if self.scenario is None else self.scenario.name

    def emit(
        self,
        kind: EventKindName,
        *,
        score: float | None = None,
        outcome: OutcomeName | None = None,
        error: str | None = None,
        phase: str | None = None,
    ) -> Awaitable[None]:
        """Record one event of this scenario; await what it returns (the subscribers and
        ``on_event``, when something listens)."""
        runner = self.runner
        if not (runner._streams or runner.on_event is not None):
            # Nobody listens: count it, without the event's other fields, and hand back
            # a done awaitable (six events a scenario: no coroutine, no keywords' dict).
            runner.progress._fold(kind, runner._since_start(), self.scenario_id, self.attempt,
                                  outcome, score)  # fmt: skip
            return _COUNTED
        run = self.run
        return runner.emit(
            kind, scenario_id=self.scenario_id, scenario_name=self.name, attempt=self.attempt,
            run_id=None if run is None else run.id,
            devbox_id=None if run is None else run.devbox_id,
            state=None if run is None else run.state, score=score, outcome=outcome,
            error=error, phase=phase, elapsed=now() - self.started,
        )  # fmt: skip

    async def __call__(self) -> ScenarioResult:
        """Drive the scenario; return its row. Only cancellation propagates."""
        self.started = now()
        cutoff = self._cutoff
        cutoff.task = asyncio.current_task()
        set_outer_cutoff(cutoff)
        try:
            try:
                with cutoff.scope:
                    await self._drive()
            finally:
                cutoff.close()
            if cutoff.scope.cancelled_caught:
                raise cutoff.error()
        except Exception as exc:
            return await self._failed(exc)
        except BaseException:
            if self.run is not None and not self.foreign and not self.runner.options.keep_devboxes:
                self.run = await self.runner.end_run(self.run) or self.run
            raise
        return self._row()

    # Each step sets ``self.phase`` (what a failure is reported in), then awaits the
    # step's call directly: no wrapper coroutine for the task to pass through at
    # every resumption.

    async def _drive(self) -> None:
        r = self.runner
        self.phase = "start"
        # Prefetched with the benchmark (no coroutine made for a dict lookup).
        self.scenario = r.views.get(self.scenario_id) or await r.scenario_view(self.scenario_id)
        if self.run is None:
            self.run = await r.start_scenario_run(
                self.scenario_id, self.attempt, self.env_try, cutoff=self._cutoff
            )
            # A cancellation that arrived during the shielded start lands here (what
            # anyio's checkpoint is on asyncio, without its backend lookup).
            await asyncio.sleep(0)
            if not r.owns(self.run):
                # Another runner started this very run at the same moment (same
                # idempotency key): follow it; drive it only if that runner is gone.
                self.foreign = True
                self.phase = "follow"
                self.run = await r.follow(self._run)
                if self._run.state in ScenarioRunState.TERMINAL:
                    return
                self.foreign = False
                r.adopted_runs.add(self._run.id)
            await self.emit(EventKind.STARTED)
        if self._run.state not in _SCORING_STATES:
            await self._work()
        await self._score()
        self.phase = "complete"
        self.run = await self._complete()
        score = self._run.score
        await self.emit(
            EventKind.COMPLETED, score=score, outcome=outcome_of(self._run.state, score, None)
        )

    async def _work(self) -> None:
        r, opts = self.runner, self.runner.options
        self._cutoff.start("the devbox", opts.env_ready_timeout)
        self.phase = "env"
        with reporting_polls(r.gate):
            devbox = await r.client.devboxes.await_running(
                self._run.devbox_id, timeout=opts.env_ready_timeout
            )
        self._cutoff.stop()
        await self.emit(EventKind.ENV_READY)
        ctx = AgentContext(
            client=r.client, scenario=self._scenario, run=self._run, devbox=devbox,
            benchmark_run_id=r.benchmark_run_id,
        )  # fmt: skip
        self._cutoff.start("the agent", opts.agent_timeout)
        self.phase = "agent"
        await call_agent(r.agent, ctx, r.agent_threads)
        self._cutoff.stop()
        await self.emit(EventKind.AGENT_DONE)

    async def _score(self) -> None:
        r, timeout = self.runner, self.runner.options.scoring_timeout
        start = now()
        self._cutoff.start("scoring", timeout)
        if self._run.state not in _SCORING_STATES:
            self.phase = "scoring"
            self.run = await self._start_scoring()
            await self.emit(EventKind.SCORING)
        self.phase = "scoring"
        left = None if timeout is None else max(0.01, timeout - (now() - start))
        with reporting_polls(r.gate):
            self.run = await r.client.scenarios.runs.await_scored(self._run.id, timeout=left)
        self._cutoff.stop()
        await self.emit(EventKind.SCORED, score=self._run.score)

    async def _start_scoring(self) -> ScenarioRunView:
        runs, key = self.runner.client.scenarios.runs, new_idempotency_key()
        try:
            return await self.runner.persist(
                lambda: runs.score(self._run.id, idempotency_key=key), f"score {self._run.id}"
            )
        except BadRequestError:
            # Scoring may have started after all (an answer lost on the way back).
            view = await self.runner.persist(lambda: runs.retrieve(self._run.id), "retrieve run")
            if view.state in _SCORING_STATES:
                return view
            raise

    async def _complete(self) -> ScenarioRunView:
        done = await self.runner.end_run(self._run, failed=False, cutoff=self._cutoff)
        if done is None or done.state != ScenarioRunState.COMPLETED:
            state = "unknown" if done is None else done.state
            raise RuntimeError(f"scenario run {self._run.id} could not be completed ({state})")
        if done.scoring_contract_result is None and self._run.scoring_contract_result is not None:
            done = attrs.evolve(done, scoring_contract_result=self._run.scoring_contract_result)
        return done

    @property
    def _run(self) -> ScenarioRunView:
        assert self.run is not None
        return self.run

    @property
    def _scenario(self) -> ScenarioView:
        assert self.scenario is not None
        return self.scenario

    async def _failed(self, exc: Exception) -> ScenarioResult:
        last = exc.last if isinstance(exc, WaitError) else None
        if isinstance(last, ScenarioRunView):
            self.run = last
        state = None if self.run is None else self.run.state
        live = state not in ScenarioRunState.TERMINAL and not self.foreign
        if self.run is not None and live and not self.runner.options.keep_devboxes:
            ended = await self.runner.end_run(self.run)
            state = state if ended is None else ended.state
        error = f"{type(exc).__name__}: {exc}"
        if self.phase == "env" and not self.final:
            self.retry_env = True
            await self.emit(EventKind.RETRYING, error=error, phase=self.phase)
        else:
            await self.emit(
                EventKind.FAILED, error=error, phase=self.phase, outcome=Outcome.ERRORED,
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
            duration_s=round(now() - self.started, 3),
            error=error, error_type=error_type, phase=self.phase if error else None,
            attempts=0 if self.foreign else self.env_try, attempt=self.attempt,
            resumed=self.foreign,
            last_view=last if last is not None else run,
        )  # fmt: skip

    def stopped_row(self, reason: str) -> ScenarioResult:
        """The row of a scenario the runner stopped (outage, interruption) mid-way."""
        return self._row(error=f"RunnerStopped: {reason}", error_type="RunnerStopped")
