"""One sample: one workload of one implementation, in this (fresh) process.

``python -m benchmarks.sample IMPL WORKLOAD BASE_URL [--cpu N] [--benchmark-id ID]
[--profile]`` prints one JSON line: seconds (wall), cpu_seconds (this process's CPU
time over the same span, every thread), gc_seconds and gc_collections (CPU time in,
and number of, garbage collections in that span), peak RSS (MB, read before the
digest is computed), item count and data digest. With ``--profile`` it prints the
top functions of a cProfile of the workload instead (every thread, merged).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import sys
import time
from typing import Any

IS_MAC = sys.platform == "darwin"


def _pin(cpu: int | None) -> None:
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})


class _GcClock:
    """CPU time spent in the garbage collector, through ``gc.callbacks``."""

    def __init__(self) -> None:
        self.seconds, self.collections, self._started = 0.0, 0, 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.process_time()
        else:
            self.seconds += time.process_time() - self._started
            self.collections += 1


def measure(impl: str, workload: str, base_url: str, benchmark_id: str = "") -> dict[str, Any]:
    from .common import digest
    from .registry import context, load

    run, to_json = load(impl, workload)
    ctx = context(workload, base_url, benchmark_id)
    gc_clock = _GcClock()
    gc.callbacks.append(gc_clock)
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        items = run(ctx)
    finally:
        gc.callbacks.remove(gc_clock)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1 << 20 if IS_MAC else 1 << 10)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "gc_seconds": gc_clock.seconds,
        "gc_collections": gc_clock.collections,
        "rss_mb": rss_mb,
        "count": len(items),
        "digest": digest(items, to_json),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("impl")
    parser.add_argument("workload")
    parser.add_argument("base_url")
    parser.add_argument("--cpu", type=int, default=None)
    parser.add_argument("--benchmark-id", default="")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    _pin(args.cpu)
    if args.profile:
        from .profiling import profile_workload

        print(
            profile_workload(args.impl, args.workload, args.base_url, args.top, args.benchmark_id)
        )
    else:
        print(json.dumps(measure(args.impl, args.workload, args.base_url, args.benchmark_id)))


if __name__ == "__main__":
    main()
