"""The resource commands: list, get, score, complete, cancel, logs."""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterable, Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .._models import (
    BenchmarkJobView,
    BenchmarkRunView,
    BenchmarkView,
    ScenarioRunView,
    ScenarioScorerView,
    ScenarioView,
)
from ._output import Output, check_writable

if TYPE_CHECKING:
    from .._client import AsyncRunloop

__all__ = [
    "COMMANDS",
    "Handler",
    "scenarios_list",
    "scorers_list",
    "runs_list",
    "runs_score",
    "runs_logs",
    "benchmarks_list",
    "benchmark_runs_list",
    "benchmark_jobs_list",
    "benchmarks_start_run",
    "logs_path",
]

T = TypeVar("T")
Handler = Callable[["AsyncRunloop", argparse.Namespace, Output], Awaitable[int]]
_MAX_PAGE = 1000


def _filters(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


async def _take(items: AsyncIterable[T], limit: int) -> list[T]:
    out: list[T] = []
    async for item in items:
        out.append(item)
        if limit and len(out) >= limit:
            break
    return out


def _page_size(limit: int) -> int:
    return min(limit, _MAX_PAGE) if limit > 0 else _MAX_PAGE


async def scenarios_list(client: AsyncRunloop, args: argparse.Namespace, out: Output) -> int:
    size = _page_size(args.limit)
    if args.public:
        pager = client.scenarios.list_public(limit=size, **_filters(name=args.name))
    else:
        pager = client.scenarios.list(
            limit=size, **_filters(name=args.name, benchmark_id=args.benchmark)
        )
    out.items(await _take(pager, args.limit), ScenarioView)
    return 0


async def scorers_list(client: AsyncRunloop, args: argparse.Namespace, out: Output) -> int:
    pager = client.scenarios.scorers.list(limit=_page_size(args.limit))
    out.items(await _take(pager, args.limit), ScenarioScorerView)
    return 0


async def runs_list(client: AsyncRunloop, args: argparse.Namespace, out: Output) -> int:
    filters = _filters(
        state=args.state, benchmark_run_id=args.benchmark_run, scenario_id=args.scenario
    )
    pager = client.scenarios.runs.list(limit=_page_size(args.limit), **filters)
    out.items(await _take(pager, args.limit), ScenarioRunView)
    return 0


async def runs_score(client: AsyncRunloop, args: argparse.Namespace, out: Output) -> int:
    runs = client.scenarios.runs
    if args.wait:
        view = await runs.score_and_await(args.id, timeout=args.timeout)
    else:
        view = await runs.score(args.id)
    out.item(view)
    return 0


def logs_path(run_id: str, output_file: str | None) -> Path:
    """Where ``runs logs`` writes: ``-o`` (a file, or a directory to hold ``<id>.zip``),
    by default ``<id>.zip`` here; checked writable before the download starts.

    Raises:
        InvalidArgumentError: the directory is missing or not writable.
    """
    path = Path(output_file or f"{run_id}.zip").expanduser()
    if path.is_dir():
        path = path / f"{run_id}.zip"
    return check_writable(path, "-o")


async def runs_logs(client: AsyncRunloop, args: argparse.Namespace, out: Output) -> int:
    path = logs_path(args.id, args.output_file)
    size = await client.scenarios.runs.download_logs_to_file(args.id, path)
    if out.human:
        out.line(f"wrote {size} bytes to {path}")
    else:
        out.data({"run_id": args.id, "path": str(path), "bytes": size})
    return 0


async def benchmarks_list(client: AsyncRunloop, args: argparse.Namespace, out: Output) -> int:
    size = _page_size(args.limit)
    bench = client.benchmarks
    pager = bench.list_public(limit=size) if args.public else bench.list(limit=size)
    out.items(await _take(pager, args.limit), BenchmarkView)
    return 0


async def benchmark_runs_list(client: AsyncRunloop, args: argparse.Namespace, out: Output) -> int:
    filters = _filters(benchmark_id=args.benchmark, state=args.state)
    pager = client.benchmark_runs.list(limit=_page_size(args.limit), **filters)
    out.items(await _take(pager, args.limit), BenchmarkRunView)
    return 0


async def benchmark_jobs_list(client: AsyncRunloop, args: argparse.Namespace, out: Output) -> int:
    pager = client.benchmark_jobs.list(limit=_page_size(args.limit))
    out.items(await _take(pager, args.limit), BenchmarkJobView)
    return 0


async def benchmarks_start_run(client: AsyncRunloop, args: argparse.Namespace, out: Output) -> int:
    extra = _filters(run_name=args.run_name)
    out.item(await client.benchmarks.start_run(benchmark_id=args.id, **extra))
    return 0


def _single(fetch: Callable[[AsyncRunloop, str], Awaitable[Any]]) -> Handler:
    async def handler(client: AsyncRunloop, args: argparse.Namespace, out: Output) -> int:
        out.item(await fetch(client, args.id))
        return 0

    return handler


async def _bench_run(client: AsyncRunloop, args: argparse.Namespace, out: Output) -> int:
    from ._bench import benchmark_run

    return await benchmark_run(client, args, out)


async def _watch(client: AsyncRunloop, args: argparse.Namespace, out: Output) -> int:
    from ._bench import watch

    return await watch(client, args, out)


async def _results(client: AsyncRunloop, args: argparse.Namespace, out: Output) -> int:
    from ._eval import benchmark_run_results

    return await benchmark_run_results(client, args, out)


COMMANDS: dict[tuple[str, str], Handler] = {
    ("scenarios", "list"): scenarios_list,
    ("scenarios", "get"): _single(lambda c, i: c.scenarios.retrieve(i)),
    ("scorers", "list"): scorers_list,
    ("scorers", "get"): _single(lambda c, i: c.scenarios.scorers.retrieve(i)),
    ("runs", "list"): runs_list,
    ("runs", "get"): _single(lambda c, i: c.scenarios.runs.retrieve(i)),
    ("runs", "score"): runs_score,
    ("runs", "complete"): _single(lambda c, i: c.scenarios.runs.complete(i)),
    ("runs", "cancel"): _single(lambda c, i: c.scenarios.runs.cancel(i)),
    ("runs", "logs"): runs_logs,
    ("benchmarks", "list"): benchmarks_list,
    ("benchmarks", "get"): _single(lambda c, i: c.benchmarks.retrieve(i)),
    ("benchmarks", "run"): _bench_run,
    ("benchmarks", "start-run"): benchmarks_start_run,
    ("benchmark-runs", "list"): benchmark_runs_list,
    ("benchmark-runs", "get"): _single(lambda c, i: c.benchmark_runs.retrieve(i)),
    ("benchmark-runs", "watch"): _watch,
    ("benchmark-runs", "results"): _results,
    ("benchmark-jobs", "list"): benchmark_jobs_list,
    ("benchmark-jobs", "get"): _single(lambda c, i: c.benchmark_jobs.retrieve(i)),
}
"""Handler of each ``(group, command)``; each returns the exit code."""
