"""Pure request building: URL joining, path segments, query encoding, headers, bodies."""

from __future__ import annotations

import os
import platform
import re
from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import quote, urlsplit

import attrs

from ._config import NotGiven
from ._exceptions import ConfigurationError, InvalidArgumentError
from ._version import __version__

__all__ = [
    "DEFAULT_BASE_URL",
    "Pool",
    "PreparedRequest",
    "base_url_hint",
    "check_api_key",
    "check_limit",
    "encode_query",
    "attempt_headers",
    "new_idempotency_key",
    "normalize_base_url",
    "path_segment",
    "default_headers",
    "is_insecure_remote",
    "IDEMPOTENCY_HEADER",
    "RETRY_COUNT_HEADER",
    "MAX_PAGE_SIZE",
]

DEFAULT_BASE_URL = "https://api.runloop.ai"
IDEMPOTENCY_HEADER = "x-request-id"
#: Attempts before this one; the session sends ``0``, a retry its own count.
RETRY_COUNT_HEADER = "x-stainless-retry-count"
MAX_PAGE_SIZE = 5000

#: Which connection pool a request uses: short API calls or long-polls.
Pool = Literal["api", "wait"]

_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


@attrs.define
class PreparedRequest:
    """One request, fully decided, ready for the transport (no I/O yet).

    Never changed once built, but not ``frozen``: a frozen class's ``__init__`` sets
    each of these ten fields through ``object.__setattr__`` (0.6 us more per call).
    Not ``kw_only`` either, and built with positional arguments: a class called with
    keywords gets them as a new dict (ten fields: 0.5 us, positional 0.19 us).

    :attr:`headers` never includes ``Authorization``; only the transport adds it, so
    nothing built here can leak the key into a log or an error. ``call_headers`` is
    the part of it that is not the client's ``default_headers``, which the
    transport's session sends by itself (aiohttp merges one small mapping per
    request instead of a dozen headers, and none at all for most GETs).
    """

    method: str
    path: str
    query: list[tuple[str, str]]
    #: The client's headers (shared by every request of the client: never mutated).
    default_headers: Mapping[str, str]
    call_headers: dict[str, str]
    json_body: Any = None
    has_body: bool = False
    #: ``json_body`` encoded once, when the request is prepared (not per attempt).
    content: bytes | None = None
    pool: Pool = "api"
    idempotency_key: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        """Every header sent but ``Authorization`` and the retry count (a new dict)."""
        return {**self.default_headers, **self.call_headers}


def normalize_base_url(url: object) -> str:
    """Validate a base URL and strip its trailing slash.

    Raises:
        ConfigurationError: not a string, empty, not an absolute http(s) URL, a
            port outside 1..65535, a query string or fragment, or a user name or
            password in it (the message never repeats the password).
    """
    if not isinstance(url, str) or not url.strip():
        shown = repr(url) if not isinstance(url, str) else "an empty string"
        raise ConfigurationError(
            f"base_url must be an absolute http(s) URL such as {DEFAULT_BASE_URL!r}, got {shown}"
        )
    text = url.strip()
    parts = urlsplit(text)
    if "@" in parts.netloc:
        raise ConfigurationError(
            "base_url must not contain a user name or password "
            f"({parts.scheme}://***@{parts.netloc.rpartition('@')[2]}); "
            "the API key goes in bearer_token"
        )
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"base_url must be an absolute http(s) URL, got {text!r}")
    if parts.query or parts.fragment:
        raise ConfigurationError("base_url must not carry a query string or fragment")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is not None and not 1 <= port <= 65535:
        raise ConfigurationError(f"base_url has an invalid port (1..65535): {text!r}")
    return text.rstrip("/")


def base_url_hint(base_url: str, status: int) -> str:
    """Advice to add to an error, when the base URL explains it (pure).

    Paths start with ``/v1``, so a base URL ending in ``/v1`` asks for
    ``/v1/v1/...``, which the server answers 404.
    """
    if status == 404 and urlsplit(base_url).path.rstrip("/").endswith("/v1"):
        return (
            " (the base_url ends in '/v1', and every request path already starts with "
            "'/v1'; use the API root, such as 'https://api.runloop.ai', as base_url)"
        )
    return ""


def check_api_key(key: object) -> str:
    """The API key with surrounding whitespace (a pasted newline) stripped.

    Raises:
        ConfigurationError: not a string, empty, or with a control character or
            space inside (the key itself is never shown).
    """
    if not isinstance(key, str):
        raise ConfigurationError(f"bearer_token must be a str, got {type(key).__name__}")
    stripped = key.strip()
    if any(ord(ch) <= 32 or ord(ch) == 127 for ch in stripped):
        raise ConfigurationError(
            "bearer_token contains a space or control character inside it "
            "(check how the key was copied)"
        )
    return stripped


def is_insecure_remote(url: str) -> bool:
    """True for a plain-http URL whose host is not loopback (the key would travel clear)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme == "http" and host not in _LOOPBACK and not host.startswith("127.")


def path_segment(value: object, name: str = "id") -> str:
    """Percent-encode one path parameter.

    Raises:
        InvalidArgumentError: empty, not a string, or ``.``/``..``.
    """
    if not isinstance(value, str):
        raise InvalidArgumentError(f"`{name}` must be a string, got {type(value).__name__}")
    if not value:
        raise InvalidArgumentError(f"Expected a non-empty value for `{name}` but received ''")
    if value in (".", ".."):
        raise InvalidArgumentError(f"`{name}` may not be {value!r}")
    if (value.isascii() and value.isidentifier()) or _UNRESERVED(value) is not None:
        # What quote() would return, without its per-character pass. An ASCII
        # identifier (``scr_...``: every id the API hands out) is only letters,
        # digits and ``_``, checked by two string methods (50 ns; the pattern 130).
        return value
    return quote(value, safe="")


#: Characters ``quote(..., safe="")`` never encodes (RFC 3986 unreserved).
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]+").fullmatch


def check_limit(limit: object) -> None:
    """Raise :class:`InvalidArgumentError` unless ``limit`` is an int in 1..MAX_PAGE_SIZE."""
    if isinstance(limit, NotGiven):
        return
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidArgumentError(
            f"limit must be an integer from 1 to {MAX_PAGE_SIZE}, got {limit!r}"
        )


def _query_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(_query_value(v) for v in value)
    return str(value)


def encode_query(*params: Mapping[str, object] | None) -> list[tuple[str, str]]:
    """Merge query mappings (later ones win) into sorted ``(name, value)`` pairs.

    ``None`` and ``NOT_GIVEN`` values are left out; booleans become ``true``/``false``;
    sequences are comma-joined, as the official SDK sends them.
    """
    if not any(params):
        return []  # most calls: no query at all
    merged: dict[str, object] = {}
    for mapping in params:
        if mapping:
            merged.update(mapping)
    return [
        (key, _query_value(value))
        for key, value in sorted(merged.items())
        if value is not None and not isinstance(value, NotGiven)
    ]


def new_idempotency_key() -> str:
    """A fresh idempotency key for one logical non-GET call (reused on its retries).

    128 random bits from the OS, as in a UUID4 (unique across processes and
    machines), without building a UUID object.
    """
    return f"runloop-async-{os.urandom(16).hex()}"


def default_headers() -> dict[str, str]:
    """Headers sent on every request (``Authorization`` is added by the transport)."""
    return {
        "accept": "application/json",
        # Only what the transport can decode within its size limit (see _body).
        "accept-encoding": "gzip, deflate",
        "user-agent": f"runloop-async/{__version__} Python/{platform.python_version()}",
        "x-stainless-lang": "python",
        "x-stainless-package-version": __version__,
        "x-stainless-async": "async:asyncio",
    }


def attempt_headers(request: PreparedRequest, retries: int) -> dict[str, str] | None:
    """What one attempt passes to aiohttp over the session's own headers (pure).

    The session sends the client's headers, the key and a retry count of ``0``; an
    attempt adds the request's own headers and the retry count after the first
    attempt (a count the caller set wins: it comes later). A non-GET without a body
    passes no body at all (``b""`` would go through aiohttp's payload registry and
    writer), and aiohttp (3.12.4 and later) then sends ``Content-Length: 0`` itself
    (some proxies answer 411 to a POST without one).
    ``None``, nothing to add, is the common GET: aiohttp then merges no headers.
    """
    if not retries:
        return request.call_headers or None
    headers = {RETRY_COUNT_HEADER: str(retries)}
    headers.update(request.call_headers)
    return headers
