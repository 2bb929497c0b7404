"""One logical API call: attempts, retries, error mapping and decoding.

The transport sends attempts; the pure functions in :mod:`._retry` decide whether and
when to try again; this module glues them and turns answers into models or errors.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any, TypeVar

import attrs

from ._collector import PAUSE_GC_FROM_BYTES, loads_paused
from ._config import RequestOptions, RetryConfig, Timeout
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    InvalidArgumentError,
    status_error_class,
)
from ._http import RawResponse, Sink, Transport
from ._jsonlib import JSONDecodeError, dumps, loads
from ._request import (
    IDEMPOTENCY_HEADER,
    Pool,
    PreparedRequest,
    base_url_hint,
    encode_query,
    new_idempotency_key,
)
from ._retry import RetryBudget, retry_delay, should_retry_status
from ._scope import scoped_timeout, time_left
from ._validate import check_header_map, check_idempotency_key, unencodable_path

__all__ = ["Core", "status_error"]

T = TypeVar("T")
log = logging.getLogger("runloop_async")
_JSON = "application/json"


class _Garbled(Exception):
    """A 2xx answer whose body could not be decoded (truncated or not JSON)."""


@attrs.frozen(kw_only=True)
class Core:
    """Settings shared by every call of one client, plus the call loop itself.

    ``with_options`` makes a copy that shares the transport and the retry budget, so
    per-call option sets cost nothing and never open new connections.
    """

    transport: Transport
    retry: RetryConfig
    timeout: Timeout
    headers: Mapping[str, str]
    budget: RetryBudget | None

    async def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None = None,
        body: Mapping[str, object] | None = None,
        options: RequestOptions | None = None,
        pool: Pool = "api",
        idempotency_key: str | None = None,
        accept: str = "application/json",
        sink: Sink | None = None,
        on_retry: Callable[[], Awaitable[None]] | None = None,
        final_statuses: frozenset[int] = frozenset(),
        model: type[Any] | None = None,
    ) -> Any:
        """Run one call with retries; return the decoded JSON (or raw bytes for non-JSON).

        ``on_retry`` runs before each retry (a streaming download rewinds its file).
        ``model``: structure the JSON answer into it (see :meth:`request_model`).
        ``final_statuses`` are never retried (a long-poll's 408 means "not yet", which
        its caller decides about). Inside a wait (see :mod:`._scope`), every attempt
        and every backoff sleep ends by the wait's deadline.
        """
        opts: RequestOptions = options or {}
        prepared = self._prepare(method, path, query, body, opts, pool, idempotency_key, accept)
        retry = self.retry
        if "max_retries" in opts:
            retry = _with_max_retries(retry, opts["max_retries"])
        # The call's own timeout=, else the enclosing wait's, else the client's.
        if "timeout" in opts:
            timeout = Timeout.coerce(opts["timeout"])
        else:
            timeout = scoped_timeout() or self.timeout
        expect_json = accept == "application/json" and sink is None
        retries = 0
        while True:
            try:
                left = time_left()
                if left is not None and left <= 0:
                    raise _deadline_error(prepared)
                raw = await self.transport.send(prepared, timeout, sink, retries=retries, left=left)
                if raw.status >= 300:
                    raise status_error(prepared, raw, self.transport.base_url)
                data: Any = raw.body
                if expect_json:  # decoded here, not in a helper: every answer does this
                    try:
                        if len(data) < PAUSE_GC_FROM_BYTES:
                            data = loads(data) if data else None
                        else:
                            data = loads_paused(data)
                    except JSONDecodeError as exc:
                        raise _Garbled(
                            f"undecodable JSON body ({len(data)} bytes): {exc}"
                        ) from None
            except (APIConnectionError, APIStatusError, _Garbled) as exc:
                delay = self._retry_after(exc, retries, retry, final_statuses)
                if delay is None:
                    raise _final(exc, prepared) from None
                log.info(
                    "retrying %s %s in %.2fs after %s (retry %d)",
                    prepared.method, prepared.path, delay, _describe(exc), retries + 1,
                )  # fmt: skip
                await asyncio.sleep(delay)
                if _deadline_passed():
                    # The wait's deadline passed during the backoff: report the real
                    # failure, not a timeout of an attempt never made. (Checked here,
                    # where ``exc`` is dropped with the block: a failure kept in a
                    # local past its retry would tie its traceback, this frame, the
                    # request and the answer in a cycle only the collector frees.)
                    raise _final(exc, prepared) from None
                if on_retry is not None:
                    await on_retry()
                retries += 1
                continue
            if self.budget is not None:
                self.budget.refund()
            _log_answer(prepared, raw)
            return data if model is None else _structure(data, model, method, path)

    def _retry_after(
        self, exc: Exception, retries: int, retry: RetryConfig, final_statuses: frozenset[int]
    ) -> float | None:
        if isinstance(exc, APIStatusError):
            if exc.status_code in final_statuses:
                return None
            if not should_retry_status(exc.status_code, exc.headers):
                return None
            delay = retry_delay(retries, retry, exc.headers)
        else:
            delay = retry_delay(retries, retry)
        left = time_left()
        if delay is None or (left is not None and delay >= left):
            # Out of retries, or the enclosing wait's deadline comes before the retry.
            return None
        if self.budget is not None and not self.budget.acquire(
            timeout=isinstance(exc, APITimeoutError)
        ):
            log.warning("retry budget exhausted; not retrying %s", _describe(exc))
            return None
        return delay

    def _prepare(
        self,
        method: str,
        path: str,
        query: Mapping[str, object] | None,
        body: Mapping[str, object] | None,
        opts: RequestOptions,
        pool: Pool,
        idempotency_key: str | None,
        accept: str,
    ) -> PreparedRequest:
        # Only what differs from the client's defaults (the session sends those).
        defaults = self.headers
        own: dict[str, str] = {} if defaults.get("accept") == accept else {"accept": accept}
        if method != "GET" and defaults.get("content-type") != _JSON:
            own["content-type"] = _JSON
        if opts:
            extra_body = opts.get("extra_body")
            extra_headers = opts.get("extra_headers")
            extra_query = opts.get("extra_query")
            if extra_headers:
                own.update(check_header_map(extra_headers, "extra_headers"))
                # The transport's key always wins, as it did when it was added last.
                own.pop("authorization", None)
        else:  # most calls: no per-call options, nothing to look up
            extra_body = extra_query = None
        key = None
        if method != "GET":
            if idempotency_key is not None:
                key = check_idempotency_key(idempotency_key)
            key = (
                key
                or own.get(IDEMPOTENCY_HEADER)
                or defaults.get(IDEMPOTENCY_HEADER)
                or new_idempotency_key()
            )
            own[IDEMPOTENCY_HEADER] = key
        if body is None and not extra_body:
            json_body = None
        else:
            json_body = {**(body or {}), **(extra_body or {})}
        # Positional, in field order (keywords would cost a dict: see PreparedRequest).
        return PreparedRequest(
            method,
            path,
            encode_query(query, extra_query) if query or extra_query else [],
            defaults,
            own,
            json_body,
            json_body is not None,
            None if json_body is None else _encode(json_body, method, path),
            pool,
            key,
        )

    def request_model(
        self,
        cls: type[T],
        method: str,
        path: str,
        **kwargs: Any,
    ) -> Coroutine[Any, Any, T]:
        """Like :meth:`request`, then structure the JSON answer into ``cls``.

        Returns :meth:`request`'s own coroutine (to await): no coroutine of its own
        between every resource call and the transport.
        """
        return self.request(method, path, model=cls, **kwargs)

    @staticmethod
    def structure(data: Any, cls: type[T], *, method: str, path: str) -> T:
        """Structure decoded JSON into ``cls``, naming the call in validation errors."""
        return _structure(data, cls, method, path)


def _structure(data: Any, cls: type[T], method: str, path: str) -> T:
    run = _STRUCTURERS.get(cls) or _structurer(cls)
    try:
        return run(data)  # type: ignore[no-any-return]
    except APIResponseValidationError as exc:
        exc.method, exc.path, exc.status_code = method, path, exc.status_code or 200
        raise


#: Each model's structure function (see _converter.structurer), by model: one dict
#: lookup per answer.
_STRUCTURERS: dict[Any, Callable[[Any], Any]] = {}


def _structurer(cls: Any) -> Callable[[Any], Any]:
    # Imported on first use, not with the package: cattrs is a heavy import that
    # building a request or printing --help never needs (benchmarks/RESULTS.md).
    from ._converter import structurer

    run = _STRUCTURERS[cls] = structurer(cls)
    return run


@functools.lru_cache(maxsize=64)
def _with_max_retries(retry: RetryConfig, max_retries: int) -> RetryConfig:
    # Once per setting, not once per call: every long-poll of a wait asks for 0.
    return attrs.evolve(retry, max_retries=max_retries)


def _deadline_passed() -> bool:
    left = time_left()
    return left is not None and left <= 0


def _deadline_error(request: PreparedRequest) -> APITimeoutError:
    """The error of an attempt the enclosing wait has no time left for."""
    return APITimeoutError(
        "the wait's deadline passed before this attempt", method=request.method,
        path=request.path, request_id=request.idempotency_key,
    )  # fmt: skip


def _encode(json_body: Any, method: str, path: str) -> bytes:
    # Encoded once here, before any request: a value JSON cannot hold is the
    # caller's mistake (InvalidArgumentError), not a transport failure mid-call.
    try:
        return dumps(json_body)
    except (TypeError, ValueError, OverflowError, RecursionError) as exc:
        where = unencodable_path(json_body) or "$"
        raise InvalidArgumentError(
            f"the request body of {method} {path} cannot be sent as JSON: the value at "
            f"{where} is not JSON-serialisable ({type(exc).__name__})"
        ) from None


def status_error(request: PreparedRequest, raw: RawResponse, base_url: str = "") -> APIStatusError:
    """Build the typed error for a non-2xx answer (pure).

    ``base_url`` lets the message explain a 404 that the base URL caused.
    """
    body: object
    try:
        body = loads(raw.body) if raw.body else None
    except JSONDecodeError:
        body = raw.body.decode("utf-8", "replace")[:2000]
    cls = status_error_class(raw.status)
    return cls(
        f"Error code: {raw.status} - {_server_message(body)}{base_url_hint(base_url, raw.status)}",
        status_code=raw.status,
        method=request.method,
        path=request.path,
        request_id=raw.headers.get("x-request-id") or request.idempotency_key,
        body=body,
        headers={name.lower(): value for name, value in raw.headers.items()},
    )


def _server_message(body: object) -> str:
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return str(error["message"])
        if isinstance(body.get("message"), str):
            return str(body["message"])
    text = str(body) if body is not None else "(empty body)"
    return text if len(text) <= 500 else text[:500] + "..."


def _final(exc: Exception, request: PreparedRequest) -> Exception:
    if isinstance(exc, _Garbled):
        return APIResponseValidationError(
            f"the response body is not valid JSON: {exc}",
            json_path="$",
            method=request.method,
            path=request.path,
            request_id=request.idempotency_key,
        )
    if isinstance(exc, APIConnectionError) and exc.request_id is None:
        exc.request_id = request.idempotency_key
    return exc


def _describe(exc: Exception) -> str:
    if isinstance(exc, APIStatusError):
        return f"status {exc.status_code}"
    return type(exc).__name__


def _log_answer(request: PreparedRequest, raw: RawResponse) -> None:
    if log.isEnabledFor(logging.DEBUG):
        log.debug(
            "%s %s -> %d in %.1f ms (request id %s)",
            request.method, request.path, raw.status, raw.elapsed * 1000,
            raw.headers.get("x-request-id") or request.idempotency_key,
        )  # fmt: skip
