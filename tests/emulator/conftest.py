"""Fixtures for the emulator's own tests: an in-process emulator and a raw client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from emu_helpers import FAST, Api

from runloop_async.testing import Emulator

PLUGIN = "runloop_async.testing._pytest_plugin"


def pytest_configure(config: pytest.Config) -> None:
    """Load our pytest plugin when the package is not installed (no entry point)."""
    manager = config.pluginmanager
    if not manager.has_plugin("runloop_async") and not manager.has_plugin(PLUGIN):
        manager.import_plugin(PLUGIN)


@pytest.fixture
def anyio_backend() -> str:
    """aiohttp runs on asyncio only."""
    return "asyncio"


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(FAST) as emulator:
        yield emulator


@pytest.fixture
async def api(emu: Emulator) -> AsyncIterator[Api]:
    headers = {"Authorization": f"Bearer {emu.api_key}"}
    async with aiohttp.ClientSession(emu.base_url, headers=headers) as session:
        yield Api(session)
