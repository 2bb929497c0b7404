"""runloop-async: the async-first SDK for Runloop's evaluation API.

Everything public is importable from here; the underscored modules are private.
Start with :class:`AsyncRunloop` (async) or :class:`Runloop` (blocking).
"""

from __future__ import annotations

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
    NoNextPageError,
    NotFoundError,
    PermissionDeniedError,
    PollingTimeout,
    RateLimitError,
    ResponseTooLargeError,
    RunCanceledError,
    RunloopError,
    RunOwnershipError,
    ScoringFailedError,
    UnexpectedStateError,
    UnprocessableEntityError,
    WaitError,
    WaitTimeoutError,
)
from ._lazy import lazy_attributes as _lazy_attributes
from ._models import __all__ as _models_all
from ._resources.runs import AsyncRuns
from ._resources.scenarios import AsyncScenarios
from ._resources.scorers import AsyncScorers
from ._retry import RetryBudget
from ._version import __version__

if typing.TYPE_CHECKING:
    # Static tools (type checkers, griffe/mkdocstrings) see these names here; at
    # run time they are imported on first use, by __getattr__ below.
    from ._eval import (
        Comparison,
        Metrics,
        ScenarioChange,
        ScenarioMetrics,
        bootstrap_ci,
        compare_results,
        compute_metrics,
        pass_at_k,
        pass_hat_k,
        render_summary,
        sign_test,
    )
    from ._models import *  # noqa: F403 - the models' own __all__ is the list
    from ._models._benchmark_jobs import *  # noqa: F403 - for griffe (lazy in _models)
    from ._models._benchmarks import *  # noqa: F403
    from ._models._common import *  # noqa: F403
    from ._models._devboxes import *  # noqa: F403
    from ._models._scenarios import *  # noqa: F403
    from ._models._scorers import *  # noqa: F403
    from ._models._scoring import *  # noqa: F403
    from ._pager import AsyncPager, BasePage, Page, PageInfo
    from ._resources.benchmark_jobs import AsyncBenchmarkJobs
    from ._resources.benchmark_runs import AsyncBenchmarkRuns
    from ._resources.benchmarks import AsyncBenchmarks
    from ._resources.devboxes import AsyncDevboxes
    from ._resources.managed import AsyncManagedRun
    from ._response import APIResponse, AsyncAPIResponse, BaseAPIResponse, Headers, RawRequest
    from ._runner import (
        AgentContext,
        BenchmarkResult,
        BenchmarkRunner,
        EventKind,
        Outcome,
        ResumePlan,
        RunnerEvent,
        RunnerOptions,
        RunnerProgress,
        ScenarioResult,
        Totals,
        parse_shard,
        plan_resume,
        run_benchmark,
        run_benchmark_sync,
        select_shard,
    )
    from ._steps import Backoff
    from ._sync import (
        BenchmarkJobs,
        BenchmarkRuns,
        Benchmarks,
        Devboxes,
        ManagedRun,
        Runloop,
        Runs,
        Scenarios,
        Scorers,
        SyncPage,
    )

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncAPIResponse",
    "AsyncManagedRun",
    "AsyncPager",
    "AsyncRunloop",
    "AuthenticationError",
    "Backoff",
    "BadRequestError",
    "BaseAPIResponse",
    "BasePage",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "DevboxFailedError",
    "Headers",
    "InsecureTransportWarning",
    "InternalServerError",
    "InvalidArgumentError",
    "Limits",
    "ManagedRun",
    "NoNextPageError",
    "NotFoundError",
    "NotGiven",
    "Page",
    "PageInfo",
    "PermissionDeniedError",
    "PollingConfig",
    "PollingTimeout",
    "RateLimitError",
    "RawRequest",
    "RequestOptions",
    "ResponseTooLargeError",
    "RetryBudget",
    "RetryConfig",
    "RunCanceledError",
    "RunOwnershipError",
    "Runloop",
    "RunloopError",
    "ScoringFailedError",
    "SyncPage",
    "Timeout",
    "UnexpectedStateError",
    "UnprocessableEntityError",
    "WaitError",
    "WaitOptions",
    "WaitTimeoutError",
    "__version__",
    # the resources behind client.scenarios, client.benchmarks, ... (for type hints)
    "AsyncBenchmarkJobs",
    "AsyncBenchmarkRuns",
    "AsyncBenchmarks",
    "AsyncDevboxes",
    "AsyncRuns",
    "AsyncScenarios",
    "AsyncScorers",
    "BenchmarkJobs",
    "BenchmarkRuns",
    "Benchmarks",
    "Devboxes",
    "Runs",
    "Scenarios",
    "Scorers",
    # the benchmark runner
    "AgentContext",
    "BenchmarkResult",
    "BenchmarkRunner",
    "EventKind",
    "Outcome",
    "ResumePlan",
    "RunnerEvent",
    "RunnerOptions",
    "RunnerProgress",
    "ScenarioResult",
    "Totals",
    "parse_shard",
    "plan_resume",
    "run_benchmark",
    "run_benchmark_sync",
    "select_shard",
    # evaluating agents
    "Comparison",
    "ScenarioChange",
    "compare_results",
    "render_summary",
    "Metrics",
    "ScenarioMetrics",
    "bootstrap_ci",
    "compute_metrics",
    "pass_at_k",
    "pass_hat_k",
    "sign_test",
    *_models_all,
]

#: Public names whose module loads on first use: the benchmark runner brings anyio's
#: streams and task groups (a visible share of ``import runloop_async``, see
#: benchmarks/RESULTS.md), which a script that only calls the API never needs.
_LAZY: dict[str, str] = dict.fromkeys(
    (
        "AgentContext", "BenchmarkResult", "BenchmarkRunner", "EventKind", "Outcome",
        "ResumePlan", "RunnerEvent", "RunnerOptions", "RunnerProgress", "ScenarioResult", "Totals",
        "parse_shard", "plan_resume", "run_benchmark", "run_benchmark_sync", "select_shard",
    ),
    "._runner",
)  # fmt: skip
# The blocking facade brings anyio's portal and synchronization primitives, which an
# async script never needs.
_LAZY.update(
    dict.fromkeys(
        (
            "BenchmarkJobs", "BenchmarkRuns", "Benchmarks", "Devboxes", "ManagedRun", "Runloop",
            "Runs", "Scenarios", "Scorers", "SyncPage",
        ),
        "._sync",
    )
)  # fmt: skip
_LAZY.update(
    dict.fromkeys(
        (
            "Comparison", "Metrics", "ScenarioChange", "ScenarioMetrics", "bootstrap_ci",
            "compare_results", "compute_metrics", "pass_at_k", "pass_hat_k", "render_summary",
            "sign_test",
        ),
        "._eval",
    )
)  # fmt: skip

# The models: those of scenario runs load with the package; runloop_async._models
# loads the others on first use (see its _LAZY_MODULES).
_LAZY.update(dict.fromkeys(_models_all, "._models"))
_LAZY["AsyncBenchmarkJobs"] = "._resources.benchmark_jobs"
_LAZY["AsyncBenchmarkRuns"] = "._resources.benchmark_runs"
_LAZY["AsyncBenchmarks"] = "._resources.benchmarks"
_LAZY["AsyncDevboxes"] = "._resources.devboxes"
# Raw responses (``with_raw_response``) are built only when asked for.
_LAZY.update(
    dict.fromkeys(
        ("APIResponse", "AsyncAPIResponse", "BaseAPIResponse", "Headers", "RawRequest"),
        "._response",
    )
)
# Waits and managed runs load their helpers with their first use (see _resources).
_LAZY["AsyncManagedRun"] = "._resources.managed"
# Pages load with the first list call.
_LAZY.update(dict.fromkeys(("AsyncPager", "BasePage", "Page", "PageInfo"), "._pager"))
_LAZY["Backoff"] = "._steps"

__getattr__, __dir__ = _lazy_attributes(globals(), _LAZY)
