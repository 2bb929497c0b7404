"""Deadline-based, cancellable polling, with the decisions kept pure.

A wait polls with growing, jittered intervals until a view is final or its deadline
passes. Every sleep is an ``anyio.sleep``, so cancelling the caller (a cancel scope,
a task group, Ctrl-C through the sync facade) stops the wait at once, even between
polls.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

import anyio

from ._config import NotGiven, PollingConfig
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIStatusError,
    InvalidArgumentError,
    RunCanceledError,
    ScoringFailedError,
    UnexpectedStateError,
    WaitTimeoutError,
)
from ._models import (
    BenchmarkJobState,
    BenchmarkJobView,
    BenchmarkRunState,
    BenchmarkRunView,
    ScenarioRunState,
    ScenarioRunView,
)
from ._retry import should_retry_status

__all__ = [
    "OUTAGE_TOLERANCE",
    "Verdict",
    "is_transient",
    "judge_benchmark_job_done",
    "judge_benchmark_run_completed",
    "judge_scored",
    "poll_interval",
    "poll_until",
    "resolve_deadline",
]

T = TypeVar("T")
log = logging.getLogger("runloop_async")

#: What a wait decides about one view: keep polling (None), done (True), or an error.
Verdict = bool | None | Exception

FIRST_INTERVAL = 0.25
MAX_INTERVAL = 5.0


def poll_interval(
    polls_done: int,
    *,
    first: float = FIRST_INTERVAL,
    cap: float = MAX_INTERVAL,
    rand: Callable[[], float] = random.random,
) -> float:
    """Sleep before the next poll: ``first * 1.5**n`` capped, jittered to 50-100%.

    Short first (results often arrive within a second), growing so a 30-minute wait
    costs a few hundred requests, jittered so 500 concurrent waits do not poll in
    lockstep.
    """
    base = min(cap, first * (1.5 ** min(polls_done, 60)))
    return base * (0.5 + 0.5 * rand())


def resolve_deadline(
    timeout: float | NotGiven | None, polling_config: PollingConfig | None, default: float | None
) -> float | None:
    """Seconds a wait may take: ``timeout`` if given, else the polling config's budget.

    ``None`` means no deadline.

    Raises:
        InvalidArgumentError: a non-positive timeout.
    """
    if not isinstance(timeout, NotGiven):
        if timeout is not None and (isinstance(timeout, bool) or timeout <= 0):
            raise InvalidArgumentError(f"timeout must be a positive number, got {timeout!r}")
        return timeout
    if polling_config is not None:
        return polling_config.deadline()
    return default


#: With no deadline, how long a run of failed polls (each after its own retries) is
#: ridden out before the last error is raised: a wait must not hang on a dead API.
OUTAGE_TOLERANCE = 600.0


def is_transient(exc: BaseException) -> bool:
    """Whether a failed poll is worth polling again (its own retries are spent).

    Connection errors and timeouts are, and statuses the retry policy retries (408,
    409, 429, >= 500, or ``x-should-retry: true``). A 4xx such as 404, and an answer
    that does not fit the model, are not: polling again would not change them.
    """
    if isinstance(exc, APIStatusError):
        return should_retry_status(exc.status_code, exc.headers)
    return isinstance(exc, APIConnectionError)


async def poll_until(
    fetch: Callable[[], Awaitable[T]],
    judge: Callable[[T], Verdict],
    *,
    deadline: float | None,
    what: str,
    first_interval: float = FIRST_INTERVAL,
    max_interval: float = MAX_INTERVAL,
) -> T:
    """Call ``fetch`` until ``judge`` says the view is final; return that view.

    ``judge`` returns ``True`` (done), ``None`` (keep waiting) or an exception
    instance to raise (a terminal state other than the wanted one). A poll that fails
    transiently after its own retries (see :func:`is_transient`) does not end the
    wait: polling goes on until the deadline (or, with no deadline, for
    :data:`OUTAGE_TOLERANCE` seconds of failures in a row).

    Raises:
        WaitTimeoutError: the deadline passed first (carries the last view; its
            ``__cause__`` is the last poll error, if the last poll failed).
        APIError: a poll failed for good (not transient, or a long outage).
    """
    start = anyio.current_time()
    last: T | None = None
    polls = 0
    failing_since: float | None = None
    while True:
        try:
            last = await fetch()
        except APIError as exc:
            failing_since = _ride_out(exc, failing_since, deadline, what)
            error: APIError | None = exc
        else:
            failing_since, error = None, None
            verdict = judge(last)
            if verdict is True:
                return last
            if isinstance(verdict, Exception):
                raise verdict
        elapsed = anyio.current_time() - start
        pause = poll_interval(polls, first=first_interval, cap=max_interval)
        if deadline is not None:
            if elapsed >= deadline:
                msg = f"{what}: still not done after {deadline:g} s"
                raise WaitTimeoutError(msg, last=last) from error
            pause = min(pause, deadline - elapsed)
        await anyio.sleep(pause)
        polls += 1


def _ride_out(
    exc: APIError, failing_since: float | None, deadline: float | None, what: str
) -> float:
    """Re-raise ``exc`` unless the wait should poll on; return when failures began."""
    now = anyio.current_time()
    since = now if failing_since is None else failing_since
    if not is_transient(exc):
        raise exc
    if deadline is None and now - since >= OUTAGE_TOLERANCE:
        raise exc
    log.warning("%s: a poll failed (%s); polling on", what, type(exc).__name__)
    return since


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


def judge_benchmark_run_completed(run: BenchmarkRunView) -> Verdict:
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


def judge_benchmark_job_done(job: BenchmarkJobView) -> Verdict:
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
