"""JSON encode/decode: orjson when the ``speedups`` extra is installed, else stdlib."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["JSONDecodeError", "dumps", "loads"]

try:  # pragma: no cover - which branch runs depends on the environment
    import orjson

    JSONDecodeError: tuple[type[Exception], ...] = (orjson.JSONDecodeError, UnicodeDecodeError)

    def dumps(value: Any) -> bytes:
        """Encode to compact UTF-8 JSON bytes."""
        return orjson.dumps(value)

    def loads(data: bytes | str) -> Any:
        """Decode JSON bytes or text."""
        return orjson.loads(data)

except ImportError:  # pragma: no cover
    JSONDecodeError = (json.JSONDecodeError, UnicodeDecodeError)

    def dumps(value: Any) -> bytes:
        """Encode to compact UTF-8 JSON bytes."""
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()

    def loads(data: bytes | str) -> Any:
        """Decode JSON bytes or text."""
        return json.loads(data)
