"""The blocking facade: :class:`Runloop` and its resources, one loop thread per client.

Every sync method forwards to its async twin through one helper
(:meth:`LoopThread.call`), which runs the coroutine on the client's own loop thread.
"""

from __future__ import annotations

from ._benchmarks import BenchmarkRuns, Benchmarks
from ._client import Runloop
from ._devboxes import Devboxes
from ._jobs import BenchmarkJobs
from ._managed import ManagedRun
from ._pager import SyncPage, SyncResource
from ._portal import LoopThread
from ._runs import Runs, Scorers
from ._scenarios import Scenarios

__all__ = [
    "BenchmarkJobs",
    "BenchmarkRuns",
    "Benchmarks",
    "Devboxes",
    "LoopThread",
    "ManagedRun",
    "Runloop",
    "Runs",
    "Scenarios",
    "Scorers",
    "SyncPage",
    "SyncResource",
]
