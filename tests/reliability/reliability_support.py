"""Helpers shared by the reliability tests."""

from __future__ import annotations

from collections.abc import Callable

import anyio

#: A deadline for hangs only, never a performance assertion.
HANG = 20.0


async def until(predicate: Callable[[], bool], *, deadline: float = HANG) -> None:
    """Wait until ``predicate()`` holds; fail if it does not within ``deadline`` seconds.

    It polls, because the state observed (the emulator's request log, the kernel's
    socket table) lives on another thread or outside Python and has no event to await.
    """
    with anyio.fail_after(deadline):
        while not predicate():  # noqa: ASYNC110
            await anyio.sleep(0.01)
