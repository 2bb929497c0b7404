"""The benchmark runner: a benchmark run fanned out over its scenarios, safely.

``await run_benchmark(client, agent, benchmark_id=...)`` does what every benchmark
script does (start a benchmark run; per scenario start a run, wait for its devbox,
call the agent, score, wait for the score, complete; complete the benchmark run;
report), with bounded concurrency, per-scenario isolation, outage riding, resume,
sharding, ownership and cleanup on cancellation.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from .._exceptions import InvalidArgumentError
from .._models import ScenarioRunState, ScenarioRunView, ScenarioView
from .._request import new_idempotency_key
from .._scope import now, reporting_polls
from .._steps import Shield, end_run, persist
from .._waiting import poll_until
from ._agent import Agent, check_agent, wait_for_agents
from ._attempts import Unit, attempt_metadata
from ._events import EventCallback, EventKind, EventKindName, RunnerEvent, RunnerProgress
from ._fanout import fan_out, settle_resumed
from ._finish import finish, sweep
from ._gate import Gate
from ._gc import fewer_collections
from ._options import RunnerOptions
from ._owner import META_LEASE, Owner, is_mine, owner_is_live
from ._results import BenchmarkResult
from ._setup import prepare

if TYPE_CHECKING:
    from .._client import AsyncRunloop
    from ._scenario import _Cutoff

__all__ = ["BenchmarkRunner", "run_benchmark"]

T = TypeVar("T")
log = logging.getLogger("runloop_async.runner")


class BenchmarkRunner:
    """Runs an agent over the scenarios of a benchmark (or a list of scenarios).

    Create it, optionally :meth:`subscribe` to its events, then ``await runner.run()``.
    :func:`run_benchmark` does all of that in one call; the arguments are the same.

    Args:
        client: The :class:`AsyncRunloop` to use.
        agent: ``agent(ctx: AgentContext)``, async or sync (sync ones run in worker
            threads). It works on ``ctx.devbox_id``; raising marks the scenario errored.
        options: A :class:`RunnerOptions` (what to run, concurrency, deadlines, ...).
        on_event: Called with every :class:`RunnerEvent` (plain or async callable);
            its exceptions are logged and ignored.
        **overrides: Fields of :class:`RunnerOptions` as keywords (applied over
            ``options``), e.g. ``benchmark_id="bmd_1", concurrency=20``.

    Transient API failures (5xx, 429, connection errors, timeouts) never become
    errored rows while a step's deadline allows: steps are retried, and one gate for
    the whole run stops admitting scenarios while the API fails. Past
    ``outage_timeout`` without a success the runner stops: every run is canceled,
    the benchmark run is left running (``result.stopped`` says why), to resume.

    On cancellation (Ctrl-C, a cancel scope, a task group) every scenario run it
    started is canceled (devbox shut down), shielded from the cancellation, before
    the cancellation propagates. The benchmark run is left ``running`` so it can be
    resumed with ``benchmark_run_id=``.

    While it runs, the garbage collector's young-generation threshold is raised to
    50,000 objects (CPython's default is 700), process-wide, and put back after,
    unless the app changed it meanwhile (a higher one, or collection turned off, is
    left alone): with hundreds of scenarios in flight the default made the collector
    take 12-25 % of the runner's CPU.

    Raises:
        InvalidArgumentError: bad options or agent (at construction).
    """

    def __init__(
        self,
        client: AsyncRunloop,
        agent: Agent,
        options: RunnerOptions | None = None,
        *,
        on_event: EventCallback | None = None,
        **overrides: Any,
    ) -> None:
        check_agent(agent)
        self.options = RunnerOptions.build(options, overrides)
        self.client, self.agent, self.on_event = client, agent, on_event
        self.benchmark_id = self.options.benchmark_id
        self.benchmark_run_id = self.options.benchmark_run_id
        self.progress = RunnerProgress()
        #: Worker threads for sync agents (anyio's default pool is 40; a run at
        #: concurrency 100 must not queue its agents behind it).
        self.agent_threads = anyio.CapacityLimiter(self.options.concurrency)
        self.cleanup_limiter = anyio.CapacityLimiter(self.options.concurrency)
        self.gate = Gate(self.options.backoff)
        self.owner = Owner.me(self.options.lease_seconds())
        self.views: dict[str, ScenarioView] = {}
        self.all_scenario_ids: list[str] | None = None
        #: Attempts per scenario: ``options.attempts``, or more on a resume of a
        #: benchmark run planned with more (set before any run starts).
        self.attempts = self.options.attempts
        self.runs_seen: dict[Unit, int] = {}
        self.started_runs: list[str] = []
        #: Runs left by a runner that is gone, which this one drives.
        self.adopted_runs: set[str] = set()
        #: Why the runner stopped before the end (an outage), else ``None``.
        self.stopped: str | None = None
        self._streams: list[MemoryObjectSendStream[RunnerEvent]] = []
        self._last_metadata: tuple[tuple[int, str], dict[str, str]] | None = None
        self._started_at: float | None = None

    # -- events ---------------------------------------------------------------------

    def subscribe(self) -> MemoryObjectReceiveStream[RunnerEvent]:
        """An async iterator of every event from now on; it ends when the run ends.

        Use it as ``with runner.subscribe() as events: async for e in events: ...``
        (close it, or the stream warns when collected). It never blocks the runner.
        """
        send, receive = anyio.create_memory_object_stream[RunnerEvent](math.inf)
        self._streams.append(send)
        return receive

    async def emit(self, kind: EventKindName, **fields: Any) -> None:
        """Record one event: progress, then subscribers, then ``on_event`` (awaited if
        it returns an awaitable; its exceptions are logged and ignored)."""
        at = self._since_start()
        if not self._listened:
            # Nobody listens: count, without building the event.
            get = fields.get
            self.progress._fold(kind, at, get("scenario_id"), get("attempt"), get("outcome"),
                               get("score"), get("total"))  # fmt: skip
            return
        event = RunnerEvent(kind=kind, at=at, **fields)
        self.progress.apply(event)
        for stream in list(self._streams):
            try:
                stream.send_nowait(event)
            except (anyio.BrokenResourceError, anyio.ClosedResourceError):
                self._streams.remove(stream)
        if self.on_event is None:
            return
        try:
            result = self.on_event(event)
            if inspect.isawaitable(result):
                await result
        except Exception:
            log.exception("on_event callback raised; ignored")

    @property
    def _listened(self) -> bool:
        # Whether anything receives the events (a subscriber or on_event).
        return bool(self._streams) or self.on_event is not None

    def _since_start(self) -> float:
        # Seconds since run() started (0 before it): an event's ``at``.
        return 0.0 if self._started_at is None else now() - self._started_at

    # -- helpers the scenario tasks use -----------------------------------------------

    async def persist(
        self, call: Callable[[], Awaitable[T]], what: str, *, timeout: float | None = None
    ) -> T:
        """``call()`` retried through transient failures, through the run's gate, for
        up to ``timeout``.

        The default, twice ``outage_timeout``, lets the outage watchdog act first when
        the whole API is down; a single call failing that long (while others work)
        errors its row.
        """
        limit = 2 * self.options.outage_timeout if timeout is None else timeout
        return await persist(call, timeout=limit, what=what, backoff=self.options.backoff,
                             gate=self.gate)  # fmt: skip

    async def end_run(
        self, run: ScenarioRunView, *, failed: bool = True, cutoff: _Cutoff | None = None
    ) -> ScenarioRunView | None:
        """End ``run`` (complete if scored, cancel if live), shielded, retried for up
        to ``cleanup_timeout``; ``None`` if that failed. ``cutoff`` is internal (the
        runner passes a scenario's own scope, which is then the shield); leave it
        unset."""
        shielded = None if cutoff is None else functools.partial(cutoff.shielded, "ending the run")
        return await end_run(
            self.client.scenarios.runs, run.id, state=run.state, failed=failed,
            timeout=self.options.cleanup_timeout, backoff=self.options.backoff, gate=self.gate,
            shielded=shielded,
        )  # fmt: skip

    async def scenario_view(self, scenario_id: str) -> ScenarioView:
        """The scenario's view (prefetched from the benchmark when possible)."""
        view = self.views.get(scenario_id)
        if view is None:
            view = await self.persist(
                lambda: self.client.scenarios.retrieve(scenario_id), "retrieve the scenario"
            )
            self.views[scenario_id] = view
        return view

    def start_key(self, scenario_id: str, attempt: int, env_try: int) -> str | None:
        """The idempotency key of the next run of an attempt in the benchmark run.

        It names the benchmark run, the scenario, the attempt, how many runs that
        attempt has and what is asked of the run (profile, metadata), so two runners
        that start the same attempt at once get one run (the second gets the first's
        answer), while a resume with a fixed run profile does not get an old refusal
        replayed. ``None`` (a fresh key) for loose runs.
        """
        if self.benchmark_run_id is None:
            return None
        index = self.runs_seen.get((scenario_id, attempt), 0) + max(env_try, 1) - 1
        return (f"runloop-async-start-{self.benchmark_run_id}-{scenario_id}-a{attempt}-"
                f"{index}-{self._asked_digest}")  # fmt: skip

    @functools.cached_property
    def _asked_digest(self) -> str:
        # What every run of this runner is asked for: the same for all of them.
        asked = repr((self.options.run_profile, sorted((self.options.metadata or {}).items())))
        return hashlib.sha256(asked.encode()).hexdigest()[:12]

    async def start_scenario_run(
        self, scenario_id: str, attempt: int = 1, env_try: int = 1, *, cutoff: _Cutoff | None = None
    ) -> ScenarioRunView:
        """Start one scenario run of ``attempt`` in this runner's benchmark run, carrying
        its owner and attempt metadata; retried (same idempotency key) through
        transient failures. ``cutoff`` is internal (the runner passes a scenario's own
        scope, which is then each attempt's shield); leave it unset."""
        extra: dict[str, Any] = {"metadata": self._start_metadata(attempt)}
        if self.options.run_profile is not None:
            extra["run_profile"] = self.options.run_profile
        if self.benchmark_run_id is not None:
            extra["benchmark_run_id"] = self.benchmark_run_id
        key = self.start_key(scenario_id, attempt, env_try) or new_idempotency_key()
        start = self.client.scenarios.start_run

        async def attempt_once() -> ScenarioRunView:
            # One attempt is shielded, so a cancel never loses the id of a run the
            # server created; the backoff between attempts is not. (One scope, shielded
            # and with its own deadline, does what fail_after inside a shield does.)
            limit = self.options.cleanup_timeout
            shield: Shield
            if cutoff is None:
                shield = anyio.CancelScope(shield=True, deadline=now() + limit)
            else:
                shield = cutoff.shielded("starting the run", limit)
            with shield:
                run = await start(scenario_id=scenario_id, idempotency_key=key, **extra)
                self.started_runs.append(run.id)
                return run
            raise TimeoutError  # the deadline cut the attempt off, as fail_after says it

        return await self.persist(attempt_once, f"start a run of {scenario_id}")

    def _start_metadata(self, attempt: int) -> dict[str, str]:
        """The metadata of a run of ``attempt`` started now: the options', the owner's
        with its lease from now, and the attempt's (resume, shards and the results
        loader count every run of one attempt, a devbox retry, an orphan replaced, as
        that attempt). Not to be changed by the caller: the same dict is handed out
        while the lease, in whole seconds, is the same (hundreds of runs start within
        a second, and building it cost about as much as a scenario's events)."""
        lease = f"{time.time() + self.options.lease_seconds():.0f}"
        last = self._last_metadata
        if last is not None and last[0] == (attempt, lease):
            return last[1]
        owner = self.owner.metadata()
        owner[META_LEASE] = lease  # what Owner.renewed(...).metadata() gives
        metadata = {**(self.options.metadata or {}), **owner,
                    **attempt_metadata(attempt, self.attempts)}  # fmt: skip
        self._last_metadata = ((attempt, lease), metadata)
        return metadata

    def owns(self, run: ScenarioRunView) -> bool:
        """Whether this runner started ``run``."""
        return is_mine(run, self.owner)

    def drives(self, run: ScenarioRunView) -> bool:
        """Whether this runner started or adopted ``run`` (its to end)."""
        return run.id in self.adopted_runs or is_mine(run, self.owner)

    async def follow(self, run: ScenarioRunView) -> ScenarioRunView:
        """Wait until another runner's run ends, or that runner is gone; return it."""
        runs = self.client.scenarios.runs

        def judge(view: ScenarioRunView) -> bool | None:
            if view.state in ScenarioRunState.TERMINAL:
                return True
            return None if owner_is_live(view, self.owner, now=time.time()) else True

        deadline = self.options.lease_seconds()
        with reporting_polls(self.gate):
            return await poll_until(
                lambda: runs.retrieve(run.id), judge, deadline=deadline, what=f"run {run.id}"
            )

    # -- the run ----------------------------------------------------------------------

    async def run(self) -> BenchmarkResult:
        """Run every selected scenario; return the result. Call it once.

        Raises:
            InvalidArgumentError: inconsistent arguments (found before any run starts).
            RunOwnershipError: another live runner holds runs of these scenarios.
            APIError: setting up failed for good (benchmark not found, ...).
                Failures of single scenarios never raise; they are rows.
        """
        if self._started_at is not None:
            raise InvalidArgumentError("a BenchmarkRunner runs once; create a new one")
        self._started_at = now()
        try:
            with fewer_collections():
                return await self._run()
        except BaseException:
            await self._on_the_way_out()
            raise
        finally:
            for stream in self._streams:
                stream.close()

    async def _run(self) -> BenchmarkResult:
        """:meth:`run` itself: set up, fan out, finish."""
        selected, plan = await prepare(self)
        await self.emit(EventKind.RUN_STARTED, benchmark_run_id=self.benchmark_run_id,
                        total=len(selected) * self.attempts)  # fmt: skip
        rows = await settle_resumed(self, plan)
        rows.update(await fan_out(self, plan))
        end = await finish(self, rows, self.started_runs)
        await self.emit(EventKind.RUN_FINISHED, benchmark_run_id=self.benchmark_run_id)
        return BenchmarkResult(
            rows=[end.rows[(sid, n)] for sid in selected for n in range(1, self.attempts + 1)],
            benchmark_id=self.benchmark_id,
            benchmark_run_id=self.benchmark_run_id, benchmark_run=end.benchmark_run,
            shard=self.options.shard, wall_time_s=now() - (self._started_at or 0.0),
            stopped=self.stopped, unfinished=end.unfinished, incomplete=end.incomplete,
        )  # fmt: skip

    async def _on_the_way_out(self) -> None:
        """After a cancellation or a crash: end what this runner started, then give
        sync agents' threads ``agent_grace`` to return."""
        with anyio.CancelScope(shield=True):
            if not self.options.keep_devboxes and (self.started_runs or self.adopted_runs):
                await sweep(self, self.started_runs)
            left = await wait_for_agents(self.options.agent_grace)
            if left:
                log.warning("%d sync agent call(s) still running; abandoned", left)


async def run_benchmark(
    client: AsyncRunloop,
    agent: Agent,
    options: RunnerOptions | None = None,
    *,
    on_event: EventCallback | None = None,
    **overrides: Any,
) -> BenchmarkResult:
    """Run ``agent`` over a benchmark's scenarios and return the result.

    Shorthand for ``await BenchmarkRunner(client, agent, ...).run()``; the arguments
    are :class:`BenchmarkRunner`'s (``options`` and/or :class:`RunnerOptions` fields
    as keywords)::

        result = await run_benchmark(client, my_agent, benchmark_id="bmd_123")
        print(result.summary())
        result.to_csv("results.csv")

    Raises:
        InvalidArgumentError: bad options or agent (before any run starts).
        RunOwnershipError: another live runner holds runs of these scenarios.
        APIError: setting up failed; single scenarios' failures are rows, not errors.
    """
    runner = BenchmarkRunner(client, agent, options, on_event=on_event, **overrides)
    return await runner.run()
