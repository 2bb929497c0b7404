"""The cyclic garbage collector paused while a large answer is decoded and structured.

Decoding JSON and structuring it into models allocate only objects that stay alive,
with no cycles among them. Collections triggered meanwhile would walk them (and
everything older) again and again: on a 12 MB page of 5000 runs, 16 ms of collector
time while decoding, nearly what structuring the page costs (benchmarks/RESULTS.md).
So both run with the collector paused: decoding a body of :data:`PAUSE_GC_FROM_BYTES`
or more, and structuring a list of :data:`PAUSE_GC_FROM` items or more.
"""

from __future__ import annotations

import gc
from typing import Any

from ._jsonlib import loads

__all__ = ["CollectorPaused", "PAUSE_GC_FROM", "PAUSE_GC_FROM_BYTES", "loads_paused"]

#: Lists at least this long are structured with the garbage collector paused.
PAUSE_GC_FROM = 1000

#: JSON bodies at least this long are decoded with the garbage collector paused (a
#: page of about 400 runs; a page of 100 is about 240 KB and is decoded as usual).
PAUSE_GC_FROM_BYTES = 1 << 20


class CollectorPaused:
    """Pause the cyclic garbage collector, when ``pause`` is true, for a ``with`` block.

    Left alone if the collector was already off (the caller's choice, or another
    thread's pause).

    When the pause ends, the young objects (the models just built, about 30,000 for a
    page of 5000 runs, or the decoded page, and whatever else is young) move to the
    oldest generation (``gc.freeze()`` then ``gc.unfreeze()``: two list splices)
    instead of being walked by the next young collection and again by the next middle
    one, which they would survive anyway: about 10 ms of collector time per such page.
    Only when nothing is frozen, so that a program's own ``gc.freeze()`` (before
    ``fork``) is kept as is, and only when the block succeeded. A young cycle that is
    garbage then waits for the next full collection instead. (A decoded page freed
    once structured is freed by its reference counts wherever it is.)
    """

    __slots__ = ("_paused",)

    def __init__(self, pause: bool) -> None:
        self._paused = pause and gc.isenabled()

    def __enter__(self) -> None:
        if self._paused:
            gc.disable()

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if self._paused:
            # After a failure nothing built is kept: the young objects are left to
            # the collector as they are.
            if exc_type is None and gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def loads_paused(data: bytes) -> Any:
    """:func:`~._jsonlib.loads` with the collector paused (for large bodies).

    Raises:
        JSONDecodeError: ``data`` is not JSON (one of :data:`~._jsonlib.JSONDecodeError`).
    """
    with CollectorPaused(True):
        return loads(data)
