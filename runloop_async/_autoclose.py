"""Close an ``AsyncRunloop`` nobody closed when its event loop shuts down.

``asyncio.run()`` (and ``Runloop``'s loop thread) finalize the loop's async generators
before closing it (``loop.shutdown_asyncgens()``). The transport registers one small
generator on the loop that first uses it; finalizing it closes the transport's
sessions there, on the right loop, so a 1.x-style script that never closes its async
client exits without aiohttp's "Unclosed client session" warnings. Closing the client
yourself stays the rule; this is the safety net.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import suppress

__all__ = ["close_with_loop"]


async def _closer(aclose: Callable[[], Awaitable[None]]) -> AsyncGenerator[None, None]:
    try:
        yield
    finally:
        await aclose()  # idempotent: a client closed already stays closed


def close_with_loop(aclose: Callable[[], Awaitable[None]]) -> AsyncGenerator[None, None]:
    """Arrange for ``aclose()`` to run when the running loop finalizes its async
    generators; return the generator, which the caller must keep referenced.

    Must be called on the loop, from synchronous code or a coroutine.
    """
    gen = _closer(aclose)
    step = gen.__anext__()  # registers the generator with the running loop's hooks
    with suppress(StopIteration):
        step.send(None)  # runs it to its first yield, without awaiting anything
    return gen
