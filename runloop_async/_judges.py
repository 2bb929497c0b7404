"""The verdicts the waits reach on one view: done, keep waiting, or an error (pure).

Each judge is the whole decision of one wait (:func:`._waiting.poll_until` polls,
the judge decides), kept apart so each state rule is tested without any polling.
"""

from __future__ import annotations

from . import _models  # job, benchmark and devbox models load on first use, not here
from ._exceptions import (
    DevboxFailedError,
    RunCanceledError,
    ScoringFailedError,
    UnexpectedStateError,
)
from ._models import (
    BenchmarkJobState,
    BenchmarkRunState,
    DevboxStatus,
    ScenarioRunState,
    ScenarioRunView,
)
from ._waiting import Verdict

__all__ = [
    "judge_benchmark_job_done",
    "judge_benchmark_run_completed",
    "judge_devbox_running",
    "judge_scored",
]


def judge_devbox_running(view: _models.DevboxView) -> Verdict:
    """Verdict on a devbox for a readiness wait: running, failed, or keep waiting.

    ``running`` is done; ``failure``, ``shutdown`` and ``suspended`` raise
    :class:`DevboxFailedError`; every other status keeps the wait going.
    """
    if view.status == DevboxStatus.RUNNING:
        return True
    if view.status in (DevboxStatus.FAILURE, DevboxStatus.SHUTDOWN, DevboxStatus.SUSPENDED):
        reason = f" ({view.failure_reason})" if view.failure_reason else ""
        return DevboxFailedError(
            f"devbox {view.id} entered {view.status!r} instead of running{reason}", last=view
        )
    return None


def judge_scored(run: ScenarioRunView) -> Verdict:
    """Verdict of a scoring wait on one view of a scenario run.

    ``scored`` is done, and so is ``completed`` with a scoring result. ``running``
    (just after ``score``, before the server moved it) and ``scoring`` keep the wait
    going, as does a state this client does not know. ``failed``/``timeout`` raise
    :class:`ScoringFailedError`, ``canceled`` :class:`RunCanceledError`.
    """
    state = run.state
    if state == ScenarioRunState.SCORED:
        return True
    if state == ScenarioRunState.COMPLETED:
        if run.scoring_contract_result is not None:
            return True
        return UnexpectedStateError(
            f"scenario run {run.id} completed without a scoring result", last=run
        )
    if state in (ScenarioRunState.FAILED, ScenarioRunState.TIMEOUT):
        return ScoringFailedError(f"scenario run {run.id} ended {state!r} while scoring", last=run)
    if state == ScenarioRunState.CANCELED:
        return RunCanceledError(f"scenario run {run.id} was canceled while scoring", last=run)
    return None


def judge_benchmark_run_completed(run: _models.BenchmarkRunView) -> Verdict:
    """Verdict of a wait for a benchmark run to finish.

    ``completed`` is done; ``canceled`` raises :class:`RunCanceledError`, ``failed``
    :class:`UnexpectedStateError`; ``running`` or a state this client does not know
    keeps the wait going.
    """
    state = run.state
    if state == BenchmarkRunState.COMPLETED:
        return True
    if state == BenchmarkRunState.CANCELED:
        return RunCanceledError(f"benchmark run {run.id} was canceled", last=run)
    if state == BenchmarkRunState.FAILED:
        return UnexpectedStateError(f"benchmark run {run.id} failed", last=run)
    return None


def judge_benchmark_job_done(job: _models.BenchmarkJobView) -> Verdict:
    """Verdict of a wait for a benchmark job to finish.

    ``completed`` is done; ``cancelled`` (or ``canceled``) raises
    :class:`RunCanceledError`; ``failed`` and ``timeout`` raise
    :class:`UnexpectedStateError` (with the server's ``failure_reason``); every other
    state (``initializing``, ``queued``, ``running``, unknown) keeps the wait going.
    """
    state = job.state.lower()
    if state == BenchmarkJobState.COMPLETED:
        return True
    if state in (BenchmarkJobState.CANCELLED, "canceled"):
        return RunCanceledError(f"benchmark job {job.id} was cancelled", last=job)
    if state in (BenchmarkJobState.FAILED, BenchmarkJobState.TIMEOUT):
        reason = f": {job.failure_reason}" if job.failure_reason else ""
        return UnexpectedStateError(f"benchmark job {job.id} ended {state!r}{reason}", last=job)
    return None
