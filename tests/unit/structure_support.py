"""The resources under a client, found by walking it (so new ones need no list here)."""

from __future__ import annotations

from runloop_async._resources._base import Resource
from runloop_async._sync import SyncResource


def resource_tree(owner: object, prefix: str = "") -> dict[str, object]:
    """``{"scenarios": ..., "scenarios.runs": ..., ...}`` for an async or blocking client."""
    found: dict[str, object] = {}
    for name in dir(owner):
        value = None if name.startswith("_") else getattr(owner, name, None)
        if isinstance(value, Resource | SyncResource):
            found[prefix + name] = value
            found.update(resource_tree(value, f"{prefix}{name}."))
    return found
