"""Fewer young-generation garbage collections while a runner runs.

A run keeps hundreds of scenarios in flight, each holding coroutines, futures and
answers across its awaits, so CPython's default young-generation threshold (700
container objects) makes the collector run hundreds of times per thousand scenarios,
promoting in-flight objects it then walks again in older generations: 12-25 % of the
runner's CPU (benchmarks/RESULTS.md), growing with concurrency. While any runner is
running, the threshold is raised to :data:`RUN_THRESHOLD`, then put back.

It is process-wide, as the collector is: an app that set its own threshold at or
above it, or turned automatic collection off (threshold 0), is left alone, and the
old value is put back only if nobody changed it meanwhile.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["RUN_THRESHOLD", "fewer_collections", "raised"]

#: The young-generation threshold while a runner runs (CPython's default is 700).
#: At 10,000 the collector still took 6 % of a run of 5000 scenarios at concurrency
#: 1000 (every young collection walked the live objects of 1000 scenarios in flight)
#: and most of what grew from 1000 to 5000 scenarios; at 50,000 it takes 1 %, with
#: the same peak memory (benchmarks/RESULTS.md).
RUN_THRESHOLD = 50_000


class _Raise:
    """Whether runners are running, and what their raise replaced."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active = 0
        self.saved: tuple[int, ...] | None = None
        self.set: tuple[int, ...] | None = None


_STATE = _Raise()


def raised(threshold: tuple[int, ...]) -> tuple[int, ...] | None:
    """The thresholds to set during a run, or ``None`` to leave ``threshold`` (pure)."""
    first = threshold[0]
    if first == 0 or first >= RUN_THRESHOLD:
        return None
    return (RUN_THRESHOLD, *threshold[1:])


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the young-generation threshold for the block (nested and concurrent
    blocks share one raise; the last one out restores it)."""
    state = _STATE
    with state.lock:
        if state.active == 0:
            current = gc.get_threshold()
            state.set = raised(current)
            state.saved = current if state.set else None
            if state.set:
                gc.set_threshold(*state.set)
        state.active += 1
    try:
        yield
    finally:
        with state.lock:
            state.active -= 1
            if state.active == 0 and state.saved is not None:
                if gc.get_threshold() == state.set:
                    gc.set_threshold(*state.saved)
                state.saved = state.set = None
