"""Which implementations run which workloads, and what the targets are.

Kept free of third-party imports: the runner reads it without loading any client.
"""

from __future__ import annotations

import importlib

import attrs

from .common import Workload

__all__ = ["IMPLS", "IMPORTS", "STARTUP", "TARGETS", "WORKLOADS", "WorkloadSpec", "load"]

#: Implementation name -> (module, table of workloads in it, to_json for the digest).
IMPLS: dict[str, tuple[str, str]] = {
    "bare": ("benchmarks.impl_bare", "ASYNC"),
    "bare-sync": ("benchmarks.impl_bare", "SYNC"),
    "ours": ("benchmarks.impl_ours", "ASYNC"),
    "ours-sync": ("benchmarks.impl_ours", "SYNC"),
    "official": ("benchmarks.impl_official", "ASYNC"),
    "official-sync": ("benchmarks.impl_official", "SYNC"),
}


@attrs.frozen
class WorkloadSpec:
    """A workload: what it does, the implementation it is compared to, who runs it."""

    title: str
    reference: str
    impls: tuple[str, ...]


_ALL_LIST = ("bare", "ours", "ours-sync", "official", "official-sync")
_ALL_ASYNC = ("bare", "ours", "official")

WORKLOADS: dict[str, WorkloadSpec] = {
    "list_pages_100": WorkloadSpec("list 5000 runs, pages of 100", "bare", _ALL_LIST),
    "list_page_5000": WorkloadSpec("list 5000 runs, one page of 5000", "bare", _ALL_LIST),
    "retrieve_c100": WorkloadSpec("1000 retrieves, concurrency 100", "bare", _ALL_ASYNC),
    "score_c100": WorkloadSpec("1000 scores, concurrency 100", "bare", _ALL_ASYNC),
    "retrieve_threads16": WorkloadSpec(
        "1000 retrieves, sync client, 16 threads",
        "bare-sync",
        ("bare-sync", "ours-sync", "official-sync"),
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

#: Targets for our implementations: (workload, implementation) -> max ratio to reference.
TARGETS: dict[tuple[str, str], float] = {
    ("retrieve_c100", "ours"): 1.5,
    ("score_c100", "ours"): 1.5,
    ("list_pages_100", "ours"): 2.0,
    ("list_page_5000", "ours"): 2.5,
    ("retrieve_threads16", "ours-sync"): 2.0,
}
#: ``import runloop_async`` must take at most this long (seconds, median).
IMPORT_TARGET = 0.15
#: Peak RSS on the 5000-run page may exceed the bare client's by at most this (MB).
RSS_MARGIN_MB = 20.0


def load(impl: str, workload: str) -> tuple[Workload, Workload]:
    """Import an implementation; return (the workload, its to_json)."""
    module_name, table = IMPLS[impl]
    module = importlib.import_module(module_name)
    return getattr(module, table)[workload], module.to_json
