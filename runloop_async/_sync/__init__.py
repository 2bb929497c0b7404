"""The blocking facade: :class:`Runloop` and its resources, one loop thread per client.

Every sync method forwards to its async twin through one helper
(:meth:`LoopThread.call`), which runs the coroutine on the client's own loop thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_attributes as _lazy_attributes
from ._base import SyncResource
from ._client import Runloop
from ._managed import ManagedRun
from ._portal import LoopThread
from ._runs import Runs
from ._scenarios import Scenarios
from ._scorers import Scorers

if TYPE_CHECKING:
    from ._benchmark_jobs import BenchmarkJobs
    from ._benchmark_runs import BenchmarkRuns
    from ._benchmarks import Benchmarks
    from ._devboxes import Devboxes
    from ._pager import SyncPage

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

# Loaded on first use, as the models they return (see runloop_async._models).
_LAZY = {
    "BenchmarkJobs": "._benchmark_jobs",
    "BenchmarkRuns": "._benchmark_runs",
    "Benchmarks": "._benchmarks",
    "Devboxes": "._devboxes",
    "SyncPage": "._pager",  # with the first list call
}
__getattr__, __dir__ = _lazy_attributes(globals(), _LAZY)
