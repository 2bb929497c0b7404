"""runloop_async: the async client and its blocking twin, used as documented."""

from __future__ import annotations

from typing import Any

from runloop_async import AsyncRunloop, Runloop
from runloop_async._converter import unstructure

from .common import TOKEN
from .sdk import sdk_workloads

__all__ = ["ASYNC", "SYNC", "to_json"]

ASYNC, SYNC = sdk_workloads(lambda url: AsyncRunloop(TOKEN, url), lambda url: Runloop(TOKEN, url))


def to_json(item: Any) -> Any:
    """The wire form of a model (``None`` fields left out)."""
    return unstructure(item)
