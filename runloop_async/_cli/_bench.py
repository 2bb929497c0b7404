"""``benchmarks run`` (the runner from the command line), ``benchmark-runs watch``, and
the result report both share with ``demo``.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import importlib.util
import json
import os
import shlex
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import attrs

from .._exceptions import InvalidArgumentError
from .._models import BenchmarkRunState
from .._runner import (
    AgentContext,
    BenchmarkResult,
    BenchmarkRunner,
    EventKind,
    RunnerEvent,
    RunnerOptions,
    RunnerProgress,
    parse_shard,
)
from .._runner._agent import agents_running
from .._runner._attempts import planned_attempts
from .._steps import check_seconds
from ._eval import result_document
from ._output import Output, check_save_path, fmt_score, write_with_fallback
from ._progress import progress_of_runs, show_progress

if TYPE_CHECKING:
    from .._client import AsyncRunloop

__all__ = [
    "benchmark_run",
    "load_agent",
    "report",
    "resume_command",
    "runner_options",
    "save_result",
    "watch",
    "watch_signals",
]


async def _noop_agent(ctx: AgentContext) -> None:
    """Does nothing: scores the environment as the scenario sets it up."""


def load_agent(spec: str) -> Any:
    """The agent named by ``module:function``, ``path/to/file.py:function`` or ``noop``.

    Raises:
        InvalidArgumentError: the spec is malformed, or the module or name is missing.
    """
    if spec == "noop":
        return _noop_agent
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise InvalidArgumentError(f"--agent must look like module:function, got {spec!r}")
    try:
        if module_name.endswith(".py"):
            loader = importlib.util.spec_from_file_location("_runloop_agent", module_name)
            if loader is None or loader.loader is None:
                raise ImportError(module_name)
            module = importlib.util.module_from_spec(loader)
            loader.loader.exec_module(module)
        else:
            if os.getcwd() not in sys.path:
                sys.path.insert(0, os.getcwd())
            module = importlib.import_module(module_name)
    except Exception as exc:  # ImportError, OSError, SyntaxError, or its own raise
        raise InvalidArgumentError(f"cannot import agent module {module_name!r}: {exc}") from None
    agent = getattr(module, attr, None)
    if not callable(agent):
        raise InvalidArgumentError(f"{module_name!r} has no callable {attr!r}")
    return agent


def _write_json(result: BenchmarkResult, path: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(result_document(result), indent=2) + "\n")


def save_result(result: BenchmarkResult, path: str) -> None:
    """Write ``result`` to ``path`` as JSON (with its metrics), JSONL or CSV, by extension.

    Raises:
        InvalidArgumentError: another extension.
    """
    suffix = Path(path).suffix.lower()
    writers: dict[str, Callable[[str], object]] = {
        ".json": functools.partial(_write_json, result), ".jsonl": result.to_jsonl,
        ".csv": result.to_csv,
    }  # fmt: skip
    if suffix not in writers:
        raise InvalidArgumentError(f"--save needs a .json, .jsonl or .csv path, got {path!r}")
    writers[suffix](path)


def report(result: BenchmarkResult, out: Output) -> None:
    """Print the result: the rows (an ``attempt`` column with attempts) and the totals,
    or JSON/JSONL. On a terminal the totals are the compact summary (outcome bars,
    pass rate, pass@k, mean score with intervals); in JSON modes that summary goes
    to stderr when it is a terminal, never into the data."""
    from .._eval._text import render_summary, result_table

    if not out.human:
        out.data(result_document(result) if out.mode == "json" else
                 [row.to_dict() for row in result.rows])  # fmt: skip
        if sys.stderr.isatty():
            sys.stderr.write(render_summary(result, color=not out.plain))
        return
    out.table(*result_table(result))
    brun = f" | benchmark run {result.benchmark_run_id}" if result.benchmark_run_id else ""
    out.line("")
    if out.out.isatty():
        out.out.write(render_summary(result, color=not out.plain))
        out.line(f"{result.summary()}{brun}")
        return
    t = result.totals

    def pct(n: int) -> str:
        return f"{100 * n / t.total:.1f}%" if t.total else "-"

    out.line("")
    out.table(
        ["passed (score=1)", "failed (score<1)", "errored", "total", "mean score"],
        [[f"{t.passed} ({pct(t.passed)})", f"{t.failed} ({pct(t.failed)})",
          f"{t.errored} ({pct(t.errored)})", str(t.total), fmt_score(t.mean_score)]],
    )  # fmt: skip
    out.line(f"{result.summary()}{brun}")


def _complete_flag(args: argparse.Namespace) -> bool | None:
    if args.no_complete and args.complete:
        raise InvalidArgumentError("--complete and --no-complete contradict each other")
    return False if args.no_complete else (True if args.complete else None)


def runner_options(args: argparse.Namespace) -> RunnerOptions:
    """The :class:`RunnerOptions` of a ``benchmarks run`` command line.

    Raises:
        InvalidArgumentError: a bad value (before anything starts).
    """
    return RunnerOptions(
        benchmark_id=args.id, benchmark_run_id=args.benchmark_run,
        scenario_ids=args.scenarios.split(",") if args.scenarios else None,
        shard=parse_shard(args.shard) if args.shard else None, run_name=args.run_name,
        attempts=args.attempts, concurrency=args.concurrency,
        complete_benchmark_run=_complete_flag(args),
        keep_devboxes=args.keep_devboxes, env_retries=args.env_retries, takeover=args.takeover,
        env_ready_timeout=args.env_timeout, agent_timeout=args.agent_timeout,
        scoring_timeout=args.scoring_timeout, cleanup_timeout=args.cleanup_timeout,
        outage_timeout=args.outage_timeout,
    )  # fmt: skip


def resume_command(args: argparse.Namespace, benchmark_run_id: str) -> str:
    """The command line that resumes this run (same benchmark, agent and shard)."""
    parts = ["runloop-async", "benchmarks", "run", args.id, "--agent", args.agent,
             "--benchmark-run", benchmark_run_id]  # fmt: skip
    if args.shard:
        parts += ["--shard", args.shard]
    if args.scenarios:
        parts += ["--scenarios", args.scenarios]
    if args.attempts != 1:
        parts += ["--attempts", str(args.attempts)]
    return " ".join(shlex.quote(part) for part in parts)


def _say(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


async def benchmark_run(client: AsyncRunloop, args: argparse.Namespace, out: Output) -> int:
    """``benchmarks run``: the runner over one benchmark, with live progress.

    Exit codes: 0 every row finished and the benchmark run completed (or, for a
    shard, this shard's rows finished); 1 errored rows, a long outage, or the
    benchmark run left incomplete (the resume command is printed); 130/143 Ctrl-C
    or SIGTERM (runs canceled, resume command printed).
    """
    opts = runner_options(args)
    check_seconds("--progress-every", args.progress_every, optional=False)
    if args.save:  # before anything runs: a finished benchmark must never lose its results
        check_save_path(args.save)
    if args.max_retries is not None:
        if args.max_retries < 0:
            raise InvalidArgumentError(f"--max-retries must be >= 0, got {args.max_retries}")
        client = client.with_options(max_retries=args.max_retries)

    def on_event(event: RunnerEvent) -> None:
        if event.kind == EventKind.RUN_STARTED and event.benchmark_run_id:
            _say(f"benchmark run {event.benchmark_run_id} started; to resume it: "
                 f"{resume_command(args, event.benchmark_run_id)}")  # fmt: skip

    runner = BenchmarkRunner(client, load_agent(args.agent), opts, on_event=on_event)
    signals: list[int] = []
    result: BenchmarkResult | None = None
    async with anyio.create_task_group() as outer:
        run_scope = anyio.CancelScope()
        outer.start_soon(watch_signals, run_scope, signals)
        with run_scope:
            title, every = f"benchmark {args.id}", args.progress_every
            async with show_progress(runner.progress, title, enabled=not args.no_live, every=every):
                result = await runner.run()
        outer.cancel_scope.cancel()
    if result is None:
        return _interrupted(args, runner.benchmark_run_id, signals)
    report(result, out)
    if not result.ok and result.benchmark_run_id and not result.benchmark_run_completed:
        why = result.stopped or result.incomplete or "not every scenario finished"
        _say(f"benchmark run {result.benchmark_run_id} left running ({why}); to resume it: "
             f"{resume_command(args, result.benchmark_run_id)}")  # fmt: skip
    if args.save and write_with_fallback(lambda path: save_result(result, path), args.save):
        from . import EXIT_LOCAL

        return EXIT_LOCAL  # saved, but not where asked (the line above says where)
    return 0 if result.ok else 1


async def watch_signals(scope: anyio.CancelScope, signals: list[int]) -> None:
    """SIGINT and SIGTERM cancel ``scope`` (the run cleans up); a second one exits now.

    Where the loop cannot take signals (Windows), Ctrl-C stays a KeyboardInterrupt.
    """
    if sys.platform == "win32":
        return
    with anyio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as received:
        async for signum in received:
            if signals:
                _say("runloop-async: interrupted again; exiting now (runs may be left: resume)")
                os._exit(128 + signals[0])
            signals.append(int(signum))
            _say("runloop-async: interrupted; canceling the runs (Ctrl-C again to exit now)")
            scope.cancel()


def _interrupted(args: argparse.Namespace, benchmark_run_id: str | None, signals: list[int]) -> int:
    code = 128 + (signals[0] if signals else signal.SIGINT)
    if benchmark_run_id:
        _say(f"interrupted; resume with --benchmark-run {benchmark_run_id}: "
             f"{resume_command(args, benchmark_run_id)}")  # fmt: skip
    if agents_running():
        # A sync agent's thread cannot be stopped and would hold the interpreter's
        # exit (and turn a second Ctrl-C into a traceback): the runs are canceled
        # already, so leave now.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


async def watch(client: AsyncRunloop, args: argparse.Namespace, out: Output) -> int:
    """``benchmark-runs watch``: poll until the benchmark run ends, showing progress.

    Exit code 0 when it completed, 1 when it failed or was canceled (or on timeout).
    """
    progress = RunnerProgress()
    brun = await client.benchmark_runs.retrieve(args.id)
    total = None
    if brun.benchmark_id:
        total = len((await client.benchmarks.retrieve(brun.benchmark_id)).scenario_ids)
    with anyio.move_on_after(args.timeout) as scope:
        async with show_progress(progress, f"benchmark run {args.id}", every=args.interval):
            while True:
                pager = client.benchmark_runs.list_scenario_runs(args.id, limit=1000)
                runs = [run async for run in pager]
                # with attempts, every scenario is expected as often as its runs were planned
                expected = None if total is None else total * max(1, planned_attempts(runs))
                fresh = progress_of_runs(runs, expected)
                fresh.elapsed = max(0.0, (_now_ms() - brun.start_time_ms) / 1000)
                for field in attrs.fields(RunnerProgress):
                    setattr(progress, field.name, getattr(fresh, field.name))
                if brun.state in BenchmarkRunState.TERMINAL:
                    break
                await anyio.sleep(args.interval)
                brun = await client.benchmark_runs.retrieve(args.id)
    if out.human:
        out.line(f"benchmark run {brun.id}: {brun.state}, score {fmt_score(brun.score)}")
        out.line(progress.summary())
    else:
        out.data({"benchmark_run": _jsonable(brun), "timed_out": scope.cancelled_caught,
                  "passed": progress.passed, "failed": progress.failed,
                  "errored": progress.errored, "in_flight": progress.in_flight})  # fmt: skip
    return 0 if brun.state == BenchmarkRunState.COMPLETED else 1


def _jsonable(obj: Any) -> Any:
    from ._output import jsonable

    return jsonable(obj)


def _now_ms() -> float:
    import time

    return time.time() * 1000
