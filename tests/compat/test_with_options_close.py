"""Closing a ``with_options`` copy leaves the client it was made from open (issue 12).

A user who writes ``async with client.with_options(timeout=5) as fast:`` expects
``client`` to keep working after the block; closing the client closes every copy.
"""

from __future__ import annotations

from typing import Any

import pytest

from runloop_async import AsyncRunloop, ClientClosedError


@pytest.mark.anyio
async def test_closing_an_async_copy_leaves_the_client_open(runloop_emulator: Any) -> None:
    scenario = runloop_emulator.add_scenario("copies")
    client = AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url)
    async with client.with_options(timeout=5, max_retries=0) as fast:
        assert (await fast.scenarios.retrieve(scenario["id"])).name == "copies"
    assert fast.is_closed
    assert not client.is_closed
    with pytest.raises(ClientClosedError, match="copy is closed"):
        await fast.scenarios.retrieve(scenario["id"])
    assert (await client.scenarios.retrieve(scenario["id"])).name == "copies"
    # A copy of a copy closes alone too.
    other = client.with_options(max_retries=1)
    inner = other.with_options(timeout=3)
    await inner.close()
    assert (await other.scenarios.retrieve(scenario["id"])).id == scenario["id"]
    await client.close()
    assert other.is_closed
    assert inner.is_closed
    with pytest.raises(ClientClosedError):
        await other.scenarios.retrieve(scenario["id"])
