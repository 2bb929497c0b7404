"""The tagged unions on ``"type"`` the converter handles, by the module defining them.

Each model module's unions are named by a function, called only once that module is
loaded (see ``register_lazy_unions`` in :mod:`._converter_hooks`): the modules load on
first use (runloop_async._models), and a converter that named the unions up front
would import them all.
"""

from collections.abc import Callable
from typing import Any

from . import _models as m

__all__ = ["UNIONS"]

_Unions = tuple[tuple[Any, tuple[type, ...], type], ...]


def _scorer_unions() -> _Unions:
    scorers: tuple[type, ...] = (m.AstGrepScorer, m.BashScriptScorer, m.CommandScorer)
    scorers += (m.CustomScorer, m.PythonScriptScorer, m.TestBasedScorer)
    return ((m.Scorer, scorers, m.UnknownScorer),)


def _mount_unions() -> _Unions:
    mounts = (m.ObjectMount, m.AgentMount, m.CodeMount, m.FileMount, m.BrokerMount)
    return ((m.Mount, mounts, m.UnknownMount),)


def _job_unions() -> _Unions:
    return (
        (
            m.JobSource,
            (m.HarborJobSource, m.BenchmarkJobSource, m.ScenariosJobSource),
            m.UnknownJobSource,
        ),
        (m.AgentConfig, (m.ExternalApiAgentConfig, m.JobAgentConfig), m.UnknownAgentConfig),
        (
            m.JobCreateSpec,
            (m.HarborJobCreateSpec, m.BenchmarkJobCreateSpec, m.ScenariosJobCreateSpec),
            m.UnknownJobCreateSpec,
        ),
    )


#: Model module -> its unions: (union alias, known variants, fallback for other tags).
UNIONS: dict[str, Callable[[], _Unions]] = {
    "runloop_async._models._scoring": _scorer_unions,
    "runloop_async._models._common": _mount_unions,
    "runloop_async._models._benchmark_jobs": _job_unions,
}
