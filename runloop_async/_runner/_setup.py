"""Before any scenario starts: find the benchmark run, the scenarios, what is done,
what another live runner holds; start the benchmark run if there is none.

Everything that can be rejected is rejected here, before a single scenario run
exists.
"""

from __future__ import annotations

import logging
import time
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from .._exceptions import InvalidArgumentError, RunloopError, RunOwnershipError
from .._models import BenchmarkRunState, BenchmarkRunView, ScenarioRunView
from ._owner import Owner, owner_is_live
from ._shard import ResumePlan, plan_resume, select_shard

if TYPE_CHECKING:
    from ._runner import BenchmarkRunner

__all__ = ["PAGE", "list_benchmark_runs", "prepare"]

PAGE = 1000
log = logging.getLogger("runloop_async.runner")


async def prepare(runner: BenchmarkRunner) -> tuple[list[str], ResumePlan]:
    """The selected scenario ids and the resume plan; starts a benchmark run if needed.

    Raises:
        InvalidArgumentError: inconsistent arguments (another benchmark's run, ids
            not in the benchmark, a finished benchmark run with work left).
        RunOwnershipError: another live runner holds runs of the selected scenarios.
        APIError: the API failed for good.
    """
    opts = runner.options
    brun = None
    if opts.benchmark_run_id is not None:
        brun = await runner.persist(
            lambda: runner.client.benchmark_runs.retrieve(opts.benchmark_run_id or ""),
            "retrieve the benchmark run",
        )  # fmt: skip
        _check_same_benchmark(opts.benchmark_id, brun)
        runner.benchmark_id = opts.benchmark_id or brun.benchmark_id
    ids = await _scenario_ids(runner)
    selected = select_shard(ids, opts.shard)
    if brun is None:
        if runner.benchmark_id is not None and selected:
            if opts.sharded:
                raise InvalidArgumentError(
                    "shards must share one benchmark run: start it first "
                    "(client.benchmarks.start_run) and pass benchmark_run_id= to every shard"
                )
            await _start_benchmark_run(runner, runner.benchmark_id)
        return selected, plan_resume(selected, [], attempts=runner.attempts)
    plan = _plan(runner, selected, await list_benchmark_runs(runner, brun.id))
    if (plan.todo or plan.adopt) and brun.state in BenchmarkRunState.TERMINAL:
        raise InvalidArgumentError(
            f"benchmark run {brun.id} is {brun.state}; only a running one can be resumed"
        )
    return selected, plan


def _check_same_benchmark(benchmark_id: str | None, brun: BenchmarkRunView) -> None:
    if benchmark_id is not None and brun.benchmark_id not in (None, benchmark_id):
        raise InvalidArgumentError(
            f"benchmark run {brun.id} belongs to benchmark {brun.benchmark_id}, not {benchmark_id}"
        )


async def _scenario_ids(runner: BenchmarkRunner) -> list[str]:
    opts, benchmark_id = runner.options, runner.benchmark_id
    ids = None if opts.scenario_ids is None else list(opts.scenario_ids)
    if benchmark_id is None:
        if ids is None:
            raise InvalidArgumentError(f"benchmark run {opts.benchmark_run_id} has no benchmark")
        return ids
    await _prefetch_views(runner, benchmark_id)
    benchmark = await runner.persist(
        lambda: runner.client.benchmarks.retrieve(benchmark_id), "retrieve the benchmark"
    )
    runner.all_scenario_ids = list(benchmark.scenario_ids)
    if ids is None:
        return list(benchmark.scenario_ids)
    strangers = sorted(set(ids) - set(benchmark.scenario_ids))
    if strangers:
        raise InvalidArgumentError(
            f"scenario(s) not in benchmark {benchmark_id}: {', '.join(strangers[:10])}"
        )
    return ids


async def _prefetch_views(runner: BenchmarkRunner, benchmark_id: str) -> None:
    with suppress(RunloopError):  # optional: scenarios are retrieved one by one then
        async for view in runner.client.benchmarks.definitions(benchmark_id, limit=PAGE):
            runner.views[view.id] = view


async def _start_benchmark_run(runner: BenchmarkRunner, benchmark_id: str) -> None:
    opts = runner.options
    extra: dict[str, Any] = {}
    for key in ("run_name", "metadata", "run_profile"):
        if getattr(opts, key) is not None:
            extra[key] = getattr(opts, key)
    if "metadata" in extra:
        extra["metadata"] = dict(extra["metadata"])
    key = f"runloop-async-bmr-{runner.owner.runner_id}"
    brun = await runner.persist(
        lambda: runner.client.benchmarks.start_run(
            benchmark_id=benchmark_id, idempotency_key=key, **extra
        ),
        "start the benchmark run",
    )  # fmt: skip
    runner.benchmark_run_id = brun.id


async def list_benchmark_runs(runner: BenchmarkRunner, brun_id: str) -> list[ScenarioRunView]:
    """Every scenario run of the benchmark run (all pages), retried through outages."""

    async def collect() -> list[ScenarioRunView]:
        pager = runner.client.benchmark_runs.list_scenario_runs(brun_id, limit=PAGE)
        return [run async for run in pager]

    return await runner.persist(collect, "list the benchmark run's scenario runs")


def _plan(
    runner: BenchmarkRunner, selected: list[str], existing: list[ScenarioRunView]
) -> ResumePlan:
    me, now, takeover = runner.owner, time.time(), runner.options.takeover
    plan = plan_resume(
        selected, existing, attempts=runner.attempts,
        is_held=lambda run: not takeover and owner_is_live(run, me, now=now),
    )  # fmt: skip
    runner.runs_seen = dict(plan.runs_seen)
    if plan.attempts > runner.attempts:
        log.info("the benchmark run's runs were planned with %d attempts per scenario "
                 "(%d asked): running them all", plan.attempts, runner.attempts)  # fmt: skip
    runner.attempts = plan.attempts
    if plan.held:
        raise RunOwnershipError(_held_message(plan.held), runs=plan.held)
    return plan


def _held_message(held: list[ScenarioRunView]) -> str:
    owners = {o.describe() for run in held if (o := Owner.of(run.metadata)) is not None}
    listed = ", ".join(f"{run.id} ({run.state})" for run in held[:20])
    more = f" and {len(held) - 20} more" if len(held) > 20 else ""
    return (
        f"{len(held)} scenario run(s) of this benchmark run are held by another live "
        f"runner ({'; '.join(sorted(owners))}): {listed}{more}. Wait for it to finish, "
        "or, if it is gone, pass takeover=True (--takeover)"
    )
