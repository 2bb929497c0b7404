"""Attrs models for every API view and request sub-object.

Models are frozen, keyword-only attrs classes with snake_case field names; the
converter in ``runloop_async._converter`` maps them to and from JSON (renames,
tagged unions, unknown values). Enum-like fields are plain ``str``; the known values
live on the namespace classes re-exported here (``ScenarioRunState.SCORED``).
"""

from typing import TYPE_CHECKING

from .._lazy import lazy_attributes as _lazy_attributes
from ._base import NULL, Model, Null
from ._common import (
    AfterIdle,
    AgentMount,
    BrokerMount,
    CodeMount,
    FileMount,
    LaunchParameters,
    LifecycleConfiguration,
    LifecycleHooks,
    Mount,
    ObjectMount,
    ResumeTriggers,
    RunProfile,
    UnknownMount,
    UserParameters,
)
from ._scenarios import (
    InputContext,
    InputContextUpdate,
    LogsArchive,
    ScenarioEnvironment,
    ScenarioRunView,
    ScenarioView,
)
from ._scorers import (
    ScenarioScorerView,
)
from ._scoring import (
    AstGrepScorer,
    BashScriptScorer,
    CommandScorer,
    CustomScorer,
    PythonScriptScorer,
    Scorer,
    ScoringContract,
    ScoringContractResultView,
    ScoringContractUpdate,
    ScoringFunction,
    ScoringFunctionResultView,
    TestBasedScorer,
    TestFile,
    UnknownScorer,
)
from ._states import (
    Architecture,
    BenchmarkJobState,
    BenchmarkRunState,
    BenchmarkStatus,
    DevboxStatus,
    OnIdle,
    ResourceSize,
    ScenarioOutcomeState,
    ScenarioRunState,
    ScenarioStatus,
    ScoringFunctionResultState,
    ValidationType,
)

if TYPE_CHECKING:
    # Loaded on first use by __getattr__ below (see _LAZY).
    from ._benchmark_jobs import (
        AgentConfig,
        AgentEnvironment,
        BenchmarkJobCreateSpec,
        BenchmarkJobSource,
        BenchmarkJobView,
        BenchmarkOutcome,
        ExternalApiAgentConfig,
        FailureReason,
        HarborJobCreateSpec,
        HarborJobSource,
        InProgressRun,
        JobAgentConfig,
        JobCreateSpec,
        JobSource,
        JobSpec,
        OrchestratorConfig,
        ScenarioOutcome,
        ScenariosJobCreateSpec,
        ScenariosJobSource,
        UnknownAgentConfig,
        UnknownJobCreateSpec,
        UnknownJobSource,
    )
    from ._benchmarks import (
        BenchmarkRunView,
        BenchmarkView,
    )
    from ._devboxes import (
        DevboxStateTransition,
        DevboxView,
        GatewaySpecs,
        McpSpecs,
        TunnelView,
    )

__all__ = [
    "AfterIdle",
    "AgentConfig",
    "AgentEnvironment",
    "AgentMount",
    "Architecture",
    "AstGrepScorer",
    "BashScriptScorer",
    "BenchmarkJobCreateSpec",
    "BenchmarkJobSource",
    "BenchmarkJobState",
    "BenchmarkJobView",
    "BenchmarkOutcome",
    "BenchmarkRunState",
    "BenchmarkRunView",
    "BenchmarkStatus",
    "BenchmarkView",
    "BrokerMount",
    "CodeMount",
    "CommandScorer",
    "CustomScorer",
    "DevboxStateTransition",
    "DevboxStatus",
    "DevboxView",
    "ExternalApiAgentConfig",
    "FailureReason",
    "FileMount",
    "GatewaySpecs",
    "HarborJobCreateSpec",
    "HarborJobSource",
    "InProgressRun",
    "InputContext",
    "InputContextUpdate",
    "JobAgentConfig",
    "JobCreateSpec",
    "JobSource",
    "JobSpec",
    "LaunchParameters",
    "LifecycleConfiguration",
    "LifecycleHooks",
    "LogsArchive",
    "McpSpecs",
    "Model",
    "Mount",
    "NULL",
    "Null",
    "ObjectMount",
    "OnIdle",
    "OrchestratorConfig",
    "PythonScriptScorer",
    "ResourceSize",
    "ResumeTriggers",
    "RunProfile",
    "ScenarioEnvironment",
    "ScenarioOutcome",
    "ScenarioOutcomeState",
    "ScenarioRunState",
    "ScenarioRunView",
    "ScenarioScorerView",
    "ScenarioStatus",
    "ScenarioView",
    "ScenariosJobCreateSpec",
    "ScenariosJobSource",
    "Scorer",
    "ScoringContract",
    "ScoringContractResultView",
    "ScoringContractUpdate",
    "ScoringFunction",
    "ScoringFunctionResultState",
    "ScoringFunctionResultView",
    "TestBasedScorer",
    "TestFile",
    "TunnelView",
    "UnknownAgentConfig",
    "UnknownJobCreateSpec",
    "UnknownJobSource",
    "UnknownMount",
    "UnknownScorer",
    "UserParameters",
    "ValidationType",
]

#: Public names whose module loads on first use (those imported above only for type
#: checkers): attrs compiles each class as it is defined, a third of ``import
#: runloop_async``, and a script that only reads scenario runs never needs the
#: benchmark, benchmark-job (the largest module) or devbox models.
_LAZY = dict.fromkeys(("BenchmarkRunView", "BenchmarkView"), "._benchmarks")
_LAZY.update(
    dict.fromkeys(
        ("DevboxStateTransition", "DevboxView", "GatewaySpecs", "McpSpecs", "TunnelView"),
        "._devboxes",
    )
)
_LAZY.update({n: "._benchmark_jobs" for n in __all__ if n not in globals() and n not in _LAZY})
__getattr__, __dir__ = _lazy_attributes(globals(), _LAZY)
