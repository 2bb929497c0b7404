"""Fixtures for loopback tests: an AsyncRunloop pointed at the emulator.

The emulator (the ``runloop_emulator`` fixture from our pytest plugin) runs on its
own thread and loop, so these tests exercise real sockets and a real server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from runloop_async import AsyncRunloop, RetryConfig

#: Fast retries so fault tests take milliseconds.
FAST_RETRY = RetryConfig(max_retries=3, initial_delay=0.01, max_delay=0.05)


@pytest.fixture
async def client(runloop_emulator: Any) -> AsyncIterator[AsyncRunloop]:
    """A client for the emulator with fast retries; closed after the test."""
    async with AsyncRunloop(
        runloop_emulator.api_key, runloop_emulator.base_url, retry=FAST_RETRY
    ) as c:
        yield c
