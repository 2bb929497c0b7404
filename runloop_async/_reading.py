"""Reading one answer's body within ``Limits.max_response_size`` (decoded bytes).

Bodies are decompressed here, by :mod:`._body`, not by aiohttp, so the size limit
counts decoded bytes and holds whatever the compression ratio. Works on aiohttp's
response through the few members it uses (:class:`Answer`), without importing it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Protocol

from ._body import BodyTooLarge, CorruptBody, Decoder
from ._exceptions import APIConnectionError, ResponseTooLargeError
from ._request import PreparedRequest

__all__ = ["Answer", "Sink", "read_body"]

#: Receives the body of a 2xx streamed answer chunk by chunk.
Sink = Callable[[bytes], Awaitable[None]]


class _Content(Protocol):
    def iter_any(self) -> AsyncIterator[bytes]: ...


class Answer(Protocol):
    """What is read of an aiohttp ``ClientResponse``."""

    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def content_length(self) -> int | None: ...
    @property
    def content(self) -> _Content: ...
    async def read(self) -> bytes: ...


def read_body(
    response: Answer, sink: Sink | None, limit: int | None, request: PreparedRequest
) -> Awaitable[bytes]:
    """The decoded body (or b"" once streamed to ``sink``), at most ``limit`` bytes.

    Returns what to await: for the usual answer (not streamed, not encoded, with a
    ``Content-Length``), aiohttp's own read of exactly that many bytes, with no
    coroutine of ours around it.

    Raises:
        ResponseTooLargeError: the answer declares (or, awaited, reaches) more
            than ``limit`` bytes.
    """
    if sink is None and "content-encoding" not in response.headers:
        length = response.content_length
        if length is not None:
            if limit is not None and length > limit:
                raise _too_large(response, request, limit, f"it declares {length} bytes")
            return response.read()
    return _read_any(response, sink, limit, request)


async def _read_any(
    response: Answer, sink: Sink | None, limit: int | None, request: PreparedRequest
) -> bytes:
    encoding = response.headers.get("content-encoding", "").strip().lower()
    streamed = sink is not None and 200 <= response.status < 300
    length = response.content_length
    if not streamed and encoding in ("", "identity") and length is not None:
        if limit is not None and length > limit:
            raise _too_large(response, request, limit, f"it declares {length} bytes")
        return await response.read()
    # Streamed downloads go to a file, not memory: only in-memory answers are limited.
    decoder = Decoder(encoding, None if streamed else limit)
    parts: list[bytes] = []
    try:
        async for chunk in response.content.iter_any():
            piece = decoder.feed(chunk)
            if sink is not None and streamed:
                await sink(piece)
            else:
                parts.append(piece)
        decoder.finish()
    except BodyTooLarge as exc:
        raise _too_large(response, request, limit or 0, f"reading stopped at {exc.size}") from None
    except CorruptBody as exc:
        raise APIConnectionError(
            f"the answer's {encoding} body is corrupt: {exc}",
            method=request.method, path=request.path,
        ) from None  # fmt: skip
    return b"".join(parts)


def _too_large(
    response: Answer, request: PreparedRequest, limit: int, seen: str
) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"the answer's body is larger than Limits.max_response_size ({limit} bytes; {seen})",
        limit=limit,
        status_code=response.status,
        method=request.method,
        path=request.path,
        request_id=response.headers.get("x-request-id") or request.idempotency_key,
    )
