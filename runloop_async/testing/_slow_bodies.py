"""Answers for the slow and large faults: ``hang``, ``trickle``, ``oversized``, ``gzip_bomb``.

Each one streams, so the emulator never holds a large answer in memory, and each
stops as soon as the client hangs up (a client that enforces its deadlines or its
size limit closes the connection early, and the emulator must not spin on).
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Iterator

from aiohttp import web

from ._faults import FaultHandle
from ._router import Answer

__all__ = ["bomb", "hang", "oversized", "trickle"]

#: How often a held request checks whether its client is still there.
_POLL = 0.05
#: Bytes per write of a padded answer (and per deflate step of a bomb).
_BLOCK = 1 << 16


def _gone(request: web.Request) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


async def hang(request: web.Request, fault: FaultHandle) -> None:
    """Hold the request unanswered until the client leaves (or ``fault.delay`` s)."""
    loop = asyncio.get_running_loop()
    until = loop.time() + fault.delay if fault.delay > 0 else None
    # Polled: aiohttp offers no event for "the client hung up" to a running handler.
    while not _gone(request) and (until is None or loop.time() < until):  # noqa: ASYNC110
        await asyncio.sleep(_POLL)
    transport = request.transport
    if transport is not None:
        transport.close()


async def _start(
    request: web.Request, answer: Answer, request_id: str, length: int | None
) -> web.StreamResponse:
    response = web.StreamResponse(status=answer.status, headers=answer.headers)
    response.headers["x-request-id"] = request_id
    response.content_type = answer.content_type
    if length is not None:
        response.content_length = length
    await response.prepare(request)
    return response


async def _send(request: web.Request, response: web.StreamResponse, parts: Iterator[bytes]) -> bool:
    """Write ``parts``; False if the client hung up first."""
    try:
        for part in parts:
            if _gone(request):
                return False
            await response.write(part)
        await response.write_eof()
    except ConnectionError:
        return False
    return True


async def trickle(
    request: web.Request, answer: Answer, request_id: str, fault: FaultHandle
) -> web.StreamResponse:
    """Send the real answer ``fault.chunk`` bytes every ``fault.interval`` seconds."""
    response = await _start(request, answer, request_id, len(answer.body))
    body, step = answer.body, fault.chunk
    try:
        for start in range(0, len(body), step):
            if _gone(request):
                return response
            await response.write(body[start : start + step])
            await asyncio.sleep(fault.interval)
        await response.write_eof()
    except ConnectionError:
        pass
    return response


def _padded(body: bytes, size: int) -> Iterator[bytes]:
    """``body`` then JSON whitespace up to ``size`` bytes, in blocks (still valid JSON)."""
    yield body
    left = size - len(body)
    block = b" " * _BLOCK
    while left > 0:
        yield block[: min(left, _BLOCK)]
        left -= _BLOCK


async def oversized(
    request: web.Request, answer: Answer, request_id: str, fault: FaultHandle
) -> web.StreamResponse:
    """The real answer padded to ``fault.size`` bytes, with its true ``Content-Length``."""
    size = max(fault.size, len(answer.body))
    response = await _start(request, answer, request_id, size)
    await _send(request, response, _padded(answer.body, size))
    return response


def _deflated(body: bytes, size: int, encoding: str) -> Iterator[bytes]:
    # wbits 31 writes a gzip member, 15 a zlib stream (what HTTP calls "deflate").
    packer = zlib.compressobj(9, zlib.DEFLATED, 31 if encoding == "gzip" else 15)
    for part in _padded(body, size):
        out = packer.compress(part)
        if out:
            yield out
    yield packer.flush()


async def bomb(
    request: web.Request, answer: Answer, request_id: str, fault: FaultHandle
) -> web.StreamResponse:
    """The real answer padded to ``fault.size`` decoded bytes, compressed on the fly."""
    answer.headers["Content-Encoding"] = fault.encoding
    response = await _start(request, answer, request_id, None)
    await _send(request, response, _deflated(answer.body, fault.size, fault.encoding))
    return response
