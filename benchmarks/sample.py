"""One sample: one workload of one implementation, in this (fresh) process.

``python -m benchmarks.sample IMPL WORKLOAD BASE_URL [--cpu N] [--profile]`` prints
one JSON line: seconds, peak RSS (MB, read before the digest is computed), item
count and data digest. With ``--profile`` it prints the top functions of a cProfile
of the workload instead (every thread, merged).
"""

from __future__ import annotations

import argparse
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


def measure(impl: str, workload: str, base_url: str) -> dict[str, Any]:
    from .common import Context, digest
    from .registry import load

    run, to_json = load(impl, workload)
    ctx = Context(base_url)
    started = time.perf_counter()
    items = run(ctx)
    seconds = time.perf_counter() - started
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1 << 20 if IS_MAC else 1 << 10)
    return {
        "seconds": seconds,
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
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    _pin(args.cpu)
    if args.profile:
        from .profiling import profile_workload

        print(profile_workload(args.impl, args.workload, args.base_url, args.top))
    else:
        print(json.dumps(measure(args.impl, args.workload, args.base_url)))


if __name__ == "__main__":
    main()
