"""``AsyncRunloop``: the async client."""

from __future__ import annotations

import functools
import logging
import os
import warnings
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

import attrs

from ._config import NOT_GIVEN, Limits, NotGiven, RetryConfig, Timeout, TimeoutLike
from ._copy import copy_transport
from ._core import Core
from ._exceptions import ConfigurationError, InvalidArgumentError
from ._http import Transport
from ._request import (
    DEFAULT_BASE_URL,
    check_api_key,
    default_headers,
    is_insecure_remote,
    normalize_base_url,
)
from ._resources.scenarios import AsyncScenarios
from ._retry import RetryBudget
from ._validate import check_header_map

if TYPE_CHECKING:
    from ._resources.benchmark_jobs import AsyncBenchmarkJobs
    from ._resources.benchmark_runs import AsyncBenchmarkRuns
    from ._resources.benchmarks import AsyncBenchmarks
    from ._resources.devboxes import AsyncDevboxes

__all__ = [
    "AsyncRunloop",
    "InsecureTransportWarning",
    "log_level_from_env",
    "parse_custom_headers",
    "setup_logging_from_env",
    "default_headers_for",
]

T = TypeVar("T")

_MISSING_KEY = (
    "No API key: pass bearer_token=... to the client, "
    "or set the RUNLOOP_API_KEY environment variable."
)


class InsecureTransportWarning(UserWarning):
    """The base URL is plain http to a non-loopback host: the API key travels unencrypted."""


def parse_custom_headers(text: str | None) -> dict[str, str]:
    """Parse ``RUNLOOP_CUSTOM_HEADERS``: one ``Name: value`` per line; others skipped."""
    headers: dict[str, str] = {}
    for line in (text or "").splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip():
            headers[name.strip().lower()] = value.strip()
    return headers


_LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_LOG_FORMAT = "[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s] %(message)s"


def log_level_from_env(value: str | None) -> int | None:
    """The level ``RUNLOOP_LOG`` asks for (``info`` or ``debug``), else ``None``."""
    return _LOG_LEVELS.get((value or "").strip().lower())


@functools.cache
def _warn_unknown_log_level(value: str) -> None:
    # Once per value: every client construction reads the variable.
    warnings.warn(
        f"RUNLOOP_LOG={value!r} is not a log level runloop_async knows; use 'info' or "
        "'debug' (ignored)",
        RuntimeWarning,
        stacklevel=4,
    )


def setup_logging_from_env() -> None:
    """Honour ``RUNLOOP_LOG=info|debug`` as the official SDK does.

    Sets the ``runloop_async`` logger's level and, if it has no handler yet, gives it
    one that writes to stderr. Idempotent; does nothing when the variable is unset.
    """
    value = os.environ.get("RUNLOOP_LOG")
    level = log_level_from_env(value)
    if level is None:
        if value and value.strip():
            _warn_unknown_log_level(value)
        return
    logger = logging.getLogger("runloop_async")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(_LOG_FORMAT))
        logger.addHandler(handler)
    logger.setLevel(level)


class AsyncRunloop:
    """The async Runloop evaluation API client.

    Use it as ``async with AsyncRunloop() as client:``, or call :meth:`close` when done.
    The HTTP session is created on first use inside the running event loop and is
    bound to it; one client serves any number of concurrent tasks on that loop.

    Args:
        bearer_token: The API key. Default: the ``RUNLOOP_API_KEY`` environment variable.
        base_url: Default: ``RUNLOOP_BASE_URL``, else ``https://api.runloop.ai``.
        timeout: Per-attempt :class:`Timeout`, seconds, or an ``httpx.Timeout``-like
            object. Default ``Timeout()`` (connect 5 s, read 30 s, total 120 s, no
            pool limit).
        max_retries: Retries per call. Default 5. Shortcut for
            ``retry=RetryConfig(max_retries=...)``.
        retry: Full :class:`RetryConfig` (backoff, ``Retry-After`` cap, budget).
        limits: :class:`Limits` (connection pools, answer size). Default 100 + 100
            connections for long-polls, answers up to 64 MiB.
        default_headers: Extra headers on every request (after ``RUNLOOP_CUSTOM_HEADERS``).

    ``RUNLOOP_LOG=info`` or ``debug`` in the environment turns on the package's logging
    (to stderr, unless the ``runloop_async`` logger already has a handler).

    Raises:
        ConfigurationError: no API key, a key that is not a str or has a control
            character inside (surrounding whitespace, such as a pasted newline, is
            stripped), or a bad base URL: empty, not http(s), an invalid port, or
            with a user name or password in it (never echoed).
        InvalidArgumentError: a bad ``timeout``, ``max_retries`` (``-1``, ``"3"``),
            ``retry``, ``limits`` or ``default_headers`` (values must be str).

    Warns:
        InsecureTransportWarning: ``base_url`` is ``http://`` to a non-loopback host.
    """

    def __init__(
        self,
        bearer_token: str | None = None,
        base_url: str | None = None,
        *,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        retry: RetryConfig | None = None,
        limits: Limits | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        setup_logging_from_env()
        key = bearer_token if bearer_token is not None else os.environ.get("RUNLOOP_API_KEY")
        key = check_api_key(key) if key is not None else None
        if not key:
            raise ConfigurationError(_MISSING_KEY)
        if base_url is None:
            # An empty variable counts as unset, as shells leave them; an empty
            # base_url= argument is an error, never a silent switch to production.
            base_url = os.environ.get("RUNLOOP_BASE_URL") or DEFAULT_BASE_URL
        url = normalize_base_url(base_url)
        if is_insecure_remote(url):
            warnings.warn(
                f"base_url {url!r} is plain http to a remote host; the API key is sent unencrypted",
                InsecureTransportWarning,
                stacklevel=2,
            )
        retry = _instance(retry, RetryConfig, "retry") or RetryConfig()
        if not isinstance(max_retries, NotGiven):
            retry = attrs.evolve(retry, max_retries=max_retries)
        limits = _instance(limits, Limits, "limits") or Limits()
        headers = default_headers_for(default_headers)
        self._core = Core(
            transport=Transport(base_url=url, api_key=key, limits=limits, headers=headers),
            retry=retry,
            timeout=Timeout() if isinstance(timeout, NotGiven) else Timeout.coerce(timeout),
            headers=headers,
            budget=RetryBudget(capacity=retry.budget) if retry.budget else None,
        )
        self._base_url = url
        self._bind()

    def _bind(self) -> None:
        core = self._core
        self.scenarios = AsyncScenarios(core)

    # The other resources are built on first use: their modules bring model classes
    # (attrs compiles each as it is defined) that a script reading scenario runs
    # never needs. with_options copies build their own.

    @functools.cached_property
    def benchmarks(self) -> AsyncBenchmarks:
        """Benchmarks: :class:`AsyncBenchmarks`."""
        from ._resources.benchmarks import AsyncBenchmarks

        return AsyncBenchmarks(self._core)

    @functools.cached_property
    def benchmark_runs(self) -> AsyncBenchmarkRuns:
        """Benchmark runs: :class:`AsyncBenchmarkRuns`."""
        from ._resources.benchmark_runs import AsyncBenchmarkRuns

        return AsyncBenchmarkRuns(self._core)

    @functools.cached_property
    def devboxes(self) -> AsyncDevboxes:
        """Devboxes (readiness only): :class:`AsyncDevboxes`."""
        from ._resources.devboxes import AsyncDevboxes

        return AsyncDevboxes(self._core)

    @functools.cached_property
    def benchmark_jobs(self) -> AsyncBenchmarkJobs:
        """Benchmark jobs [Beta]: :class:`AsyncBenchmarkJobs`."""
        from ._resources.benchmark_jobs import AsyncBenchmarkJobs

        return AsyncBenchmarkJobs(self._core)

    @property
    def base_url(self) -> str:
        """The API base URL in use (no trailing slash)."""
        return self._base_url

    @property
    def is_closed(self) -> bool:
        """Whether :meth:`close` was called on this client (for a ``with_options`` copy:
        on the copy or on the client it was made from)."""
        return self._core.transport.closed

    def with_options(
        self,
        *,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> AsyncRunloop:
        """A copy with other defaults that shares this client's connections and budget.

        Cheap (no new session). The copy does not own the connections: closing it
        only refuses further calls through the copy; the original keeps working.
        Closing the original closes every copy too.
        """
        core = attrs.evolve(self._core, transport=copy_transport(self._core.transport))
        if not isinstance(max_retries, NotGiven):
            core = attrs.evolve(core, retry=attrs.evolve(core.retry, max_retries=max_retries))
        if not isinstance(timeout, NotGiven):
            core = attrs.evolve(core, timeout=Timeout.coerce(timeout))
        clone = object.__new__(AsyncRunloop)
        clone._core, clone._base_url = core, self._base_url
        clone._bind()
        return clone

    async def close(self) -> None:
        """Close the HTTP sessions. Idempotent; call it on the loop that used the client.

        Shielded from cancellation and bounded (5 s): leaving ``async with`` because
        the task is being cancelled still closes every connection, with no
        "Unclosed client session" warning. On a ``with_options`` copy, only the copy
        is closed (see :meth:`with_options`).
        """
        await self._core.transport.close()

    async def __aenter__(self) -> AsyncRunloop:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        return f"AsyncRunloop(base_url={self._base_url!r})"


def default_headers_for(extra: Mapping[str, str] | None) -> dict[str, str]:
    """Default headers, then ``RUNLOOP_CUSTOM_HEADERS``, then ``extra`` (later wins).

    Raises:
        InvalidArgumentError: ``extra`` is not a mapping of str to str.
    """
    headers = default_headers()
    headers.update(parse_custom_headers(os.environ.get("RUNLOOP_CUSTOM_HEADERS")))
    if extra is not None:
        headers.update(check_header_map(extra, "default_headers"))
    headers.pop("authorization", None)
    return headers


def _instance(value: T | None, cls: type[T], name: str) -> T | None:
    if value is not None and not isinstance(value, cls):
        raise InvalidArgumentError(
            f"{name} must be a runloop_async.{cls.__name__} or None, got {type(value).__name__}"
        )
    return value
