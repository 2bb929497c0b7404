"""Fixtures for evaluation tests: a client on the emulator (helpers: eval_support.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from runloop_async import AsyncRunloop, RetryConfig

FAST_RETRY = RetryConfig(max_retries=3, initial_delay=0.01, max_delay=0.05)


@pytest.fixture
async def client(runloop_emulator: Any) -> AsyncIterator[AsyncRunloop]:
    """A client for the emulator with fast retries; closed after the test."""
    async with AsyncRunloop(
        runloop_emulator.api_key, runloop_emulator.base_url, retry=FAST_RETRY
    ) as c:
        yield c
