"""Every I/O of evaluation: results of a benchmark run read from the server, and
results saved to files. The row building itself is pure (``_rows``).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio

from .._exceptions import InvalidArgumentError, NotFoundError
from .._request import MAX_PAGE_SIZE
from .._runner._results import BenchmarkResult
from ._rows import row_from_dict, rows_from_runs

if TYPE_CHECKING:
    from .._client import AsyncRunloop
    from .._sync import Runloop

__all__ = [
    "load_benchmark_run",
    "load_benchmark_run_sync",
    "load_result_file",
    "parse_result_text",
]

#: Scenario names fetched one by one at once (those not listed with the benchmark).
_NAME_LOOKUPS = 16


async def load_benchmark_run(
    client: AsyncRunloop, benchmark_run_id: str, *, page_size: int = MAX_PAGE_SIZE
) -> BenchmarkResult:
    """Rows and totals of any benchmark run, from the server's state.

    Reads the benchmark run, every page of its scenario runs (``page_size`` a page),
    its benchmark's scenario list (for names and scenarios never started) and the
    names of any other scenario. See :func:`rows_from_runs` for how runs become rows.

    Raises:
        NotFoundError: no benchmark run with that id.
        InvalidArgumentError: an empty id or ``page_size`` outside 1..5000.
        APIError: a request failed.
    """
    brun = await client.benchmark_runs.retrieve(benchmark_run_id)
    pager = client.benchmark_runs.list_scenario_runs(benchmark_run_id, limit=page_size)
    runs = [run async for run in pager]
    expected: list[str] = []
    names: dict[str, str] = {}
    if brun.benchmark_id:
        expected, names = await _benchmark_scenarios(client, brun.benchmark_id, page_size)
    missing = {run.scenario_id for run in runs} - names.keys()
    names.update(await _names_of(client, missing))
    rows = rows_from_runs(runs, scenario_ids=expected, names=names)
    return BenchmarkResult(
        rows=rows,
        benchmark_id=brun.benchmark_id,
        benchmark_run_id=brun.id,
        benchmark_run=brun,
        wall_time_s=(brun.duration_ms or 0) / 1000,
    )


async def _benchmark_scenarios(
    client: AsyncRunloop, benchmark_id: str, page_size: int
) -> tuple[list[str], dict[str, str]]:
    try:
        bench = await client.benchmarks.retrieve(benchmark_id)
    except NotFoundError:  # deleted since: the runs still tell their scenarios
        return [], {}
    names: dict[str, str] = {}
    limit = min(page_size, MAX_PAGE_SIZE)
    async for scenario in client.scenarios.list(benchmark_id=benchmark_id, limit=limit):
        names[scenario.id] = scenario.name
    return list(dict.fromkeys(bench.scenario_ids)), names


async def _names_of(client: AsyncRunloop, scenario_ids: Iterable[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    limiter = anyio.CapacityLimiter(_NAME_LOOKUPS)

    async def one(scenario_id: str) -> None:
        async with limiter:
            # A deleted scenario keeps its id and loses its name.
            with contextlib.suppress(NotFoundError):
                names[scenario_id] = (await client.scenarios.retrieve(scenario_id)).name

    async with anyio.create_task_group() as tg:
        for scenario_id in sorted(scenario_ids):
            tg.start_soon(one, scenario_id)
    return names


def load_benchmark_run_sync(
    client: Runloop, benchmark_run_id: str, *, page_size: int = MAX_PAGE_SIZE
) -> BenchmarkResult:
    """Blocking twin of :func:`load_benchmark_run`, on a :class:`Runloop` client.

    Raises:
        NotFoundError, InvalidArgumentError, APIError: as :func:`load_benchmark_run`.
        ClientClosedError: the client is closed.
    """
    return client._loop.call(
        load_benchmark_run, client._async, benchmark_run_id, page_size=page_size
    )


def _kind_of(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonl", ".csv"):
        return suffix[1:]
    stripped = text.lstrip()
    if stripped.startswith("{") and "\n{" in stripped.rstrip():
        return "jsonl"
    return "json" if stripped[:1] in ("{", "[") else "csv"


def load_result_file(path: str | os.PathLike[str]) -> BenchmarkResult:
    """A result saved by ``to_json``/``to_jsonl``/``to_csv`` (or ``--save``), read back.

    The format comes from the extension (``.json``, ``.jsonl``, ``.csv``), else from
    the content. Totals are recomputed from the rows.

    Raises:
        InvalidArgumentError: the file cannot be read or is not a saved result.
    """
    where = Path(path)
    try:
        with where.open(encoding="utf-8", newline="") as handle:  # keep CRs inside cells
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidArgumentError(f"cannot read result file {str(where)!r}: {exc}") from None
    try:
        return parse_result_text(text, _kind_of(where, text))
    except InvalidArgumentError as exc:
        raise InvalidArgumentError(f"{where}: {exc}") from None


def parse_result_text(text: str, kind: str) -> BenchmarkResult:
    """Parse saved results: ``kind`` is ``json``, ``jsonl`` or ``csv``.

    Raises:
        InvalidArgumentError: malformed content, or another ``kind``.
    """
    try:
        if kind == "json":
            return _from_document(json.loads(text))
        if kind == "jsonl":
            lines = [json.loads(line) for line in text.splitlines() if line.strip()]
            return BenchmarkResult(rows=[row_from_dict(item) for item in lines])
        if kind == "csv":
            reader = csv.DictReader(io.StringIO(text, newline=""))
            return BenchmarkResult(rows=[row_from_dict(r, from_csv=True) for r in reader])
    except (ValueError, csv.Error) as exc:  # json.JSONDecodeError is a ValueError
        raise InvalidArgumentError(f"not a saved result ({kind}): {exc}") from None
    raise InvalidArgumentError(f"kind must be json, jsonl or csv, not {kind!r}")


def _from_document(doc: Any) -> BenchmarkResult:
    if isinstance(doc, list):
        return BenchmarkResult(rows=[row_from_dict(item) for item in doc])
    if not isinstance(doc, dict) or not isinstance(doc.get("rows"), list):
        raise InvalidArgumentError("expected an object with 'rows' (BenchmarkResult.to_json)")
    shard = doc.get("shard")
    return BenchmarkResult(
        rows=[row_from_dict(item) for item in doc["rows"]],
        benchmark_id=doc.get("benchmark_id"),
        benchmark_run_id=doc.get("benchmark_run_id"),
        shard=tuple(shard) if isinstance(shard, list) and len(shard) == 2 else None,
        wall_time_s=float(doc.get("wall_time_s") or 0.0),
    )
