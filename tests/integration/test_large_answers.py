"""A large answer is decoded with the collector paused (``_collector.loads_paused``)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from runloop_async import AsyncRunloop
from runloop_async._collector import PAUSE_GC_FROM_BYTES
from runloop_async._jsonlib import dumps

pytestmark = pytest.mark.anyio


def _in_oldest_generation(obj: Any) -> bool:
    return any(o is obj for o in gc.get_objects(2))


@pytest.fixture(autouse=True)
def no_collections() -> Iterator[None]:
    """No collection of its own during the test: whatever is in the oldest generation
    afterwards was promoted by the pause's end (a full collection while decoding
    would promote a page there too)."""
    saved = gc.get_threshold()
    gc.collect()
    gc.set_threshold(10**9)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


async def test_a_large_page_is_decoded_into_the_oldest_generation(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    runloop_emulator.seed_runs(5000, state="scored")
    data = await client._core.request("GET", "/v1/scenarios/runs", query={"limit": 5000})
    assert len(dumps(data)) >= PAUSE_GC_FROM_BYTES
    # Promoted when the pause ended, not walked by the collections decoding triggers.
    assert _in_oldest_generation(data["runs"][0])
    assert gc.isenabled()


async def test_a_small_answer_is_left_to_the_collector(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    runloop_emulator.seed_runs(3, state="scored")
    data = await client._core.request("GET", "/v1/scenarios/runs", query={"limit": 5000})
    assert not _in_oldest_generation(data["runs"][0])
