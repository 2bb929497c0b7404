"""The transport: the only client-side module that imports aiohttp.

aiohttp is imported when the first session is created, not with the package: it is
about half of the time ``import runloop_async`` would otherwise take, and the CLI's
``--help`` and the models never need it.

It sends one attempt of a :class:`PreparedRequest` and returns the raw answer, or
raises :class:`APIConnectionError` / :class:`APITimeoutError`. Retries, error mapping
and decoding are decided elsewhere, in pure functions.

Lifetime: the sessions are created on first use inside the running event loop and
bound to it. Using the transport from another loop, or after :meth:`close`, raises
:class:`ClientClosedError`. Nothing is closed from ``__del__``.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import attrs

from ._autoclose import close_with_loop
from ._config import Limits, Timeout
from ._exceptions import APIConnectionError, APITimeoutError, ClientClosedError
from ._jsonlib import dumps
from ._request import Pool, PreparedRequest

if TYPE_CHECKING:
    import aiohttp

__all__ = ["RETRY_COUNT_HEADER", "RawResponse", "Transport"]

RETRY_COUNT_HEADER = "x-stainless-retry-count"

log = logging.getLogger("runloop_async")

#: Receives the body of a 2xx streamed answer chunk by chunk.
Sink = Callable[[bytes], Awaitable[None]]


@attrs.frozen(kw_only=True)
class RawResponse:
    """One HTTP answer: status, lower-cased headers, and the body (empty if streamed)."""

    status: int
    headers: dict[str, str]
    body: bytes
    elapsed: float


class _Pool:
    """One aiohttp session plus a semaphore that queues callers before the timers start.

    Waiting for a free connection happens on the semaphore, outside aiohttp's
    timeouts, so a fan-out of thousands of calls never turns queueing into
    read or total timeouts (the classic PoolTimeout complaint).
    """

    def __init__(self, limit: int, keepalive: float, base_url: str) -> None:
        import aiohttp
        import yarl

        # One client talks to one host, so ``limit`` alone bounds it; a per-host limit
        # too would only add bookkeeping to every acquire and release.
        # No skip_auto_headers: every request carries our own User-Agent, which already
        # stops aiohttp from adding its own, and a skip list makes aiohttp rebuild two
        # header multidicts on every request.
        connector = aiohttp.TCPConnector(
            limit=limit, keepalive_timeout=keepalive, ttl_dns_cache=300
        )
        self.session = aiohttp.ClientSession(
            connector=connector,
            auto_decompress=True,
            raise_for_status=False,
            cookie_jar=aiohttp.DummyCookieJar(),
        )
        # aiohttp silently resends an idempotent request once when a kept-alive
        # connection turns out dead. Our retry layer does that itself, counted and
        # budgeted, so the hidden resend is turned off (as aiohttp's own test client does).
        if hasattr(self.session, "_retry_connection"):
            self.session._retry_connection = False
        self.slots = asyncio.Semaphore(limit)
        # Encoded once: paths are built from percent-encoded segments, so each request
        # URL can skip yarl's parse-and-quote pass (see Transport._attempt).
        self.base = str(yarl.URL(base_url))
        self.url = yarl.URL
        self.errors = (aiohttp.ClientError, OSError)


class Transport:
    """Sends single attempts over one pooled aiohttp session per :data:`Pool`."""

    def __init__(self, *, base_url: str, api_key: str, limits: Limits) -> None:
        self._base_url = base_url
        self._auth = f"Bearer {api_key}"
        self._limits = limits
        self._pools: dict[Pool, _Pool] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    def __repr__(self) -> str:
        return f"Transport(base_url={self._base_url!r})"

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    @property
    def base_url(self) -> str:
        """The API base URL requests go to (raw responses report full URLs)."""
        return self._base_url

    def _pool(self, name: Pool) -> _Pool:
        loop = asyncio.get_running_loop()
        if self._closed:
            raise ClientClosedError("this client is closed; create a new one")
        if self._loop is None:
            self._loop = loop
            # An unclosed client is closed when this loop shuts down (see _autoclose).
            self._autoclose = close_with_loop(self.close)
        elif self._loop is not loop:
            raise ClientClosedError(
                "this client belongs to another event loop; create one client per loop "
                "(or use runloop_async.Runloop, which owns a loop thread)"
            )
        pool = self._pools.get(name)
        if pool is None:
            limit = (
                self._limits.max_connections if name == "api" else self._limits.max_wait_connections
            )
            pool = self._pools[name] = _Pool(limit, self._limits.keepalive_timeout, self._base_url)
        return pool

    async def send(
        self,
        request: PreparedRequest,
        timeout: Timeout,
        sink: Sink | None = None,
        *,
        retries: int = 0,
    ) -> RawResponse:
        """Send one attempt; raise APIConnectionError/APITimeoutError on transport failure.

        ``retries`` (attempts before this one) is sent as ``x-stainless-retry-count``
        unless the request already carries that header.
        """
        pool = self._pool(request.pool)
        if timeout.pool is None:
            # No deadline: skip wait_for's wrapper and timer on every call.
            await pool.slots.acquire()
        else:
            await _acquire_within(pool.slots, timeout.pool, request)
        try:
            return await self._attempt(pool, request, timeout, sink, retries)
        finally:
            pool.slots.release()

    async def _attempt(
        self,
        pool: _Pool,
        request: PreparedRequest,
        timeout: Timeout,
        sink: Sink | None,
        retries: int,
    ) -> RawResponse:
        started = time.monotonic()
        try:
            async with pool.session.request(
                request.method,
                pool.url(pool.base + request.path, encoded=True),
                params=request.query or None,
                data=_encode_body(request),
                # Built inline, never bound to a local: a crash reporter that records
                # frame locals of a traceback through here must not find the key.
                # A retry count the caller set wins over ours (it comes later).
                headers={
                    RETRY_COUNT_HEADER: str(retries),
                    **request.headers,
                    **_length_header(request),
                    "authorization": self._auth,
                },
                allow_redirects=False,
                timeout=_client_timeout(timeout),
            ) as response:
                body = await _read(response, sink)
                return RawResponse(
                    status=response.status,
                    headers={k.lower(): v for k, v in response.headers.items()},
                    body=body,
                    elapsed=time.monotonic() - started,
                )
        except TimeoutError:
            error: APIConnectionError = APITimeoutError(
                "Request timed out.", method=request.method, path=request.path
            )
        except pool.errors as exc:
            error = APIConnectionError(
                f"Connection error: {type(exc).__name__}: {_safe_reason(exc)}",
                method=request.method,
                path=request.path,
            )
        # Raised outside the handlers, so the aiohttp exception is not even kept as a
        # hidden __context__: its traceback's frames hold the sent headers, key included.
        raise error

    async def close(self) -> None:
        """Close every session. Idempotent; must run on the sessions' loop."""
        if self._closed:
            return
        self._closed = True
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            await pool.session.close()
        if pools:
            # Let aiohttp's transports finish closing before the loop may end, so no
            # "unclosed transport" warning fires later.
            await asyncio.sleep(0)


@functools.lru_cache(maxsize=64)
def _client_timeout(timeout: Timeout) -> aiohttp.ClientTimeout:
    # Built once per distinct Timeout, not once per request.
    import aiohttp

    return aiohttp.ClientTimeout(
        total=timeout.total, sock_connect=timeout.connect, sock_read=timeout.read
    )


async def _acquire_within(
    slots: asyncio.Semaphore, seconds: float, request: PreparedRequest
) -> None:
    try:
        await asyncio.wait_for(slots.acquire(), seconds)
    except TimeoutError:
        raise APITimeoutError(
            f"no free connection within {seconds} s (pool timeout)",
            method=request.method,
            path=request.path,
        ) from None


def _encode_body(request: PreparedRequest) -> bytes | None:
    # No body is None, even on a POST: b"" would go through aiohttp's payload registry
    # and writer (about 10 us a call); the empty length is sent as a header instead.
    return dumps(request.json_body) if request.has_body else None


def _length_header(request: PreparedRequest) -> dict[str, str]:
    # A POST without a body still says so: some proxies answer 411 without a length.
    if request.has_body or request.method == "GET":
        return _NO_HEADERS
    return _EMPTY_BODY


_NO_HEADERS: dict[str, str] = {}
_EMPTY_BODY = {"content-length": "0"}


async def _read(response: aiohttp.ClientResponse, sink: Sink | None) -> bytes:
    if sink is None or not 200 <= response.status < 300:
        return await response.read()
    async for chunk in response.content.iter_chunked(1 << 16):
        await sink(chunk)
    return b""


def _safe_reason(exc: BaseException) -> str:
    # aiohttp messages name host and port, never headers; keep them short anyway.
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 300 else text[:300] + "..."
