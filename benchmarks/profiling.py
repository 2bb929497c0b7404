"""cProfile of one workload across all its threads, as text for RESULTS.md."""

from __future__ import annotations

import cProfile
import io
import pstats
import sys
import threading
from typing import Any

__all__ = ["import_breakdown", "profile_workload", "summarize"]


def profile_workload(impl: str, workload: str, base_url: str, top: int) -> str:
    """Run the workload under cProfile; return the top functions by own time.

    cProfile only sees the thread that enabled it, and the sync clients do their work
    on an event-loop thread, so every thread started during the run gets its own
    profiler and the statistics are merged.
    """
    from .common import Context
    from .registry import load

    run, _ = load(impl, workload)
    ctx = Context(base_url)
    profilers: list[cProfile.Profile] = []

    def start_in_thread(*_: Any) -> None:
        sys.setprofile(None)
        profiler = cProfile.Profile()
        profilers.append(profiler)
        profiler.enable()

    main = cProfile.Profile()
    threading.setprofile(start_in_thread)
    main.enable()
    try:
        run(ctx)
    finally:
        main.disable()
        threading.setprofile(None)  # type: ignore[arg-type]
    return summarize([main, *profilers], top)


def summarize(profilers: list[cProfile.Profile], top: int) -> str:
    """The merged statistics of ``profilers``: the top functions by own time."""
    out = io.StringIO()
    stats = pstats.Stats(profilers[0], stream=out)
    for profiler in profilers[1:]:
        stats.add(profiler)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    return _trim(out.getvalue())


def import_breakdown(importtime: str, top: int) -> str:
    """``python -X importtime`` output summed by top-level package (own time).

    Returns a small table: package, modules imported, own milliseconds, share of
    the total; the packages taking the most time first, then the total.
    """
    totals: dict[str, list[float]] = {}
    for line in importtime.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if not line.startswith("import time:") or len(parts) != 3:
            continue
        try:
            own_us = float(parts[0])
        except ValueError:  # the header line
            continue
        package = parts[2].strip().split(".")[0]
        entry = totals.setdefault(package, [0, 0.0])
        entry[0] += 1
        entry[1] += own_us / 1000
    whole = sum(ms for _, ms in totals.values()) or 1.0
    ranked = sorted(totals.items(), key=lambda kv: -kv[1][1])
    lines = [f"{'package':<28}{'modules':>8}{'own ms':>10}{'share':>8}"]
    for package, (count, ms) in ranked[:top]:
        lines.append(f"{package:<28}{count:>8.0f}{ms:>10.1f}{ms / whole:>8.0%}")
    lines.append(f"{'all imports':<28}{sum(c for c, _ in totals.values()):>8.0f}{whole:>10.1f}")
    return "\n".join(lines)


def _trim(text: str) -> str:
    """Drop pstats' preamble lines up to the column header."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if "ncalls" in line:
            head = [ln.strip() for ln in lines[:i] if "function calls" in ln]
            return "\n".join(head + lines[i:]).rstrip()
    return text.rstrip()
