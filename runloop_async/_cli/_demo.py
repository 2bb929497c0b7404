"""``runloop-async demo``: the main job, end to end, on the embedded emulator.

Starts the emulator in this process, creates a benchmark of N scenarios of four
kinds (mostly solvable, partial, failing, and a few where the built-in agent
crashes on purpose), each passing with a seeded probability, and runs the benchmark
runner over it with ``--attempts`` (3) attempts per scenario and live progress,
then prints the summary: outcome bars, pass@1, pass@k, pass^k and the mean score
with intervals. Then (unless ``--no-compare``) it runs the benchmark again as
"agent v2" (no crashes, better odds on the hard kinds) and prints the comparison:
regressions, fixes, the pass-rate delta with its interval and p-value (``--report``
also writes the HTML report of both). With ``--no-compare`` it prints the rows
table of the one run. Needs no API key and no network.
"""

from __future__ import annotations

import argparse
import random
from typing import TYPE_CHECKING, Any

import anyio

from .._exceptions import InvalidArgumentError
from .._models import CommandScorer, InputContext, ScoringContract, ScoringFunction
from .._runner import AgentContext, BenchmarkResult, BenchmarkRunner, RunnerOptions
from ._bench import report, save_result
from ._output import Output, check_save_path, check_writable, write_with_fallback
from ._progress import show_progress

if TYPE_CHECKING:
    from .._client import AsyncRunloop

__all__ = ["demo_agent", "kind_of", "run_demo"]

#: Pass probability of each scenario kind in the first run (crash: the agent crashes).
_V1_PASS = {"pass": 0.9, "partial": 0.5, "fail": 0.1, "crash": 0.6}
#: ... and in the second ("agent v2"): better on the hard kinds, no crashes, with
#: noise, so the comparison shows flips both ways.
_V2_PASS = {"pass": 0.9, "partial": 0.7, "fail": 0.3, "crash": 0.6}

#: Scenario kinds by index: mostly solvable, some partial, some failing, a few crashes.
_KINDS = ("pass", "pass", "pass", "pass", "pass", "pass", "partial", "fail", "pass", "crash")


def kind_of(index: int) -> str:
    """The demo kind of scenario ``index``: pass, partial, fail or crash."""
    return _KINDS[index % len(_KINDS)]


def _contract(kind: str) -> ScoringContract:
    tests = {"pass": "pytest -q", "partial": "pytest -q  # PARTIAL", "fail": "pytest -q  # FAIL"}
    command = tests.get(kind, "pytest -q")
    return ScoringContract(
        scoring_function_parameters=[
            ScoringFunction(name="unit_tests", scorer=CommandScorer(command=command), weight=0.8),
            ScoringFunction(name="lint", scorer=CommandScorer(command="ruff check ."), weight=0.2),
        ]
    )


async def demo_agent(ctx: AgentContext) -> None:
    """The demo's agent: "works" for a moment; crashes where the scenario says so."""
    await anyio.sleep(random.uniform(0.05, 0.4))
    if ctx.scenario.metadata.get("demo_kind") == "crash":
        raise RuntimeError(f"agent gave up on {ctx.scenario.name}: patch did not apply")


async def _create_benchmark(client: AsyncRunloop, count: int) -> str:
    ids: dict[int, str] = {}
    limiter = anyio.CapacityLimiter(20)

    async def create(i: int) -> None:
        kind = kind_of(i)
        async with limiter:
            view = await client.scenarios.create(
                name=f"demo-{i:03d}-{kind}",
                input_context=InputContext(problem_statement=f"Fix bug #{i} in the parser."),
                scoring_contract=_contract(kind),
                metadata={"demo_kind": kind},
            )
        ids[i] = view.id

    async with anyio.create_task_group() as tg:
        for i in range(count):
            tg.start_soon(create, i)
    bench = await client.benchmarks.create(
        name=f"demo-benchmark-{count}", scenario_ids=[ids[i] for i in sorted(ids)]
    )
    return bench.id


async def _agent_v2(ctx: AgentContext) -> None:
    """The demo's second agent: no crashes; the emulator draws each outcome."""
    await anyio.sleep(random.uniform(0.05, 0.4))


def _set_odds(emu: Any, count: int, odds: dict[str, float]) -> None:
    for i in range(count):
        kind = kind_of(i)
        emu.set_pass_probability(f"demo-{i:03d}-{kind}", odds[kind])


async def _run(client: AsyncRunloop, agent: Any, args: argparse.Namespace, name: str,
               benchmark_id: str) -> BenchmarkResult:  # fmt: skip
    runner = BenchmarkRunner(
        client, agent, benchmark_id=benchmark_id, concurrency=args.concurrency,
        attempts=args.attempts, run_name=name,
    )  # fmt: skip
    title = f"{name}: {args.scenarios} scenarios x {args.attempts} @ concurrency {args.concurrency}"
    async with show_progress(runner.progress, title, enabled=not args.no_live, every=1.0):
        return await runner.run()


async def _demo(
    args: argparse.Namespace, out: Output
) -> tuple[BenchmarkResult, BenchmarkResult | None]:
    from .._client import AsyncRunloop
    from .._eval import render_summary
    from ..testing import Emulator, EmulatorConfig

    config = EmulatorConfig(scoring_delay=0.2, devbox_boot_delay=0.2)
    async with Emulator(config) as emu, AsyncRunloop(emu.api_key, emu.base_url) as client:
        out.line(f"emulator on {emu.base_url}; creating {args.scenarios} scenarios ...")
        benchmark_id = await _create_benchmark(client, args.scenarios)
        _set_odds(emu, args.scenarios, _V1_PASS)
        first = await _run(client, demo_agent, args, "demo run", benchmark_id)
        if args.no_compare:
            return first, None
        out.out.write(render_summary(first, color=out.fancy))
        out.line(f"{first.summary()} | benchmark run {first.benchmark_run_id}")
        out.line("\nsecond run: agent v2 (no crashes, better odds on the hard scenarios) ...")
        _set_odds(emu, args.scenarios, _V2_PASS)
        second = await _run(client, _agent_v2, args, "demo run v2", benchmark_id)
        out.out.write(render_summary(second, color=out.fancy))
        out.line(f"{second.summary()} | benchmark run {second.benchmark_run_id}")
        return first, second


def run_demo(args: argparse.Namespace) -> int:
    """Run the demo; exit code 0 when it ran through.

    Raises:
        InvalidArgumentError: a bad ``--scenarios``, ``--attempts`` or ``--concurrency``.
    """
    if args.scenarios < 1:
        raise InvalidArgumentError(f"--scenarios must be at least 1, got {args.scenarios}")
    RunnerOptions(benchmark_id="-", attempts=args.attempts, concurrency=args.concurrency)
    out = Output("human", plain=args.plain)
    if args.save:
        check_save_path(args.save)
    if args.report:
        check_writable(args.report, "--report")
    result, second = anyio.run(_demo, args, out)
    if second is None:
        report(result, out)
    else:
        _compare_runs(result, second, args, out)
    if args.save:
        fallback = write_with_fallback(lambda path: save_result(result, path), args.save)
        out.line(f"results written to {fallback or args.save}")
        if fallback:
            from . import EXIT_LOCAL

            return EXIT_LOCAL
    return 0


def _compare_runs(
    first: BenchmarkResult, second: BenchmarkResult, args: argparse.Namespace, out: Output
) -> None:
    from .._eval import compare_results
    from ._eval import print_comparison

    labels = ("run 1", "run 2 (agent v2)")
    out.line("")
    print_comparison(compare_results(first, second, labels=labels), out)
    if args.report:
        from .._eval._html import write_report

        write_report(list(zip(labels, (first, second), strict=True)), args.report)
        out.line(f"report written to {args.report}")
