"""cProfile of one workload across all its threads, as text for RESULTS.md."""

from __future__ import annotations

import cProfile
import io
import pstats
import sys
import threading
from typing import Any

__all__ = ["profile_workload"]


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
    out = io.StringIO()
    stats = pstats.Stats(main, stream=out)
    for profiler in profilers:
        stats.add(profiler)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    return _trim(out.getvalue())


def _trim(text: str) -> str:
    """Drop pstats' preamble lines up to the column header."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if "ncalls" in line:
            head = [ln.strip() for ln in lines[:i] if "function calls" in ln]
            return "\n".join(head + lines[i:]).rstrip()
    return text.rstrip()
