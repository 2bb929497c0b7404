"""Helpers shared by the reliability tests."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import anyio
from aiohttp import web

#: An aiohttp request handler.
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

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


@contextlib.asynccontextmanager
async def serve(handler: Handler) -> AsyncIterator[str]:
    """Serve ``handler`` for every path on a fresh loopback port; yield its base URL."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


@contextlib.contextmanager
def full_listener() -> Iterator[str]:
    """A loopback base URL whose connects hang, like a blackholed host.

    The listener's accept queue is filled and nothing ever accepts, so the kernel
    drops further SYNs: a connect neither succeeds nor is refused.
    """
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(4)]
    for filler in fillers:
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for sock in (*fillers, server):
            sock.close()
