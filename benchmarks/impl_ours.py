"""runloop_async: the async client and its blocking twin, used as documented."""

from __future__ import annotations

from typing import Any

# runloop_async imports aiohttp and cattrs (_converter) at the first request, and anyio
# its asyncio backend when the blocking client starts its loop, not with the package,
# so `import runloop_async` and the CLI start fast. The workloads time requests, not
# imports, so all three are loaded here, before the clock starts, as the bare client's
# and the official SDK's are by their own imports. The import rows of RESULTS.md report
# `import runloop_async` alone and with all a first request loads.
import aiohttp  # noqa: F401
import anyio._backends._asyncio  # noqa: F401

from runloop_async import AsyncRunloop, Runloop
from runloop_async._converter import unstructure

from .common import TOKEN
from .sdk import sdk_workloads

__all__ = ["ASYNC", "SYNC", "to_json"]

ASYNC, SYNC = sdk_workloads(lambda url: AsyncRunloop(TOKEN, url), lambda url: Runloop(TOKEN, url))


def to_json(item: Any) -> Any:
    """The wire form of a model (``None`` fields left out)."""
    return unstructure(item)
