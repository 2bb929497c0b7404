"""The benchmark runner: a benchmark run fanned out over its scenarios, safely.

``await run_benchmark(client, agent, benchmark_id=...)`` does what every benchmark
script does (start a benchmark run; per scenario start a run, wait for its devbox,
call the agent, score, wait for the score, complete; complete the benchmark run;
report), with bounded concurrency, per-scenario isolation, resume, sharding and
cleanup on cancellation.
"""

from __future__ import annotations

import inspect
import logging
import math
from collections.abc import Mapping, Sequence
from contextlib import suppress
from typing import TYPE_CHECKING, Any

import anyio
import attrs
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from .._exceptions import InvalidArgumentError, RunloopError
from .._models import BenchmarkRunState, BenchmarkRunView, ScenarioRunView, ScenarioView
from ._agent import Agent
from ._events import EventCallback, EventKind, RunnerEvent, RunnerProgress
from ._results import BenchmarkResult, ScenarioResult, outcome_of
from ._scenario import ScenarioTask, finish_run
from ._shard import ResumePlan, Shard, check_shard, plan_resume, select_shard

if TYPE_CHECKING:
    from .._client import AsyncRunloop

__all__ = ["BenchmarkRunner", "run_benchmark"]

log = logging.getLogger("runloop_async.runner")
_PAGE = 1000


class BenchmarkRunner:
    """Runs an agent over the scenarios of a benchmark (or a list of scenarios).

    Create it, optionally :meth:`subscribe` to its events, then ``await runner.run()``.
    :func:`run_benchmark` does all of that in one call; the arguments are the same.

    Args:
        client: The :class:`AsyncRunloop` to use.
        agent: ``agent(ctx: AgentContext)``, async or sync (sync ones run in worker
            threads). It works on ``ctx.devbox_id``; raising marks the scenario errored.
        benchmark_id: Run this benchmark's scenarios in a new benchmark run.
        scenario_ids: Run these scenarios (with ``benchmark_id`` or
            ``benchmark_run_id``: only these of the benchmark; alone: loose scenario
            runs, no benchmark run).
        benchmark_run_id: Resume (or share, between shards) this benchmark run:
            scenarios already ``scored``/``completed`` in it are skipped and reported
            as ``resumed``; runs left ``running``/``scoring`` by a dead process are
            canceled and their scenarios run again.
        concurrency: Scenarios in flight at once. Default 50.
        shard: ``(index, count)``: run only this share of the scenarios (sorted ids,
            every ``count``-th). Shards of a benchmark need a shared ``benchmark_run_id``.
        complete_benchmark_run: Complete the benchmark run at the end (even when
            scenarios failed). Default: yes, unless sharded (then the last shard, or
            you, completes it: ``client.benchmark_runs.complete``).
        keep_devboxes: Leave a failed scenario's run and devbox up for debugging.
            Default False: it is canceled and its devbox shut down.
        env_ready_timeout: Deadline for each devbox to be running. Default 600 s.
        env_retries: New scenario runs to try when a devbox fails to start (fails or
            misses ``env_ready_timeout``): infrastructure flakes, not the agent's
            fault. Default 1. The failed run is canceled first.
        scoring_timeout: Deadline for each scoring. Default 1800 s.
        agent_timeout: Deadline for each agent call. Default ``None`` (no limit).
        run_name: Name of the new benchmark run.
        metadata: Metadata for the benchmark run and every scenario run.
        run_profile: Run profile for the benchmark run and every scenario run.
        on_event: Called with every :class:`RunnerEvent` (plain or async callable);
            its exceptions are logged and ignored.

    On cancellation (Ctrl-C, a cancel scope, a task group) every scenario run it
    started is canceled (devbox shut down), shielded from the cancellation, before
    the cancellation propagates. The benchmark run is left ``running`` so it can be
    resumed with ``benchmark_run_id=``.
    """

    def __init__(
        self,
        client: AsyncRunloop,
        agent: Agent,
        *,
        benchmark_id: str | None = None,
        scenario_ids: Sequence[str] | None = None,
        benchmark_run_id: str | None = None,
        concurrency: int = 50,
        shard: Shard | None = None,
        complete_benchmark_run: bool | None = None,
        keep_devboxes: bool = False,
        env_ready_timeout: float | None = 600.0,
        env_retries: int = 1,
        scoring_timeout: float | None = 1800.0,
        agent_timeout: float | None = None,
        run_name: str | None = None,
        metadata: Mapping[str, str] | None = None,
        run_profile: Any = None,
        on_event: EventCallback | None = None,
    ) -> None:
        if benchmark_id is None and scenario_ids is None and benchmark_run_id is None:
            raise InvalidArgumentError("give benchmark_id, scenario_ids or benchmark_run_id")
        if isinstance(scenario_ids, str):
            raise InvalidArgumentError("scenario_ids must be a list of ids, not one string")
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise InvalidArgumentError(f"concurrency must be a positive int, got {concurrency!r}")
        if isinstance(env_retries, bool) or not isinstance(env_retries, int) or env_retries < 0:
            raise InvalidArgumentError(f"env_retries must be an int >= 0, got {env_retries!r}")
        self.client, self.agent = client, agent
        self.benchmark_id, self.benchmark_run_id = benchmark_id, benchmark_run_id
        self.scenario_ids = None if scenario_ids is None else list(scenario_ids)
        self.concurrency, self.shard = concurrency, check_shard(shard)
        self.complete_benchmark_run = complete_benchmark_run
        self.keep_devboxes = keep_devboxes
        self.env_ready_timeout, self.scoring_timeout = env_ready_timeout, scoring_timeout
        self.env_retries = env_retries
        self.agent_timeout = agent_timeout
        self.run_name, self.metadata, self.run_profile = run_name, metadata, run_profile
        self.on_event = on_event
        self.progress = RunnerProgress()
        self.threads = anyio.CapacityLimiter(concurrency)
        self._limiter = anyio.CapacityLimiter(concurrency)
        self._streams: list[MemoryObjectSendStream[RunnerEvent]] = []
        self._views: dict[str, ScenarioView] = {}
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

    async def emit(self, kind: str, **fields: Any) -> None:
        """Record one event: progress, then subscribers, then ``on_event`` (awaited if
        it returns an awaitable; its exceptions are logged and ignored)."""
        start = self._started_at if self._started_at is not None else anyio.current_time()
        event = RunnerEvent(kind=kind, at=anyio.current_time() - start, **fields)
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

    # -- helpers the scenario tasks use -----------------------------------------------

    async def scenario_view(self, scenario_id: str) -> ScenarioView:
        """The scenario's view (prefetched from the benchmark when possible)."""
        view = self._views.get(scenario_id)
        if view is None:
            view = await self.client.scenarios.retrieve(scenario_id)
            self._views[scenario_id] = view
        return view

    async def start_scenario_run(self, scenario_id: str) -> ScenarioRunView:
        """Start one scenario run in this runner's benchmark run."""
        extra: dict[str, Any] = {}
        if self.run_profile is not None:
            extra["run_profile"] = self.run_profile
        if self.metadata is not None:
            extra["metadata"] = dict(self.metadata)
        if self.benchmark_run_id is not None:
            extra["benchmark_run_id"] = self.benchmark_run_id
        return await self.client.scenarios.start_run(scenario_id=scenario_id, **extra)

    # -- the run ----------------------------------------------------------------------

    async def run(self) -> BenchmarkResult:
        """Run every selected scenario; return the result. Call it once.

        Raises:
            InvalidArgumentError: inconsistent arguments (found before any run starts).
            APIError: setting up failed (benchmark not found, listing runs failed).
                Failures of single scenarios never raise; they are rows.
        """
        if self._started_at is not None:
            raise InvalidArgumentError("a BenchmarkRunner runs once; create a new one")
        self._started_at = anyio.current_time()
        try:
            selected, plan = await self._prepare()
            await self.emit(EventKind.RUN_STARTED, benchmark_run_id=self.benchmark_run_id,
                      total=len(selected))  # fmt: skip
            rows = await self._resume_rows(plan)
            rows.update(await self._fan_out(plan.todo))
            brun = await self._finish_benchmark_run()
            await self.emit(EventKind.RUN_FINISHED, benchmark_run_id=self.benchmark_run_id)
        finally:
            for stream in self._streams:
                stream.close()
        return BenchmarkResult(
            rows=[rows[sid] for sid in selected], benchmark_id=self.benchmark_id,
            benchmark_run_id=self.benchmark_run_id, benchmark_run=brun, shard=self.shard,
            wall_time_s=anyio.current_time() - self._started_at,
        )  # fmt: skip

    async def _prepare(self) -> tuple[list[str], ResumePlan]:
        brun = None
        if self.benchmark_run_id is not None:
            brun = await self.client.benchmark_runs.retrieve(self.benchmark_run_id)
            self.benchmark_id = self.benchmark_id or brun.benchmark_id
        ids = self.scenario_ids
        if self.benchmark_id is not None:
            await self._prefetch_views(self.benchmark_id)
            if ids is None:
                benchmark = await self.client.benchmarks.retrieve(self.benchmark_id)
                ids = benchmark.scenario_ids
        if ids is None:
            raise InvalidArgumentError(f"benchmark run {self.benchmark_run_id} has no benchmark")
        selected = select_shard(ids, self.shard)
        if brun is None:
            plan = plan_resume(selected, [])
            if self.benchmark_id is not None and selected:
                self._check_unsharded()
                brun = await self._start_benchmark_run(self.benchmark_id)
        else:
            plan = plan_resume(selected, await self._existing_runs(brun.id))
            if plan.todo and brun.state in BenchmarkRunState.TERMINAL:
                raise InvalidArgumentError(
                    f"benchmark run {brun.id} is {brun.state}; only a running one can be resumed"
                )
        return selected, plan

    def _check_unsharded(self) -> None:
        if self.shard is not None and self.shard[1] > 1:
            raise InvalidArgumentError(
                "shards must share one benchmark run: start it first "
                "(client.benchmarks.start_run) and pass benchmark_run_id= to every shard"
            )

    async def _start_benchmark_run(self, benchmark_id: str) -> BenchmarkRunView:
        extra: dict[str, Any] = {}
        for key in ("run_name", "metadata", "run_profile"):
            if getattr(self, key) is not None:
                extra[key] = getattr(self, key)
        brun = await self.client.benchmarks.start_run(benchmark_id=benchmark_id, **extra)
        self.benchmark_run_id = brun.id
        return brun

    async def _prefetch_views(self, benchmark_id: str) -> None:
        with suppress(RunloopError):  # optional: scenarios are retrieved one by one then
            async for view in self.client.benchmarks.definitions(benchmark_id, limit=_PAGE):
                self._views[view.id] = view

    async def _existing_runs(self, benchmark_run_id: str) -> list[ScenarioRunView]:
        pager = self.client.benchmark_runs.list_scenario_runs(benchmark_run_id, limit=_PAGE)
        return [run async for run in pager]

    async def _resume_rows(self, plan: ResumePlan) -> dict[str, ScenarioResult]:
        """Clean up what a dead process left, and report the scenarios already done."""
        finished: dict[str, ScenarioRunView] = dict(plan.done)

        async def settle(run: ScenarioRunView) -> None:
            async with self._limiter:
                state = await finish_run(self, run)
            best = finished.get(run.scenario_id)
            if best is not None and best.id == run.id and state is not None:
                finished[run.scenario_id] = _with_state(run, state)

        async with anyio.create_task_group() as tg:
            for run in [*plan.orphans, *plan.to_complete]:
                tg.start_soon(settle, run)
        rows = {}
        for sid, run in finished.items():
            name = self._views[sid].name if sid in self._views else None
            rows[sid] = ScenarioResult(
                scenario_id=sid, scenario_name=name, run_id=run.id, devbox_id=run.devbox_id,
                state=run.state, score=run.score, resumed=True, attempts=0, last_view=run,
            )  # fmt: skip
            await self.emit(
                EventKind.SKIPPED, scenario_id=sid, scenario_name=name, run_id=run.id,
                state=run.state, score=run.score, outcome=outcome_of(run.state, run.score, None),
            )  # fmt: skip
        return rows

    async def _fan_out(self, todo: list[str]) -> dict[str, ScenarioResult]:
        rows: dict[str, ScenarioResult] = {}

        async def one(scenario_id: str) -> None:
            async with self._limiter:
                # A devbox that fails to start is retried with a new run; the task
                # emits ``retrying`` instead of ``failed`` while attempts remain.
                for attempt in range(1, self.env_retries + 2):
                    final = attempt > self.env_retries
                    task = ScenarioTask(self, scenario_id, attempt=attempt, final=final)
                    rows[scenario_id] = await task()
                    if final or not task.retry_env:
                        break

        async with anyio.create_task_group() as tg:
            for scenario_id in todo:
                tg.start_soon(one, scenario_id)
        return rows

    async def _finish_benchmark_run(self) -> BenchmarkRunView | None:
        brid = self.benchmark_run_id
        if brid is None:
            return None
        complete = self.complete_benchmark_run
        if complete is None:
            complete = self.shard is None or self.shard[1] == 1
        try:
            if complete:
                return await self.client.benchmark_runs.complete(brid)
            return await self.client.benchmark_runs.retrieve(brid)
        except RunloopError:
            log.warning("could not complete benchmark run %s", brid, exc_info=True)
            return None


def _with_state(run: ScenarioRunView, state: str) -> ScenarioRunView:
    return attrs.evolve(run, state=state)


async def run_benchmark(
    client: AsyncRunloop,
    agent: Agent,
    *,
    benchmark_id: str | None = None,
    scenario_ids: Sequence[str] | None = None,
    benchmark_run_id: str | None = None,
    concurrency: int = 50,
    shard: Shard | None = None,
    complete_benchmark_run: bool | None = None,
    keep_devboxes: bool = False,
    env_ready_timeout: float | None = 600.0,
    env_retries: int = 1,
    scoring_timeout: float | None = 1800.0,
    agent_timeout: float | None = None,
    run_name: str | None = None,
    metadata: Mapping[str, str] | None = None,
    run_profile: Any = None,
    on_event: EventCallback | None = None,
) -> BenchmarkResult:
    """Run ``agent`` over a benchmark's scenarios and return the result.

    Shorthand for ``await BenchmarkRunner(client, agent, ...).run()``; the arguments
    are :class:`BenchmarkRunner`'s::

        result = await run_benchmark(client, my_agent, benchmark_id="bmd_123")
        print(result.summary())
        result.to_csv("results.csv")

    Raises:
        InvalidArgumentError: inconsistent arguments (before any run starts).
        APIError: setting up failed; single scenarios' failures are rows, not errors.
    """
    runner = BenchmarkRunner(
        client, agent, benchmark_id=benchmark_id, scenario_ids=scenario_ids,
        benchmark_run_id=benchmark_run_id, concurrency=concurrency, shard=shard,
        complete_benchmark_run=complete_benchmark_run, keep_devboxes=keep_devboxes,
        env_ready_timeout=env_ready_timeout, env_retries=env_retries,
        scoring_timeout=scoring_timeout, agent_timeout=agent_timeout, run_name=run_name,
        metadata=metadata,
        run_profile=run_profile, on_event=on_event,
    )  # fmt: skip
    return await runner.run()
