"""The official SDK, runloop-api-client 1.32.0 (httpx + pydantic), with its defaults."""

from __future__ import annotations

from typing import Any

from runloop_api_client import AsyncRunloop, Runloop

from .common import TOKEN
from .sdk import sdk_workloads

__all__ = ["ASYNC", "SYNC", "to_json"]

ASYNC, SYNC = sdk_workloads(
    lambda url: AsyncRunloop(bearer_token=TOKEN, base_url=url),
    lambda url: Runloop(bearer_token=TOKEN, base_url=url),
)


def to_json(item: Any) -> Any:
    """The model as JSON (pydantic)."""
    return item.model_dump(mode="json", exclude_none=True)
