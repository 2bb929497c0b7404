"""Ways to run the emulator: on the current loop, or on a thread of its own."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any

from aiohttp import web

from ._config import EmulatorConfig
from ._controls import EmulatorControls
from ._server import EmulatorCore

__all__ = ["Emulator", "EmulatorThread", "run_emulator"]


def _config(config: EmulatorConfig | None, overrides: dict[str, Any]) -> EmulatorConfig:
    base = config if config is not None else EmulatorConfig()
    return base.replace(**overrides) if overrides else base


class Emulator(EmulatorControls):
    """The emulator served on the **current** event loop.

    Usage::

        async with Emulator(EmulatorConfig(scoring_delay=0.01)) as emu:
            client = AsyncRunloop(emu.api_key, emu.base_url)

    Keyword ``overrides`` are applied to ``config`` (``Emulator(scoring_delay=0)``).
    It binds ``config.host:config.port`` (127.0.0.1, a free port by default).
    """

    def __init__(self, config: EmulatorConfig | None = None, **overrides: Any) -> None:
        self._core = EmulatorCore(_config(config, overrides))
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    @property
    def port(self) -> int:
        """The bound TCP port."""
        if self._port is None:
            raise RuntimeError("the emulator is not running")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` (no trailing slash)."""
        return f"http://{self._core.base_config.host}:{self.port}"

    async def start(self) -> Emulator:
        """Bind and start serving; returns ``self``."""
        if self._runner is not None:
            raise RuntimeError("the emulator is already running")
        self._core.install(asyncio.get_running_loop())
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._core.handle)
        runner = web.AppRunner(
            app,
            handle_signals=False,
            access_log=None,
            handler_cancellation=True,
            shutdown_timeout=0.5,
        )
        await runner.setup()
        config = self._core.base_config
        site = web.TCPSite(runner, config.host, config.port, reuse_address=True)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = _bound_port(runner)
        return self

    async def stop(self) -> None:
        """Stop serving (pending long-polls are cancelled)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        self._port = None

    async def __aenter__(self) -> Emulator:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


def _bound_port(runner: web.AppRunner) -> int:
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    raise RuntimeError("the emulator bound no TCP address")


@asynccontextmanager
async def run_emulator(
    config: EmulatorConfig | None = None, **overrides: Any
) -> AsyncIterator[Emulator]:
    """``async with run_emulator(scoring_delay=0) as emu:`` - start and stop an ``Emulator``."""
    async with Emulator(config, **overrides) as emu:
        yield emu


class EmulatorThread(EmulatorControls):
    """The emulator served on its own thread and event loop.

    Synchronous code and code on other loops can talk to it without deadlock;
    every control method is thread-safe. Usage::

        with EmulatorThread(scoring_delay=0.01) as emu:
            ...  # emu.base_url, emu.api_key, emu.faults, emu.requests
    """

    def __init__(self, config: EmulatorConfig | None = None, **overrides: Any) -> None:
        self._inner = Emulator(config, **overrides)
        self._core = self._inner._core
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def port(self) -> int:
        """The bound TCP port."""
        return self._inner.port

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` (no trailing slash)."""
        return self._inner.base_url

    def start(self, timeout: float = 10.0) -> EmulatorThread:
        """Start the server thread and wait until it serves."""
        if self._thread is not None:
            raise RuntimeError("the emulator thread is already running")
        self._ready.clear()
        self._error = None
        self._thread = threading.Thread(target=self._main, name="runloop-emulator", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RuntimeError("the emulator thread did not start in time")
        error = self._startup_error()
        if error is not None:
            self._thread.join()
            self._thread = None
            raise error
        return self

    def _startup_error(self) -> BaseException | None:
        return self._error

    def _main(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._inner.start())
        except BaseException as exc:  # reported to start()
            self._error = exc
            loop.close()
            self._ready.set()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self._inner.stop())
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server and join its thread."""
        thread, loop = self._thread, self._loop
        self._thread = None
        if thread is None or loop is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)

    def __enter__(self) -> EmulatorThread:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
