"""``benchmark-runs results``, ``compare`` and ``report``: evaluating runs from the CLI.

``compare`` and ``report`` take benchmark run ids or result files (``--save`` /
``to_json`` output, ``.json``, ``.jsonl`` or ``.csv``); an API key is needed only
when an argument is a benchmark run id.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio

from .._exceptions import ConfigurationError, InvalidArgumentError
from .._runner._results import BenchmarkResult
from ._output import Output, jsonable

if TYPE_CHECKING:
    from .._client import AsyncRunloop
    from .._eval._compare import Comparison

__all__ = [
    "benchmark_run_results",
    "is_file_source",
    "load_sources",
    "print_comparison",
    "run_eval_command",
    "result_document",
]

_FILE_SUFFIXES = (".json", ".jsonl", ".csv")


def is_file_source(text: str) -> bool:
    """Whether a ``compare``/``report`` argument names a file (else a benchmark run id).

    An existing path is a file; so is anything with a path separator or a results
    extension (then a missing file is an error, not an id).
    """
    return (
        Path(text).exists()
        or text.lower().endswith(_FILE_SUFFIXES)
        or "/" in text
        or os.sep in text
    )


async def _load_ids(ids: list[str]) -> dict[str, BenchmarkResult]:
    from .._client import AsyncRunloop
    from .._eval._load import load_benchmark_run

    if not os.environ.get("RUNLOOP_API_KEY"):
        raise ConfigurationError(
            f"{ids[0]!r} is not a file, so it needs the API: set RUNLOOP_API_KEY"
        )
    found: dict[str, BenchmarkResult] = {}
    async with AsyncRunloop() as client:
        for brun_id in dict.fromkeys(ids):
            found[brun_id] = await load_benchmark_run(client, brun_id)
    return found


def load_sources(sources: Sequence[str]) -> list[tuple[str, BenchmarkResult]]:
    """``(label, result)`` for each source: files read, benchmark runs fetched.

    Raises:
        InvalidArgumentError: a file is missing or not a saved result.
        ConfigurationError: a benchmark run id but no ``RUNLOOP_API_KEY``.
        APIError: fetching a benchmark run failed.
    """
    from .._eval._load import load_result_file

    ids = [s for s in sources if not is_file_source(s)]
    fetched = anyio.run(_load_ids, ids) if ids else {}
    out = []
    for source in sources:
        if source in fetched:
            out.append((source, fetched[source]))
        else:
            out.append((Path(source).name, load_result_file(source)))
    return out


async def benchmark_run_results(client: AsyncRunloop, args: argparse.Namespace, out: Output) -> int:
    """``benchmark-runs results ID``: rows and totals of any benchmark run."""
    from .._eval._load import load_benchmark_run
    from .._eval._text import render_summary, result_table

    result = await load_benchmark_run(client, args.id, page_size=args.page_size)
    if args.save:
        from ._bench import save_result

        save_result(result, args.save)
    if out.mode == "csv":
        out.out.write(result.to_csv())
    elif out.mode == "jsonl":
        out.data([row.to_dict() for row in result.rows])
    elif out.mode == "json":
        out.data(result_document(result))
    else:
        out.table(*result_table(result))
        out.line("")
        out.out.write(render_summary(result, color=out.fancy))
    return 0


def result_document(result: BenchmarkResult) -> dict[str, Any]:
    """``result.to_dict()`` plus ``metrics`` and the benchmark run's view."""
    doc = result.to_dict()
    doc["metrics"] = result.metrics().to_dict()
    if result.benchmark_run is not None:
        doc["benchmark_run"] = jsonable(result.benchmark_run)
    return doc


def print_comparison(cmp: Comparison, out: Output, *, changed_only: bool = True) -> None:
    """The comparison table (changed scenarios only by default) and its verdict lines."""
    from .._eval._text import comparison_lines, comparison_table

    out.table(*comparison_table(cmp, changed_only=changed_only))
    out.line("")
    for line in comparison_lines(cmp):
        out.line(line)


def _compare(args: argparse.Namespace) -> int:
    from .._eval._compare import compare_results

    (label_a, a), (label_b, b) = load_sources([args.a, args.b])
    cmp = compare_results(a, b, labels=(label_a, label_b), seed=args.seed)
    out = Output("json" if args.json else "human", plain=args.plain)
    if args.json:
        out.data(cmp.to_dict())
    else:
        print_comparison(cmp, out, changed_only=not args.all)
    limit = args.fail_on_regression
    if limit is not None and len(cmp.regressions) > limit:
        sys.stderr.write(
            f"runloop-async: {len(cmp.regressions)} regressions (more than {limit} allowed)\n"
        )
        return 1
    return 0


def _report(args: argparse.Namespace) -> int:
    from .._eval._html import write_report

    results = load_sources(args.sources)
    write_report(results, args.output_file, title=args.title)
    sys.stderr.write(f"wrote {args.output_file}\n")
    return 0


def run_eval_command(args: argparse.Namespace) -> int:
    """``compare`` or ``report``; returns the exit code.

    Raises:
        InvalidArgumentError, ConfigurationError, APIError: as :func:`load_sources`.
    """
    if args.group == "compare":
        if args.fail_on_regression is not None and args.fail_on_regression < 0:
            raise InvalidArgumentError("--fail-on-regression must be 0 or more")
        return _compare(args)
    return _report(args)
