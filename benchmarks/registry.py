"""Which implementations run which workloads, and what the targets are.

Kept free of third-party imports: the runner reads it without loading any client.
"""

from __future__ import annotations

import importlib

import attrs

from .common import Context, Workload

__all__ = [
    "IMPLS",
    "IMPL_NOTES",
    "IMPORTS",
    "PROFILED",
    "RUNNER_CPU_TARGET",
    "RUNNER_FLAT",
    "RUNNER_WORKLOADS",
    "STARTUP",
    "TARGETS",
    "WORKLOADS",
    "Target",
    "WorkloadSpec",
    "context",
    "load",
]

#: Implementation name -> (module, table of workloads in it, to_json for the digest).
IMPLS: dict[str, tuple[str, str]] = {
    "bare": ("benchmarks.impl_bare", "ASYNC"),
    "bare-sync": ("benchmarks.impl_bare", "SYNC"),
    "plain-sync": ("benchmarks.impl_plain", "SYNC"),
    "ours": ("benchmarks.impl_ours", "ASYNC"),
    "ours-sync": ("benchmarks.impl_ours", "SYNC"),
    "official": ("benchmarks.impl_official", "ASYNC"),
    "official-sync": ("benchmarks.impl_official", "SYNC"),
}

#: What each implementation is, as the report's legend says it.
IMPL_NOTES: dict[str, str] = {
    "bare": "aiohttp + orjson, dicts out: the async limit",
    "bare-sync": "the bare client's session on one event-loop thread, called from worker "
    "threads through asyncio.run_coroutine_threadsafe (an event loop behind a thread, "
    "not a blocking client)",
    "plain-sync": "stdlib http.client + orjson, one keep-alive connection per thread, "
    "dicts out: the blocking limit",
    "ours": "runloop_async.AsyncRunloop",
    "ours-sync": "runloop_async.Runloop (blocking facade over one loop thread)",
    "official": "runloop_api_client.AsyncRunloop 1.32.0, defaults",
    "official-sync": "runloop_api_client.Runloop 1.32.0, defaults",
}


@attrs.frozen
class WorkloadSpec:
    """A workload: what it does, the implementation it is compared to, who runs it."""

    title: str
    reference: str
    impls: tuple[str, ...]
    #: How one sample runs: ``calls`` (benchmarks.sample, against the payload
    #: server), ``cold`` (benchmarks.cold: the whole sequence from the first import)
    #: or ``runner`` (benchmarks.sample against a fresh emulator process).
    kind: str = "calls"
    #: Runner workloads: scenarios in the benchmark, and scenarios in flight at once.
    scenarios: int = 0
    concurrency: int = 0
    #: At most this many samples per cell (a long workload); None: as many as asked.
    max_repeats: int | None = None
    #: Profile in CPU time (each thread's own), not wall time: for workloads whose
    #: threads mostly wait (the runner on the emulator, 16 blocked callers).
    cpu_profile: bool = False


_ALL_LIST = ("bare", "ours", "ours-sync", "official", "official-sync")
_ALL_ASYNC = ("bare", "ours", "official")

WORKLOADS: dict[str, WorkloadSpec] = {
    "list_pages_100": WorkloadSpec("list 5000 runs, pages of 100", "bare", _ALL_LIST),
    "list_page_5000": WorkloadSpec("list 5000 runs, one page of 5000", "bare", _ALL_LIST),
    "retrieve_c100": WorkloadSpec("1000 retrieves, concurrency 100", "bare", _ALL_ASYNC),
    "score_c100": WorkloadSpec("1000 scores, concurrency 100", "bare", _ALL_ASYNC),
    "retrieve_threads16": WorkloadSpec(
        "1000 retrieves, sync client, 16 threads",
        "plain-sync",
        ("plain-sync", "bare-sync", "ours-sync", "official-sync"),
        cpu_profile=True,
    ),
    "cold_start": WorkloadSpec(
        "cold start: imports, client, one retrieve",
        "bare",
        ("bare", "plain-sync", "ours", "ours-sync", "official", "official-sync"),
        kind="cold",
    ),
    "runner_1000_c100": WorkloadSpec(
        "runner: 1000 scenarios, no-op agent, concurrency 100",
        "bare",
        ("bare", "ours"),
        kind="runner",
        scenarios=1000,
        concurrency=100,
        cpu_profile=True,
    ),
    "runner_5000_c1000": WorkloadSpec(
        "runner: 5000 scenarios, no-op agent, concurrency 1000",
        "bare",
        ("bare", "ours"),
        kind="runner",
        scenarios=5000,
        concurrency=1000,
        max_repeats=5,
        cpu_profile=True,
    ),
}
#: The runner workloads (the same table entries in every implementation that runs them).
RUNNER_WORKLOADS = tuple(name for name, spec in WORKLOADS.items() if spec.kind == "runner")

#: Import-time rows: label -> the modules imported.
IMPORTS: dict[str, tuple[str, ...]] = {
    "bare": ("aiohttp", "orjson"),
    "ours": ("runloop_async",),
    "ours, with what a first request loads": (
        "runloop_async",
        "runloop_async._converter",
        "aiohttp",
        "anyio._backends._asyncio",
    ),
    "official": ("runloop_api_client",),
}

#: Whole-process wall time rows: label -> the interpreter's arguments.
STARTUP: dict[str, list[str]] = {
    "python -m runloop_async --help": ["-m", "runloop_async", "--help"],
    "python -c pass": ["-c", "pass"],
}


@attrs.frozen
class Target:
    """``impl``'s median on ``workload`` over ``reference``'s must be at most ``limit``."""

    workload: str
    impl: str
    limit: float
    #: None: the workload's own reference.
    reference: str | None = None
    #: What is compared: ``seconds`` (wall) or ``cpu_seconds`` (the client process's CPU).
    metric: str = "seconds"

    @property
    def ref(self) -> str:
        """The implementation the ratio is taken against."""
        return self.reference or WORKLOADS[self.workload].reference


#: Targets for our implementations (issue 15's second round).
TARGETS: list[Target] = [
    Target("retrieve_c100", "ours", 1.2),
    Target("score_c100", "ours", 1.2),
    Target("list_pages_100", "ours", 1.5),
    Target("list_page_5000", "ours", 1.5),
    Target("retrieve_threads16", "ours-sync", 1.6),
    Target("cold_start", "ours", 1.2),
    Target("cold_start", "ours-sync", 1.2),
    Target("cold_start", "ours", 1.0, "official"),
    Target("cold_start", "ours-sync", 1.0, "official-sync"),
    Target("runner_1000_c100", "ours", 1.3, metric="cpu_seconds"),
]
#: The runner's client CPU per scenario (ms, median) on this workload, at most.
RUNNER_CPU_TARGET = ("runner_1000_c100", 1.0)
#: CPU per scenario of the large runner workload over the small one, at most (flat).
RUNNER_FLAT = ("runner_5000_c1000", "runner_1000_c100", 1.2)
#: (workload, implementation) profiled on every full run, met or missed.
PROFILED: list[tuple[str, str]] = [
    ("runner_1000_c100", "bare"),
    ("runner_1000_c100", "ours"),
    ("runner_5000_c1000", "ours"),
    ("retrieve_threads16", "ours-sync"),
    ("cold_start", "ours"),
    ("cold_start", "ours-sync"),
]
#: ``import runloop_async`` must take at most this long (seconds, median).
IMPORT_TARGET = 0.15
#: Peak RSS on the 5000-run page may exceed the bare client's by at most this (MB).
RSS_MARGIN_MB = 10.0


def context(workload: str, base_url: str, benchmark_id: str = "") -> Context:
    """What one sample of ``workload`` works on."""
    spec = WORKLOADS[workload]
    if spec.kind == "runner":
        return Context(base_url, benchmark_id=benchmark_id, concurrency=spec.concurrency)
    return Context(base_url)


def load(impl: str, workload: str) -> tuple[Workload, Workload]:
    """Import an implementation; return (the workload, its to_json)."""
    module_name, table = IMPLS[impl]
    module = importlib.import_module(module_name)
    prepare = getattr(module, "prepare", None)
    if prepare is not None:
        # What the workload's own process would have loaded, outside the clock.
        prepare(table, workload)
    return getattr(module, table)[workload], module.to_json
