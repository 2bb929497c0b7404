"""The transport: the only client-side module that imports aiohttp.

aiohttp is imported when the first session is created, not with the package: it is
the largest part of what ``import runloop_async`` would otherwise load (figures in
benchmarks/RESULTS.md), and the CLI's ``--help`` and the models never need it.

It sends one attempt of a :class:`PreparedRequest` and returns the raw answer, or
raises :class:`APIConnectionError` / :class:`APITimeoutError` (or
:class:`ResponseTooLargeError` for a body past ``Limits.max_response_size``).
Retries, error mapping and decoding are decided elsewhere, in pure functions.
Bodies are decompressed by :mod:`._reading` and :mod:`._body`, not by aiohttp, so the
size limit counts decoded bytes and holds whatever the compression ratio.

Lifetime: the sessions are created on first use inside the running event loop and
bound to it. Using the transport from another loop, or after :meth:`close`, raises
:class:`ClientClosedError`. Nothing is closed from ``__del__``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import math
import sys
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from ._autoclose import close_with_loop
from ._config import Limits, Timeout, cap_seconds
from ._exceptions import (
    APIConnectionError,
    APITimeoutError,
    ClientClosedError,
)
from ._reading import Sink, read_body
from ._readtimer import has_hooks, lazy_read_timer
from ._request import RETRY_COUNT_HEADER, Pool, PreparedRequest, attempt_headers
from ._slots import Slots

if TYPE_CHECKING:
    import aiohttp
    import yarl

__all__ = [
    "CLOSE_TIMEOUT",
    "RETRY_COUNT_HEADER",
    "RawResponse",
    "Sink",
    "Transport",
    "disable_hidden_resend",
    "lazy_read_timeouts",
]

#: Longest a close waits for aiohttp to shut its connections (it normally takes
#: milliseconds); past it the close gives up rather than hang the caller's exit.
CLOSE_TIMEOUT = 5.0

log = logging.getLogger("runloop_async")


@attrs.define
class RawResponse:
    """One HTTP answer: status, headers, and the body (empty if streamed).

    ``headers`` is looked up case-insensitively (aiohttp's own read-only view, not a
    copy: most answers' headers are never read). Never changed once built, but not
    ``frozen``: a frozen class's ``__init__`` sets each field through
    ``object.__setattr__``, 0.4 us more on every answer. Not ``kw_only`` either: the
    transport builds it with positional arguments (keywords cost a dict per call).
    """

    status: int
    headers: Mapping[str, str]
    body: bytes
    elapsed: float


class _Pool:
    """One aiohttp session plus a semaphore that queues callers before the timers start.

    Waiting for a free connection happens on the semaphore, outside aiohttp's
    timeouts, so a fan-out of thousands of calls never turns queueing into
    read or total timeouts (the classic PoolTimeout complaint).
    """

    def __init__(
        self, limit: int, keepalive: float, base_url: str, headers: Mapping[str, str]
    ) -> None:
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
        lazy_read_timeouts(connector)
        self.session = aiohttp.ClientSession(
            connector=connector,
            # Bodies are decoded by _body.Decoder, which bounds the decoded size.
            auto_decompress=False,
            raise_for_status=False,
            cookie_jar=aiohttp.DummyCookieJar(),
            # The client's own headers, sent by the session itself: each request
            # adds only its few own (see PreparedRequest.call_headers).
            headers=headers,
        )
        disable_hidden_resend(self.session)
        self.slots = Slots(limit)
        # Parsed once: paths are built from percent-encoded segments (never a ``?`` or
        # ``#``), so each request URL is the base with its path replaced, without
        # yarl's parse or quote pass (see :meth:`url`).
        self._base = yarl.URL(base_url)
        self._prefix = self._base.raw_path.rstrip("/")
        self.errors = (aiohttp.ClientError, OSError)

    def url(self, path: str) -> yarl.URL:
        """The request URL for ``path`` (already percent-encoded, so not quoted again).

        ``with_path`` builds it from the base's parts: 0.5 us, where parsing the
        joined string took 1.9 (timeit, 5000 distinct paths).
        """
        return self._base.with_path(self._prefix + path, encoded=True)


def disable_hidden_resend(session: aiohttp.ClientSession) -> bool:
    """Turn off aiohttp's silent resend of a request on a dead kept-alive connection.

    aiohttp resends an idempotent request once, unseen, when a kept-alive connection
    turns out dead. Our retry layer does that itself, counted and budgeted, so the
    hidden resend is turned off, as aiohttp's own test client does. aiohttp has no
    public switch: this is one of the two places a private aiohttp attribute is
    written (with :func:`lazy_read_timeouts`), and a test checks it still exists in
    the installed aiohttp. (The attribute came with
    aiohttp 3.11; 3.10 resends with no way to stop it; 3.9 never resends.) Returns
    whether it did.
    """
    if not hasattr(session, "_retry_connection"):
        return False
    session._retry_connection = False
    return True


def lazy_read_timeouts(connector: aiohttp.BaseConnector) -> bool:
    """Give ``connector``'s connections the lazy ``sock_read`` timer of :mod:`._readtimer`.

    Writes the connector's private protocol factory (checked against the installed
    aiohttp by a test); leaves aiohttp's own timer if either changed shape. Returns
    whether it did.
    """
    from aiohttp.client_proto import ResponseHandler

    factory = getattr(connector, "_factory", None)
    if not isinstance(factory, functools.partial) or factory.func is not ResponseHandler:
        return False
    if not has_hooks(ResponseHandler):
        return False
    protocol = _lazy_protocol(ResponseHandler)
    connector._factory = functools.partial(protocol, *factory.args, **factory.keywords)
    return True


_lazy_protocol = functools.cache(lazy_read_timer)


class Transport:
    """Sends single attempts over one pooled aiohttp session per :data:`Pool`."""

    def __init__(
        self, *, base_url: str, api_key: str, limits: Limits, headers: Mapping[str, str]
    ) -> None:
        self._base_url = base_url
        # Every request's defaults: the client's headers, the first attempt's retry
        # count (ours wins over a client header of that name, as per request), then
        # the key (which wins). A retry sends its own count (attempt_headers).
        self._headers = {**headers, RETRY_COUNT_HEADER: "0", "authorization": f"Bearer {api_key}"}
        self._limits = limits
        #: The last Timeout an attempt used and aiohttp's form of it: nearly every
        #: attempt of a client uses the client's own (a lookup by identity, not a hash).
        self._timeouts: tuple[Timeout | None, aiohttp.ClientTimeout | None] = (None, None)
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
            pool = self._pools[name] = _Pool(
                limit, self._limits.keepalive_timeout, self._base_url, self._headers
            )
        return pool

    async def send(
        self,
        request: PreparedRequest,
        timeout: Timeout,
        sink: Sink | None = None,
        *,
        retries: int = 0,
        left: float | None = None,
    ) -> RawResponse:
        """Send one attempt; raise APIConnectionError/APITimeoutError on transport failure.

        ``retries`` (attempts before this one) is sent as ``x-stainless-retry-count``
        unless the request already carries that header. ``left``: seconds the
        enclosing wait has left, which no part of ``timeout`` may exceed.
        """
        pool = self._pools.get(request.pool)
        if pool is None or self._closed or self._loop is not asyncio.get_running_loop():
            pool = self._pool(request.pool)  # the first request, or an error to raise
        slots = pool.slots
        if not slots.try_take():
            wait = timeout.pool if left is None else cap_seconds(timeout.pool, left)
            if wait is None:
                await slots.take()
            else:
                await _acquire_within(slots, wait, request)
        # One coroutine for the whole attempt (a resource call already awaits three).
        started = time.monotonic()
        try:
            # Awaited, not ``async with``: aiohttp's context managers are five more
            # coroutines per request (one of them on the stack while the answer is
            # awaited), and all their exit does is release the response (below).
            response = await pool.session.request(
                request.method,
                pool.url(request.path),
                params=request.query or None,
                # No body is None, even on a POST (see attempt_headers).
                data=request.content if request.has_body else None,
                # The session adds the client's headers, the key and a retry count of
                # 0 (never in a local here: a crash reporter recording frame locals
                # must not find the key).
                headers=attempt_headers(request, retries),
                allow_redirects=False,
                timeout=self._aiohttp_timeout(timeout, left),
            )
            try:
                body = await read_body(response, sink, self._limits.max_response_size, request)
                # Positional: status, headers, body, elapsed (see RawResponse).
                return RawResponse(
                    response.status, response.headers, body, time.monotonic() - started
                )
            finally:  # to the pool if read to its end, else closed (an error, a cancel)
                response.release()
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
        finally:
            slots.release()
        # Raised outside the handlers, so the aiohttp exception is not even kept as a
        # hidden __context__: its traceback's frames hold the sent headers, key included.
        # Dropped from this frame as it leaves: the error's traceback holds the frame,
        # and a frame holding its error is a cycle only the collector frees.
        try:
            raise error
        finally:
            del error

    def _aiohttp_timeout(self, timeout: Timeout, left: float | None) -> aiohttp.ClientTimeout:
        if left is not None:
            return _client_timeout(timeout, left)
        last, built = self._timeouts
        if timeout is not last or built is None:
            built = _whole_timeout(timeout)
            self._timeouts = (timeout, built)
        return built

    async def close(self) -> None:
        """Close every session. Idempotent; must run on the sessions' loop.

        Shielded from cancellation and bounded by :data:`CLOSE_TIMEOUT`: a close
        reached while the caller is being cancelled (a ``move_on_after`` around
        ``async with``, Ctrl-C) still closes every session, so aiohttp never reports
        an unclosed session or connector, and a stuck close cannot hang the exit.
        """
        self._closed = True
        if "anyio._backends._asyncio" not in sys.modules:
            # Without anyio's asyncio backend loaded no anyio cancel scope was ever
            # made on this loop, and a native cancel (task.cancel()) gets through an
            # anyio shield anyway: a plain timeout does the same, without loading
            # that backend into every script that only made calls, or that merely
            # imported anyio (or our blocking client) without using it (its cold
            # start and every process's first close, benchmarks/RESULTS.md).
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(CLOSE_TIMEOUT):
                    await self._close_pools()
            return
        import anyio

        with anyio.CancelScope(shield=True), anyio.move_on_after(CLOSE_TIMEOUT):
            await self._close_pools()

    async def _close_pools(self) -> None:
        while self._pools:
            # Taken one at a time, so a close interrupted by CLOSE_TIMEOUT leaves
            # the sessions it did not reach to a later close().
            _, pool = self._pools.popitem()
            await pool.session.close()
            # Let aiohttp's transports finish closing before the loop may end,
            # so no "unclosed transport" warning fires later.
            await asyncio.sleep(0)


def _client_timeout(timeout: Timeout, left: float | None) -> aiohttp.ClientTimeout:
    """aiohttp's timeouts of one attempt: ``timeout``, each part cut to ``left``."""
    connect, read, total = timeout.connect, timeout.read, timeout.total
    if left is None or (
        connect is not None and read is not None and total is not None
        and max(connect, read, total) <= left
    ):  # fmt: skip
        # Nothing to cut (no wait, or one with more time left than any part): the
        # cached one, not a new ClientTimeout for every request of a wait.
        return _whole_timeout(timeout)
    return _aiohttp_timeout(
        cap_seconds(timeout.connect, left), cap_seconds(timeout.read, left),
        cap_seconds(timeout.total, left),
    )  # fmt: skip


@functools.lru_cache(maxsize=64)
def _whole_timeout(timeout: Timeout) -> aiohttp.ClientTimeout:
    # Built once per distinct Timeout, not once per request.
    return _aiohttp_timeout(timeout.connect, timeout.read, timeout.total)


def _aiohttp_timeout(
    connect: float | None, read: float | None, total: float | None
) -> aiohttp.ClientTimeout:
    import aiohttp

    if read is not None and total is not None and read >= total:
        # The read timer starts after the total one and would never fire first; it
        # would only cost a timer rescheduled on every chunk of every answer.
        read = None
    # ceil_threshold: aiohttp rounds deadlines of 5 s and more up to the next whole
    # second; ours are kept exact (a wait's time left becomes an attempt's total).
    return aiohttp.ClientTimeout(
        total=total, sock_connect=connect, sock_read=read, ceil_threshold=math.inf
    )


async def _acquire_within(slots: Slots, seconds: float, request: PreparedRequest) -> None:
    try:
        await asyncio.wait_for(slots.take(), seconds)
    except TimeoutError:
        raise APITimeoutError(
            f"no free connection within {seconds} s (pool timeout)",
            method=request.method,
            path=request.path,
        ) from None


def _safe_reason(exc: BaseException) -> str:
    # aiohttp messages name host and port, never headers; keep them short anyway.
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 300 else text[:300] + "..."
