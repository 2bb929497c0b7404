"""Fixtures for the reliability and security tests (issue 6).

Everything talks real HTTP over loopback to the emulator (the ``runloop_emulator``
fixture of our pytest plugin runs it on its own thread and loop), or to a small
aiohttp server started by the test itself. Nothing mocks the transport.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from runloop_async import AsyncRunloop, RetryConfig

_PLUGIN = "runloop_async.testing._pytest_plugin"

#: Fast retries so fault tests take milliseconds (3 retries = 4 attempts).
FAST_RETRY = RetryConfig(max_retries=3, initial_delay=0.01, max_delay=0.05)


def pytest_configure(config: pytest.Config) -> None:
    """Load the emulator plugin when the package is not installed (no entry point)."""
    manager = config.pluginmanager
    if not (manager.has_plugin("runloop_async") or manager.has_plugin(_PLUGIN)):
        manager.import_plugin(_PLUGIN)


@pytest.fixture
def anyio_backend() -> str:
    """aiohttp runs on asyncio only."""
    return "asyncio"


@pytest.fixture
async def client(runloop_emulator: Any) -> AsyncIterator[AsyncRunloop]:
    """A client for the emulator with fast retries; closed after the test."""
    async with AsyncRunloop(
        runloop_emulator.api_key, runloop_emulator.base_url, retry=FAST_RETRY
    ) as c:
        yield c
