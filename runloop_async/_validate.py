"""Pure argument checks: every bad input becomes a typed error before any request.

Each function either returns the value (normalised: ``inf`` seconds become ``None``,
"no limit") or raises :class:`InvalidArgumentError` naming the argument, what it got
and what it accepts. Nothing here does I/O, and no message ever repeats a value that
could be a secret (header values are named by header, not shown).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from ._exceptions import InvalidArgumentError

__all__ = [
    "OPTION_KEYS",
    "WAIT_OPTION_KEYS",
    "check_count",
    "check_header_map",
    "check_idempotency_key",
    "check_keywords",
    "check_options",
    "check_query_value",
    "check_seconds",
    "unencodable_path",
]

#: Per-call options every method accepts (``RequestOptions``).
OPTION_KEYS = frozenset({"extra_headers", "extra_query", "extra_body", "max_retries", "timeout"})
#: Per-request options a wait applies to each of its polls (``WaitOptions``).
WAIT_OPTION_KEYS = OPTION_KEYS - {"timeout"}


def _kind(value: object) -> str:
    return type(value).__name__


def check_seconds(value: object, name: str, *, zero_ok: bool = False) -> float | None:
    """A duration in seconds: a positive finite number; ``None`` or ``inf`` = no limit.

    Raises:
        InvalidArgumentError: a bool, a non-number, NaN, or a value <= 0 (< 0 with
            ``zero_ok``).
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidArgumentError(
            f"{name} must be a number of seconds or None (no limit), got {value!r} ({_kind(value)})"
        )
    if math.isnan(value):
        raise InvalidArgumentError(f"{name} must be a number of seconds, got NaN")
    if math.isinf(value) and value > 0:
        return None
    if value < 0 or (value == 0 and not zero_ok):
        bound = ">= 0" if zero_ok else "> 0"
        raise InvalidArgumentError(f"{name} must be {bound} seconds, got {value!r}")
    return float(value)


def check_count(value: object, name: str, *, minimum: int = 0) -> int:
    """An integer >= ``minimum`` (bools and strings are refused, even ``'3'``).

    Raises:
        InvalidArgumentError: not an int, or below ``minimum``.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentError(
            f"{name} must be an integer >= {minimum}, got {value!r} ({_kind(value)})"
        )
    if value < minimum:
        raise InvalidArgumentError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return value


def check_keywords(given: Iterable[str], allowed: frozenset[str], call: str) -> None:
    """Refuse keyword arguments a method does not take (they used to be ignored).

    Raises:
        InvalidArgumentError: names the first unknown key and every allowed one.
    """
    unknown = sorted(set(given) - allowed)
    if unknown:
        listed = ", ".join(sorted(allowed))
        raise InvalidArgumentError(
            f"{call}() got an unexpected keyword argument {unknown[0]!r}; it takes: {listed}"
        )


def check_header_map(value: object, name: str) -> dict[str, str]:
    """A mapping of header names to string values, names lower-cased.

    Raises:
        InvalidArgumentError: not a mapping, a non-str name or value, or a value with
            a line break (which would smuggle in another header).
    """
    if not isinstance(value, Mapping):
        raise InvalidArgumentError(f"{name} must be a mapping of str to str, got {_kind(value)}")
    out: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not key.strip() or _has_control(key):
            raise InvalidArgumentError(f"{name}: header names must be non-empty str, got {key!r}")
        if not isinstance(item, str):
            raise InvalidArgumentError(
                f"{name}[{key!r}] must be a str, got {_kind(item)} (convert it with str())"
            )
        if "\r" in item or "\n" in item:
            raise InvalidArgumentError(f"{name}[{key!r}] must not contain a line break")
        out[key.lower()] = item
    return out


def _has_control(text: str) -> bool:
    return any(ord(ch) < 32 or ord(ch) == 127 for ch in text)


def check_idempotency_key(value: object) -> str | None:
    """``None`` or a non-empty single-line string.

    Raises:
        InvalidArgumentError: anything else.
    """
    if value is None:
        return None
    if not isinstance(value, str) or not value or _has_control(value):
        raise InvalidArgumentError(
            f"idempotency_key must be a non-empty str without control characters or None, "
            f"got {_kind(value)}"
        )
    return value


_SCALARS = (str, int, float)


def check_query_value(value: object, name: str, *, free: bool = False) -> None:
    """A list filter's value: a str (``limit``: an int; ``include_total_count``: a bool).

    ``free`` (``extra_query``) allows any scalar and lists of them, sent as the
    official SDK sends them (comma-joined).

    Raises:
        InvalidArgumentError: ``None`` (leave the filter out instead), a list, or a
            value of another type.
    """
    if value is None:
        raise InvalidArgumentError(
            f"{name}=None is not a filter; leave {name} out to not filter on it"
        )
    if free:
        items = value if isinstance(value, (list, tuple)) else [value]
        if all(isinstance(v, _SCALARS) for v in items):
            return
        raise InvalidArgumentError(
            f"extra_query[{name!r}] must be a str, number, bool or a list of them, "
            f"got {_kind(value)}"
        )
    want: type = {"limit": int, "include_total_count": bool}.get(name, str)
    if isinstance(value, want) and not (want is int and isinstance(value, bool)):
        return
    raise InvalidArgumentError(f"{name} must be a {want.__name__}, got {value!r} ({_kind(value)})")


def check_options(options: Mapping[str, Any]) -> None:
    """Check the values of per-call options (keys are checked by :func:`check_keywords`).

    Raises:
        InvalidArgumentError: a bad ``extra_headers``, ``extra_query``, ``extra_body``
            or ``max_retries`` (``timeout`` is checked where it is coerced).
    """
    headers = options.get("extra_headers")
    if headers is not None:
        check_header_map(headers, "extra_headers")
    query = options.get("extra_query")
    if query is not None:
        if not isinstance(query, Mapping):
            raise InvalidArgumentError(f"extra_query must be a mapping, got {_kind(query)}")
        for key, value in query.items():
            if not isinstance(key, str):
                raise InvalidArgumentError(f"extra_query keys must be str, got {key!r}")
            if value is not None:
                check_query_value(value, key, free=True)
    body = options.get("extra_body")
    if body is not None and not isinstance(body, Mapping):
        raise InvalidArgumentError(f"extra_body must be a mapping, got {_kind(body)}")
    if "max_retries" in options:
        check_count(options["max_retries"], "max_retries")


def unencodable_path(value: object, path: str = "$", depth: int = 0) -> str | None:
    """Where in a request body a value JSON cannot hold sits (``$.metadata.a``), or None.

    Only called after encoding failed, to name the culprit; a cycle or extreme depth
    is reported where it is found.
    """
    if depth > 200:
        return path
    if value is None or isinstance(value, (str, int, bool)):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else path
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                return f"{path} (key {key!r})"
            found = unencodable_path(item, f"{path}.{key}", depth + 1)
            if found:
                return found
        return None
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = unencodable_path(item, f"{path}[{index}]", depth + 1)
            if found:
                return found
        return None
    return path
