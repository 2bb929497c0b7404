"""Which implementations run which workloads, and what the targets are.

Kept free of third-party imports: the runner reads it without loading any client.
"""

from __future__ import annotations

import importlib

import attrs

from .common import Workload

__all__ = [
    "IMPLS",
    "IMPL_NOTES",
    "IMPORTS",
    "PROFILED",
    "STARTUP",
    "TARGETS",
    "WORKLOADS",
    "Target",
    "WorkloadSpec",
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
    #: server) or ``cold`` (benchmarks.cold: the whole sequence from the first import).
    kind: str = "calls"


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
    ),
    "cold_start": WorkloadSpec(
        "cold start: imports, client, one retrieve",
        "bare",
        ("bare", "plain-sync", "ours", "ours-sync", "official", "official-sync"),
        kind="cold",
    ),
}

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
]
#: (workload, implementation) profiled on every full run, met or missed.
PROFILED: list[tuple[str, str]] = [
    ("retrieve_threads16", "ours-sync"),
    ("cold_start", "ours"),
    ("cold_start", "ours-sync"),
]
#: ``import runloop_async`` must take at most this long (seconds, median).
IMPORT_TARGET = 0.15
#: Peak RSS on the 5000-run page may exceed the bare client's by at most this (MB).
RSS_MARGIN_MB = 10.0


def load(impl: str, workload: str) -> tuple[Workload, Workload]:
    """Import an implementation; return (the workload, its to_json)."""
    module_name, table = IMPLS[impl]
    module = importlib.import_module(module_name)
    return getattr(module, table)[workload], module.to_json
