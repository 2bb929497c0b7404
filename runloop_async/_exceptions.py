"""Every error runloop-async raises.

All of them derive from :class:`RunloopError`, so ``except RunloopError`` catches
anything this package raises on purpose. No aiohttp or cattrs exception reaches the
caller: transport failures become :class:`APIConnectionError`, undecodable responses
become :class:`APIResponseValidationError`.

The class names match the official ``runloop-api-client`` 1.x so ``except`` clauses
port unchanged::

    RunloopError
    ├── ConfigurationError            bad client setup (no API key, bad base URL); also ValueError
    ├── InvalidArgumentError          a bad argument, found before any request; also ValueError
    ├── ClientClosedError             the client was closed, or is used from a foreign loop
    ├── RunOwnershipError             a benchmark runner found runs another live runner holds
    ├── NoNextPageError               get_next_page() on the last page; also RuntimeError
    ├── APIError                      anything that involved a request (.method, .path, .request_id)
    │   ├── APIStatusError            a 4xx/5xx answer (.status_code, .body, .headers)
    │   │   ├── BadRequestError            400
    │   │   ├── AuthenticationError        401
    │   │   ├── PermissionDeniedError      403
    │   │   ├── NotFoundError              404
    │   │   ├── ConflictError              409
    │   │   ├── UnprocessableEntityError   422
    │   │   ├── RateLimitError             429
    │   │   └── InternalServerError        >= 500
    │   │   (any other status raises APIStatusError itself)
    │   ├── APIConnectionError        no usable answer: refused, reset, dropped, truncated
    │   │   └── APITimeoutError       connect, read or total timeout
    │   ├── APIResponseValidationError  the answer did not fit the model (.json_path)
    │   └── ResponseTooLargeError     the answer outgrew Limits.max_response_size (.limit)
    └── WaitError                     a wait ended without the wanted state (.last)
        ├── WaitTimeoutError          the wait's own deadline passed (alias: PollingTimeout)
        └── UnexpectedStateError      a terminal state other than the wanted one
            ├── ScoringFailedError    a scenario run ended failed/timeout instead of scored
            ├── RunCanceledError      a scenario or benchmark run was canceled
            └── DevboxFailedError     a devbox reached failure/shutdown instead of running

No message, ``repr`` or attribute of these errors ever contains the API key: the
request headers are not kept, and bodies are the server's answers, not requests.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "DevboxFailedError",
    "InternalServerError",
    "InvalidArgumentError",
    "NoNextPageError",
    "NotFoundError",
    "PermissionDeniedError",
    "PollingTimeout",
    "RateLimitError",
    "ResponseTooLargeError",
    "RunCanceledError",
    "RunOwnershipError",
    "RunloopError",
    "ScoringFailedError",
    "UnexpectedStateError",
    "UnprocessableEntityError",
    "WaitError",
    "WaitTimeoutError",
    "status_error_class",
]


class RunloopError(Exception):
    """Root of every error raised by runloop-async."""


class ConfigurationError(RunloopError, ValueError):
    """The client cannot be built as asked (for example, no API key was found)."""


class InvalidArgumentError(RunloopError, ValueError):
    """An argument was rejected before any request was sent (empty id, bad limit, ...)."""


class ClientClosedError(RunloopError, RuntimeError):
    """The client is closed, or was used from an event loop other than its session's."""


class RunOwnershipError(RunloopError):
    """A benchmark runner found scenario runs held by another live runner.

    Raised before the runner starts anything, so two runners never drive (or
    cancel) the same runs. Pass ``takeover=True`` (``--takeover``) when the other
    runner is known to be gone.

    Attributes:
        runs: The scenario runs (views) held by the other runner(s).
    """

    def __init__(self, message: str, *, runs: list[Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.runs = list(runs or [])


class NoNextPageError(RunloopError, RuntimeError):
    """``get_next_page()`` was called on the last page (check ``has_next_page()``).

    Also a ``RuntimeError``, which the official SDK raises in this case.
    """


class APIError(RunloopError):
    """A request failed.

    Attributes:
        message: Human-readable description.
        method: HTTP method of the failed request (``"GET"``, ``"POST"``).
        path: Request path, without query string (``/v1/scenarios/runs/run_1``).
        request_id: The server's request id (``x-request-id`` response header) when it
            sent one, else the idempotency key we sent, else ``None``.
        body: The parsed JSON body, the raw text when it was not JSON, or ``None``.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        path: str | None = None,
        request_id: str | None = None,
        body: object = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.path = path
        self.request_id = request_id
        self.body = body

    def __str__(self) -> str:
        where = f"{self.method} {self.path}" if self.method and self.path else None
        parts = [self.message]
        if where:
            parts.append(f"[{where}]")
        if self.request_id:
            parts.append(f"(request id {self.request_id})")
        return " ".join(parts)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class APIStatusError(APIError):
    """The server answered with a 4xx or 5xx status.

    Attributes:
        status_code: The HTTP status.
        headers: The response headers (a plain dict, names lower-cased).
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        method: str | None = None,
        path: str | None = None,
        request_id: str | None = None,
        body: object = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message, method=method, path=path, request_id=request_id, body=body)
        self.status_code = status_code
        self.headers: dict[str, str] = dict(headers or {})


class BadRequestError(APIStatusError):
    """HTTP 400: the request was malformed or not allowed in the current state."""


class AuthenticationError(APIStatusError):
    """HTTP 401: the API key is missing or wrong."""


class PermissionDeniedError(APIStatusError):
    """HTTP 403: the API key may not do this."""


class NotFoundError(APIStatusError):
    """HTTP 404: no such object."""


class ConflictError(APIStatusError):
    """HTTP 409: the request conflicts with the object's state (retried by default)."""


class UnprocessableEntityError(APIStatusError):
    """HTTP 422: the body was understood but its values are invalid."""


class RateLimitError(APIStatusError):
    """HTTP 429: too many requests (retried by default, honouring ``Retry-After``)."""


class InternalServerError(APIStatusError):
    """HTTP 5xx: the server failed (retried by default)."""


class APIConnectionError(APIError):
    """No usable response: connection refused, reset or dropped, or a truncated body."""


class APITimeoutError(APIConnectionError):
    """The request hit its connect, read or total timeout."""


class APIResponseValidationError(APIError):
    """The response did not match the expected model.

    Attributes:
        json_path: Where in the body the bad value sits, e.g. ``$.runs[3].state``.
        status_code: The HTTP status of the response.
    """

    def __init__(
        self,
        message: str,
        *,
        json_path: str,
        status_code: int | None = None,
        method: str | None = None,
        path: str | None = None,
        request_id: str | None = None,
        body: object = None,
    ) -> None:
        super().__init__(message, method=method, path=path, request_id=request_id, body=body)
        self.json_path = json_path
        self.status_code = status_code


class ResponseTooLargeError(APIError):
    """The answer's body, once decoded, is larger than ``Limits.max_response_size``.

    Reading stopped at the limit (compressed bodies are counted after
    decompression), so memory stayed bounded. Not retried: the same request would
    get the same answer. Raise the limit with ``Limits(max_response_size=...)``, or
    ask for less (a smaller page ``limit``).

    Attributes:
        status_code: The HTTP status of the answer.
        limit: The limit in bytes that was exceeded.
    """

    def __init__(
        self,
        message: str,
        *,
        limit: int,
        status_code: int | None = None,
        method: str | None = None,
        path: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, method=method, path=path, request_id=request_id)
        self.limit = limit
        self.status_code = status_code


class WaitError(RunloopError):
    """A wait ended without reaching the wanted state.

    Attributes:
        last: The last view retrieved before giving up (a model, or ``None`` if nothing
            was retrieved).
    """

    def __init__(self, message: str, *, last: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.last = last

    @property
    def last_value(self) -> Any:
        """Same as :attr:`last` (the official ``PollingTimeout.last_value``)."""
        return self.last


class WaitTimeoutError(WaitError):
    """The wait's deadline passed first (``.last`` holds the last view seen).

    ``PollingTimeout`` is the same class under the official SDK's name, so ported
    ``except PollingTimeout:`` clauses catch the waits' timeouts.
    """


#: The official SDK's name (``runloop_api_client.lib.polling.PollingTimeout``) for
#: :class:`WaitTimeoutError`; ``.last_value`` holds the last view, as there.
PollingTimeout = WaitTimeoutError


class UnexpectedStateError(WaitError):
    """The object reached a terminal state other than the one waited for."""


class ScoringFailedError(UnexpectedStateError):
    """A scenario run ended ``failed`` or ``timeout`` instead of ``scored``."""


class RunCanceledError(UnexpectedStateError):
    """A scenario run or benchmark run was canceled while being waited on."""


class DevboxFailedError(UnexpectedStateError):
    """A devbox reached ``failure`` or ``shutdown`` instead of ``running``."""


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    """Return the error class for an HTTP error status (pure; table above)."""
    if status >= 500:
        return InternalServerError
    return _STATUS_CLASSES.get(status, APIStatusError)
