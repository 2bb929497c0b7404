"""The ``runloop-async`` command tree (argparse only: nothing heavy is imported here)."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from typing import NoReturn

from .._version import __version__

__all__ = ["MIN_INTERVAL", "build_parser", "count", "id_list", "seconds"]

_EPILOG = """\
environment:
  RUNLOOP_API_KEY    API key (required for API commands)
  RUNLOOP_BASE_URL   API base URL (default https://api.runloop.ai)
  RUNLOOP_LOG        info or debug: log requests to stderr (debug: tracebacks too)

exit codes: 0 ok, 1 API error or a failed run (benchmarks run: errored rows or run left
  open), 2 usage or bad input (nothing was done), 3 local error (a file or port),
  70 internal error, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM)
first time? try:  runloop-async demo
"""

#: The shortest ``benchmark-runs watch --interval``: polling faster only loads the API.
MIN_INTERVAL = 0.5


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line (argparse prints the whole usage block first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see: {self.prog} --help)\n")


def count(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse ``type``: an int in ``low..high`` (no upper bound when ``high`` is None)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < low or (high is not None and value > high):
            bounds = f"{low}..{high}" if high is not None else f"{low} or more"
            raise argparse.ArgumentTypeError(f"must be {bounds}, got {value}")
        return value

    return parse


def seconds(low: float = 0.0) -> Callable[[str], float]:
    """An argparse ``type``: a finite number of seconds, more than 0 and at least ``low``."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
        if not math.isfinite(value) or value <= 0 or value < low:
            least = f"at least {low:g}" if low else "more than 0"
            raise argparse.ArgumentTypeError(f"must be {least} seconds, got {text}")
        return value

    return parse


def id_list(text: str) -> str:
    """An argparse ``type``: ``ID,ID,...`` with blanks dropped (``"a, b,"`` -> ``"a,b"``)."""
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        raise argparse.ArgumentTypeError(f"expected ID,ID,..., got {text!r}")
    return ",".join(ids)


def _output_flags() -> _Parser:
    common = _Parser(add_help=False)
    group = common.add_mutually_exclusive_group()
    group.add_argument("--json", dest="output", action="store_const", const="json",
                       help="print JSON (machine-readable)")  # fmt: skip
    group.add_argument("--jsonl", dest="output", action="store_const", const="jsonl",
                       help="print one JSON object per line")  # fmt: skip
    common.add_argument("--plain", action="store_true",
                        help="plain-text tables even when rich is installed")  # fmt: skip
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the traceback of an error")  # fmt: skip
    common.set_defaults(output="human")
    return common


def _limit(parser: argparse.ArgumentParser, default: int = 50) -> None:
    parser.add_argument("--limit", type=count(0), default=default, metavar="N",
                        help=f"show at most N items, 0 for all (default {default})")  # fmt: skip


class _Tree:
    """Adds ``group command`` parsers with the shared output flags."""

    def __init__(self, root: argparse._SubParsersAction[_Parser]) -> None:
        self.root = root
        self.common = _output_flags()

    def group(self, name: str, help: str) -> argparse._SubParsersAction[_Parser]:
        parser = self.root.add_parser(name, help=help, description=help)
        return parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def leaf(
        self, subs: argparse._SubParsersAction[_Parser], name: str, help: str
    ) -> argparse.ArgumentParser:
        return subs.add_parser(name, help=help, description=help, parents=[self.common])


def _scenarios(tree: _Tree) -> None:
    subs = tree.group("scenarios", "scenarios: list and inspect")
    p = tree.leaf(subs, "list", "list scenarios")
    p.add_argument("--name", help="filter by name")
    p.add_argument("--benchmark", metavar="BENCHMARK_ID", help="only this benchmark's")
    p.add_argument("--public", action="store_true", help="list public scenarios")
    _limit(p)
    tree.leaf(subs, "get", "show one scenario").add_argument("id")
    subs = tree.group("scorers", "custom scorers: list and inspect")
    _limit(tree.leaf(subs, "list", "list custom scorers"))
    tree.leaf(subs, "get", "show one custom scorer").add_argument("id")


def _runs(tree: _Tree) -> None:
    subs = tree.group("runs", "scenario runs: list, inspect, score, complete, cancel, logs")
    p = tree.leaf(subs, "list", "list scenario runs")
    p.add_argument("--state", help="running, scoring, scored, completed, canceled, ...")
    p.add_argument("--benchmark-run", metavar="ID", help="only runs of this benchmark run")
    p.add_argument("--scenario", metavar="ID", help="only runs of this scenario")
    _limit(p)
    tree.leaf(subs, "get", "show one scenario run").add_argument("id")
    p = tree.leaf(subs, "score", "start scoring a run")
    p.add_argument("id")
    p.add_argument("--wait", action="store_true", help="wait until it is scored")
    p.add_argument("--timeout", type=seconds(), default=1800.0, help="wait deadline, s")
    tree.leaf(subs, "complete", "complete a run (shuts its devbox down)").add_argument("id")
    tree.leaf(subs, "cancel", "cancel a run (shuts its devbox down)").add_argument("id")
    p = tree.leaf(subs, "logs", "download a run's logs (a zip)")
    p.add_argument("id")
    p.add_argument("-o", "--output-file", metavar="PATH", help="where (default <id>.zip)")


def _benchmarks(tree: _Tree) -> None:
    subs = tree.group("benchmarks", "benchmarks: list, inspect, run")
    p = tree.leaf(subs, "list", "list benchmarks")
    p.add_argument("--public", action="store_true", help="list public benchmarks")
    _limit(p)
    tree.leaf(subs, "get", "show one benchmark").add_argument("id")
    _benchmark_run(tree.leaf(subs, "run", "run an agent over a benchmark (the runner)"))
    p = tree.leaf(subs, "start-run", "start an empty benchmark run (for shards to share)")
    p.add_argument("id", help="benchmark id")
    p.add_argument("--run-name", help="name of the benchmark run")


def _benchmark_run(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", help="benchmark id")
    p.add_argument("--agent", required=True, metavar="MODULE:FUNC",
                   help="agent callable (async or sync, takes an AgentContext), "
                   "or 'noop' to score the untouched environment")  # fmt: skip
    p.add_argument("--concurrency", type=count(1), default=50, help="scenario runs at once (50)")
    p.add_argument("--attempts", type=int, default=1, metavar="K",
                   help="run every scenario K times, for pass@k (1)")  # fmt: skip
    p.add_argument("--scenarios", type=id_list, metavar="ID,ID", help="only these scenarios")
    p.add_argument("--benchmark-run", metavar="ID", help="resume or share this benchmark run")
    p.add_argument("--shard", metavar="I/N", help="run only shard I of N (needs --benchmark-run)")
    p.add_argument("--no-complete", action="store_true", help="leave the benchmark run open")
    p.add_argument("--complete", action="store_true", help="complete it even when sharded")
    p.add_argument("--keep-devboxes", action="store_true", help="keep failed runs' devboxes")
    p.add_argument("--env-timeout", type=seconds(), default=600.0, help="devbox ready, s (600)")
    p.add_argument("--env-retries", type=count(0), default=1,
                   help="new runs when a devbox fails to start (1)")  # fmt: skip
    p.add_argument("--scoring-timeout", type=seconds(), default=1800.0, help="scoring, s (1800)")
    p.add_argument("--agent-timeout", type=seconds(), default=None, help="agent, s (no limit)")
    p.add_argument("--run-name", help="name of the new benchmark run")
    p.add_argument("--save", metavar="PATH", help="write results (.json, .jsonl or .csv)")
    p.add_argument("--no-live", action="store_true", help="no live progress display")
    p.add_argument("--fail-on-errors", action="store_true",
                   help="(the default now: errored rows always exit 1)")  # fmt: skip
    p.add_argument("--takeover", action="store_true",
                   help="take over runs another live runner holds (it is gone)")  # fmt: skip
    p.add_argument("--outage-timeout", type=seconds(), default=600.0,
                   help="give up after the API failed this long, s (600)")  # fmt: skip
    p.add_argument("--cleanup-timeout", type=seconds(), default=120.0,
                   help="retry each run's cancel/complete this long, s (120)")  # fmt: skip
    p.add_argument("--max-retries", type=count(0), default=None, metavar="N",
                   help="client retries per call (5); the runner retries steps itself")  # fmt: skip
    p.add_argument("--progress-every", type=seconds(), default=5.0,
                   help="seconds between progress lines without a terminal (5)")  # fmt: skip


def _benchmark_runs(tree: _Tree) -> None:
    subs = tree.group("benchmark-runs", "benchmark runs: list, inspect, watch")
    p = tree.leaf(subs, "list", "list benchmark runs")
    p.add_argument("--benchmark", metavar="ID", help="only runs of this benchmark")
    p.add_argument("--state", help="running, completed, canceled, failed")
    _limit(p)
    tree.leaf(subs, "get", "show one benchmark run").add_argument("id")
    p = tree.leaf(subs, "watch", "live progress of a benchmark run until it ends")
    p.add_argument("id")
    p.add_argument("--interval", type=seconds(MIN_INTERVAL), default=5.0,
                   help=f"seconds between polls (5; at least {MIN_INTERVAL:g})")  # fmt: skip
    p.add_argument("--timeout", type=seconds(), default=None, help="give up after S seconds")
    _results(tree.leaf(subs, "results", "rows, totals and metrics of any benchmark run"))
    subs = tree.group("benchmark-jobs", "benchmark jobs [beta]: list, inspect")
    _limit(tree.leaf(subs, "list", "list benchmark jobs"))
    tree.leaf(subs, "get", "show one benchmark job").add_argument("id")


def _results(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", help="benchmark run id")
    p.add_argument("--csv", dest="output", action="store_const", const="csv",
                   help="print CSV (one line per attempt)")  # fmt: skip
    p.add_argument("--save", metavar="PATH", help="also write results (.json, .jsonl or .csv)")
    p.add_argument("--page-size", type=count(1), default=5000, help="runs a page (5000)")


def _evaluation(root: argparse._SubParsersAction[_Parser]) -> None:
    sources = "benchmark run ids or result files (--save / to_json output)"
    about = "compare two runs: regressions, fixes, delta with CI"
    p = root.add_parser("compare", help=about, description=f"{about}; A (before), B: {sources}")
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--plain", action="store_true", help="plain-text table")
    p.add_argument("--all", action="store_true", help="list every scenario, not only changes")
    p.add_argument("--fail-on-regression", type=count(0), metavar="N",
                   help="exit 1 when there are more than N regressions")  # fmt: skip
    p.add_argument("--seed", type=count(0), default=0, help="bootstrap seed (0)")
    p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="tracebacks")
    p = root.add_parser("report", help="write a self-contained HTML report of runs",
                        description=f"an HTML report of one or more runs; {sources}")  # fmt: skip
    p.add_argument("sources", nargs="+", metavar="RUN")
    p.add_argument("-o", "--output-file", default="report.html", help="(report.html)")
    p.add_argument("--title", default="runloop-async report", help="page title")
    p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="tracebacks")


def _emulator_and_demo(root: argparse._SubParsersAction[_Parser]) -> None:
    p = root.add_parser("emulator", help="start the local API emulator (for tests and demos)")
    p.add_argument("--host", default="127.0.0.1", help="bind address (127.0.0.1)")
    p.add_argument("--port", type=count(0, 65535), default=8765, help="port (8765; 0 = any free)")
    p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="tracebacks")
    p = root.add_parser("demo", help="run a benchmark with attempts on the embedded emulator")
    p.add_argument("--scenarios", type=count(1, 10_000), default=100, help="how many (100)")
    p.add_argument("--attempts", type=int, default=3, metavar="K",
                   help="attempts per scenario (3)")  # fmt: skip
    p.add_argument("--concurrency", type=count(1), default=50, help="scenario runs at once (50)")
    p.add_argument("--no-live", action="store_true", help="no live progress display")
    p.add_argument("--plain", action="store_true", help="plain-text output")
    p.add_argument("--save", metavar="PATH", help="write results (.json, .jsonl or .csv)")
    p.add_argument("--no-compare", action="store_true", help="one run only, no comparison")
    p.add_argument("--report", metavar="PATH", help="write the HTML report of both runs")
    p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="tracebacks")


def build_parser() -> argparse.ArgumentParser:
    """The full parser: ``runloop-async GROUP COMMAND [options]``."""
    parser = _Parser(
        prog="runloop-async",
        description="Runloop evaluation API from the command line: scenarios, runs, "
        "scoring, benchmarks, and a benchmark runner.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    root = parser.add_subparsers(dest="group", metavar="GROUP", required=True)
    tree = _Tree(root)
    _scenarios(tree)
    _runs(tree)
    _benchmarks(tree)
    _benchmark_runs(tree)
    _emulator_and_demo(root)
    _evaluation(root)
    return parser
