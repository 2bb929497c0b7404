"""cProfile of one workload across all its threads, as text for RESULTS.md."""

from __future__ import annotations

import cProfile
import io
import pstats
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

__all__ = [
    "by_owner",
    "import_breakdown",
    "owner",
    "profile_call",
    "profile_workload",
    "summarize",
]


def profile_workload(
    impl: str, workload: str, base_url: str, top: int, benchmark_id: str = ""
) -> str:
    """Run the workload under cProfile (:func:`profile_call`); return its summary.

    Workloads marked ``cpu_profile`` (their threads mostly wait) are profiled in each
    thread's CPU time, so waiting is not counted.
    """
    from .registry import WORKLOADS, context, load

    run, _ = load(impl, workload)
    ctx = context(workload, base_url, benchmark_id)
    timer = time.thread_time if WORKLOADS[workload].cpu_profile else time.perf_counter
    return profile_call(lambda: run(ctx), top, timer)


def profile_call(
    fn: Callable[[], Any], top: int, timer: Callable[[], float] = time.perf_counter
) -> str:
    """Call ``fn`` under cProfile; return :func:`summarize` of every thread's profile.

    cProfile only sees the thread that enabled it, and the sync clients do their work
    on an event-loop thread, so every thread started during the call gets its own
    profiler and the statistics are merged.
    """
    profilers: list[cProfile.Profile] = []

    def start_in_thread(*_: Any) -> None:
        sys.setprofile(None)
        profiler = cProfile.Profile(timer)
        profilers.append(profiler)
        profiler.enable()

    main = cProfile.Profile(timer)
    threading.setprofile(start_in_thread)
    main.enable()
    try:
        fn()
    finally:
        main.disable()
        threading.setprofile(None)  # type: ignore[arg-type]
    return summarize([main, *profilers], top)


def summarize(profilers: list[cProfile.Profile], top: int) -> str:
    """The merged statistics of ``profilers``: own time summed by package (by module
    for runloop_async), then the top functions by own time."""
    out = io.StringIO()
    stats = pstats.Stats(profilers[0], stream=out)
    for profiler in profilers[1:]:
        stats.add(profiler)
    owners = by_owner({key: value[2] for key, value in stats.stats.items()}, top=25)  # type: ignore[attr-defined]
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    return f"own time by package / module:\n{owners}\n\n{_trim(out.getvalue())}"


def owner(filename: str) -> str:
    """Who a profiled function belongs to: a module of runloop_async, else a package.

    ``~`` (pstats' name for built-ins) is ``(built-ins)``; generated code such as
    ``<runloop_async structure X>`` is ``runloop_async (generated)``.
    """
    path = filename.replace("\\", "/")
    if path == "~":
        return "(built-ins)"
    if path.startswith("<"):
        word = path[1:].split()[0].rstrip(">")
        return "importlib (frozen)" if word == "frozen" else f"{word} (generated)"
    if "/runloop_async/" in path:
        module = path.rsplit("/runloop_async/", 1)[1].removesuffix(".py")
        return "runloop_async." + module.replace("/", ".").removesuffix(".__init__")
    for marker in ("/site-packages/", "/benchmarks/"):
        if marker in path:
            rest = path.rsplit(marker, 1)[1] if marker == "/site-packages/" else "benchmarks"
            return rest.split("/")[0].removesuffix(".py")
    parts = path.split("/")
    for i, part in enumerate(parts[:-1]):
        if part.startswith("python3"):  # the standard library: its top-level module
            return parts[i + 1].removesuffix(".py")
    return parts[-1]


def by_owner(own_times: dict[tuple[str, int, str], float], top: int) -> str:
    """Own time (seconds) summed by :func:`owner`, largest first, with shares."""
    totals: dict[str, float] = {}
    for (filename, _, _), seconds in own_times.items():
        name = owner(filename)
        totals[name] = totals.get(name, 0.0) + seconds
    whole = sum(totals.values()) or 1.0
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])
    lines = [f"{'owner':<40}{'own s':>9}{'share':>8}"]
    lines += [f"{name:<40}{sec:>9.3f}{sec / whole:>8.0%}" for name, sec in ranked[:top]]
    return "\n".join([*lines, f"{'all':<40}{whole:>9.3f}"])


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
