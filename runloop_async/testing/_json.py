"""JSON encoding for the emulator: orjson when installed, the stdlib otherwise."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["dumps", "loads"]

try:
    import orjson

    def dumps(value: Any) -> bytes:
        """Encode ``value`` as compact UTF-8 JSON."""
        return orjson.dumps(value)

    def loads(data: bytes) -> Any:
        """Decode JSON bytes; raises ``ValueError`` on bad input."""
        return orjson.loads(data)

except ImportError:  # pragma: no cover - orjson is optional

    def dumps(value: Any) -> bytes:
        """Encode ``value`` as compact UTF-8 JSON."""
        return json.dumps(value, separators=(",", ":")).encode()

    def loads(data: bytes) -> Any:
        """Decode JSON bytes; raises ``ValueError`` on bad input."""
        return json.loads(data)
