"""runloop-async: the async-first SDK for Runloop's evaluation API.

Everything public is importable from here; the underscored modules are private.
Start with :class:`AsyncRunloop` (async) or :class:`Runloop` (blocking).
"""

from __future__ import annotations

import importlib
import typing

from ._client import AsyncRunloop, InsecureTransportWarning
from ._config import (
    NOT_GIVEN,
    Limits,
    NotGiven,
    PollingConfig,
    RequestOptions,
    RetryConfig,
    Timeout,
    WaitOptions,
)
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConfigurationError,
    ConflictError,
    DevboxFailedError,
    InternalServerError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    RunCanceledError,
    RunloopError,
    ScoringFailedError,
    UnexpectedStateError,
    UnprocessableEntityError,
    WaitError,
    WaitTimeoutError,
)
from ._models import *  # noqa: F403 - the models' own __all__ is the list
from ._models import __all__ as _models_all
from ._pager import AsyncPager, Page
from ._resources.managed import AsyncManagedRun
from ._resources.runs import LogsArchive
from ._retry import RetryBudget
from ._sync import ManagedRun, Runloop, SyncPager
from ._version import __version__

if typing.TYPE_CHECKING:
    # Static tools (type checkers, griffe/mkdocstrings) see these names here; at
    # run time they are imported on first use, by __getattr__ below.
    from ._runner import (
        AgentContext,
        BenchmarkResult,
        BenchmarkRunner,
        EventKind,
        Outcome,
        ResumePlan,
        RunnerEvent,
        RunnerProgress,
        ScenarioResult,
        Totals,
        parse_shard,
        plan_resume,
        run_benchmark,
        run_benchmark_sync,
        select_shard,
    )

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncManagedRun",
    "AsyncPager",
    "AsyncRunloop",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "DevboxFailedError",
    "InsecureTransportWarning",
    "InternalServerError",
    "InvalidArgumentError",
    "Limits",
    "LogsArchive",
    "ManagedRun",
    "NotFoundError",
    "NotGiven",
    "Page",
    "PermissionDeniedError",
    "PollingConfig",
    "RateLimitError",
    "RequestOptions",
    "ResponseTooLargeError",
    "RetryBudget",
    "RetryConfig",
    "RunCanceledError",
    "Runloop",
    "RunloopError",
    "ScoringFailedError",
    "SyncPager",
    "Timeout",
    "UnexpectedStateError",
    "UnprocessableEntityError",
    "WaitError",
    "WaitOptions",
    "WaitTimeoutError",
    "__version__",
    # the benchmark runner
    "AgentContext",
    "BenchmarkResult",
    "BenchmarkRunner",
    "EventKind",
    "Outcome",
    "ResumePlan",
    "RunnerEvent",
    "RunnerProgress",
    "ScenarioResult",
    "Totals",
    "parse_shard",
    "plan_resume",
    "run_benchmark",
    "run_benchmark_sync",
    "select_shard",
    *_models_all,
]

#: Public names whose module loads on first use: the benchmark runner brings anyio's
#: streams and task groups (about 20 ms of ``import runloop_async``), which a script
#: that only calls the API never needs.
_LAZY: dict[str, str] = dict.fromkeys(
    (
        "AgentContext", "BenchmarkResult", "BenchmarkRunner", "EventKind", "Outcome",
        "ResumePlan", "RunnerEvent", "RunnerProgress", "ScenarioResult", "Totals",
        "parse_shard", "plan_resume", "run_benchmark", "run_benchmark_sync", "select_shard",
    ),
    "._runner",
)  # fmt: skip


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
