"""JSON encode/decode: orjson when the ``speedups`` extra is installed, else stdlib.

Both backends answer alike: compact UTF-8 bytes out, and a value that is not JSON
(``object()``, a set, a non-string key for orjson) is an :class:`InvalidArgumentError`
naming what was wrong, raised before anything is sent, never a bare ``TypeError``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ._exceptions import InvalidArgumentError

__all__ = ["JSONDecodeError", "dumps", "encode_with", "loads"]


def _std_dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def _std_loads(data: bytes | str) -> Any:
    return json.loads(data)


try:  # pragma: no cover - which branch runs depends on the environment
    import orjson

    JSONDecodeError: tuple[type[Exception], ...] = (orjson.JSONDecodeError, UnicodeDecodeError)
    _dumps: Callable[[Any], bytes] = orjson.dumps
    _loads: Callable[[bytes | str], Any] = orjson.loads
except ImportError:  # pragma: no cover
    JSONDecodeError = (json.JSONDecodeError, UnicodeDecodeError)
    _dumps, _loads = _std_dumps, _std_loads


def encode_with(encoder: Callable[[Any], bytes], value: Any) -> bytes:
    """``encoder(value)``, with an unencodable value as a typed error.

    Raises:
        InvalidArgumentError: ``value`` holds something JSON cannot represent.
    """
    try:
        return encoder(value)
    except (TypeError, ValueError) as exc:  # orjson.JSONEncodeError is a TypeError
        raise InvalidArgumentError(f"cannot send this value as JSON: {exc}") from None


def dumps(value: Any) -> bytes:
    """Encode to compact UTF-8 JSON bytes.

    Raises:
        InvalidArgumentError: ``value`` holds something JSON cannot represent.
    """
    return encode_with(_dumps, value)


#: Decode JSON bytes or text; raises one of :data:`JSONDecodeError` when ``data`` is
#: not JSON. The backend's own function, not a wrapper: every answer goes through it.
loads: Callable[[bytes | str], Any] = _loads
