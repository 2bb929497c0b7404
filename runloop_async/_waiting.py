"""Deadline-based, cancellable polling, with the decisions kept pure.

A wait polls with growing, jittered intervals (or back-to-back server long-polls)
until a view is final or its deadline passes. The deadline bounds the request in
flight too: every attempt, retry and backoff made inside the wait ends by it (see
:mod:`._scope`), so a hung or trickled answer cannot stretch the wait. Every sleep
is an ``anyio.sleep``, so cancelling the caller (a cancel scope, a task group,
Ctrl-C through the sync facade) stops the wait at once, even between polls.

Every wait's constants live here: default deadlines, poll intervals, long-poll hold.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from . import _models  # job, benchmark and devbox models load on first use, not here
from ._config import NotGiven, PollingConfig
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    DevboxFailedError,
    InvalidArgumentError,
    RunCanceledError,
    ScoringFailedError,
    UnexpectedStateError,
    WaitTimeoutError,
)
from ._models import (
    BenchmarkJobState,
    BenchmarkRunState,
    DevboxStatus,
    ScenarioRunState,
    ScenarioRunView,
)
from ._retry import should_retry_status
from ._scope import deadline_scope, now, poll_observer, time_left
from ._validate import check_seconds

__all__ = [
    "BENCHMARK_POLL_CAP",
    "BENCHMARK_POLL_FIRST",
    "DEADLINE_GRACE",
    "FIRST_INTERVAL",
    "HOLD_MARGIN",
    "MAX_INTERVAL",
    "OUTAGE_TOLERANCE",
    "READY_TIMEOUT",
    "SCORING_TIMEOUT",
    "SERVER_HOLD",
    "Verdict",
    "hold_for",
    "is_transient",
    "judge_benchmark_job_done",
    "judge_benchmark_run_completed",
    "judge_devbox_running",
    "judge_scored",
    "poll_interval",
    "poll_until",
    "resolve_deadline",
    "wait_deadline",
]

T = TypeVar("T")
log = logging.getLogger("runloop_async")

#: What a wait decides about one view: keep polling (None), done (True), or an error.
Verdict = bool | None | Exception

#: First pause between polls, and the cap it grows to (see :func:`poll_interval`).
FIRST_INTERVAL = 0.25
MAX_INTERVAL = 5.0
#: First pause, and the longest, between two polls of a benchmark run or job (rl-cli
#: polls every 5 s): they take minutes to hours, so a wait need not poll as eagerly.
BENCHMARK_POLL_FIRST = 0.5
BENCHMARK_POLL_CAP = 10.0
#: Default deadline of a scoring wait: scoring is bounded server-side by the
#: scenario's scorer_timeout_sec, 1800 s by default.
SCORING_TIMEOUT = 1800.0
#: Default deadline of a devbox readiness wait (the official SDK gave up after 120 s).
READY_TIMEOUT = 600.0
#: The server holds a wait_for_status request at most this long.
SERVER_HOLD = 30.0
#: Extra read time beyond the hold, so the server, not the client, ends a long-poll.
HOLD_MARGIN = 5.0
#: How far past its deadline a wait may run before it is cut off regardless. The
#: requests inside already end by the deadline; this only backs that up.
DEADLINE_GRACE = 1.0


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

    ``None`` (or ``inf``) means no deadline.

    Raises:
        InvalidArgumentError: a timeout that is zero, negative, NaN or not a number,
            or a ``polling_config`` that is not a :class:`PollingConfig`.
    """
    if not isinstance(timeout, NotGiven):
        return check_seconds(timeout, "timeout")
    if polling_config is not None:
        if not isinstance(polling_config, PollingConfig):
            raise InvalidArgumentError(
                f"polling_config must be a runloop_async.PollingConfig, "
                f"got {type(polling_config).__name__}"
            )
        return check_seconds(polling_config.deadline(), "polling_config deadline")
    return default


@contextmanager
def wait_deadline(deadline: float | None, what: str) -> Iterator[None]:
    """Bound every request made inside by ``deadline`` seconds from now.

    For a wait's own calls before it polls (``score`` in ``score_and_await``): a call
    cut off by the deadline raises :class:`WaitTimeoutError` from its error, as the
    polls would. Cleanup belongs outside: it must not inherit a spent deadline.
    """
    end = None if deadline is None else now() + deadline
    with deadline_scope(end):
        try:
            yield
        except APIConnectionError as exc:
            if end is None or now() < end - 0.05:
                raise
            raise WaitTimeoutError(f"{what}: still not done after {deadline:g} s") from exc


def hold_for(left: float | None) -> float:
    """The hold to ask of the next server long-poll, given the wait's time left."""
    return SERVER_HOLD if left is None else max(0.1, min(left, SERVER_HOLD))


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
    fetch: Callable[[], Awaitable[T | None]],
    judge: Callable[[T], Verdict],
    *,
    deadline: float | None,
    what: str,
    first_interval: float = FIRST_INTERVAL,
    max_interval: float = MAX_INTERVAL,
    long_poll: bool = False,
) -> T:
    """Call ``fetch`` until ``judge`` says the view is final; return that view.

    ``judge`` returns ``True`` (done), ``None`` (keep waiting) or an exception
    instance to raise (a terminal state other than the wanted one). ``fetch`` may
    return ``None`` for "nothing new yet" (a long-poll whose hold ended). A poll that
    fails transiently after its own retries (see :func:`is_transient`) does not end
    the wait: polling goes on until the deadline (or, with no deadline, for
    :data:`OUTAGE_TOLERANCE` seconds of failures in a row). Every request made by
    ``fetch`` ends by the deadline. ``long_poll`` polls again at once after an
    answer (the server already held it); pauses then follow errors only. Inside
    :func:`~._scope.reporting_polls`, every answered poll and every transient failure is also
    told to its observer.

    Raises:
        WaitTimeoutError: the deadline passed first (carries the last view; its
            ``__cause__`` is the last poll error, if the last poll failed).
        APIError: a poll failed for good (not transient, or a long outage).
    """
    wait = _Wait(fetch, judge, deadline, what, (first_interval, max_interval), long_poll)
    if wait.end is None:
        return await wait.poll()
    import anyio  # here: a script that never waits need not load anyio

    # One scope for the whole wait, not one a poll: every pause ends by ``end``, so
    # it only ever cuts off a fetch still hanging past the deadline's grace.
    with deadline_scope(wait.end), anyio.CancelScope(deadline=wait.end + DEADLINE_GRACE):
        return await wait.poll()
    wait.error = None  # the last poll hung until it was cut off: it did not fail
    raise wait.timed_out()


class _Wait(Generic[T]):
    """One :func:`poll_until`: its settings, and what it saw (kept for the error)."""

    def __init__(
        self,
        fetch: Callable[[], Awaitable[T | None]],
        judge: Callable[[T], Verdict],
        deadline: float | None,
        what: str,
        intervals: tuple[float, float],
        long_poll: bool,
    ) -> None:
        self.fetch, self.judge, self.deadline, self.what = fetch, judge, deadline, what
        self.intervals, self.long_poll = intervals, long_poll
        self.end = _end_of(deadline)
        self.last: T | None = None
        self.error: APIError | None = None
        self.observer = poll_observer()

    def timed_out(self) -> WaitTimeoutError:
        """The error of a wait whose deadline passed first (the last failure its cause)."""
        error = WaitTimeoutError(
            f"{self.what}: still not done after {self.deadline:g} s", last=self.last
        )
        error.__cause__, error.__suppress_context__ = self.error, True
        return error

    def _failed(self, exc: APIError) -> None:
        """Keep a poll's transient failure as the wait's cause; tell the observer."""
        if _cut_by_deadline(exc, self.end):
            # A poll cut short by the wait's own deadline says nothing new (nor about
            # the API): the cause reported is the last real failure.
            if self.error is None:
                self.error = exc
            return
        self.error = exc
        if self.observer is not None:
            self.observer.failed()

    async def poll(self) -> T:
        """Poll until the judge's verdict is final, or the deadline passes."""
        end, polls = self.end, 0
        failing_since: float | None = None
        while True:
            try:
                view = await self.fetch()
            except APIError as exc:
                failing_since = _ride_out(exc, failing_since, self.deadline, end, self.what)
                self._failed(exc)
            else:
                failing_since, self.error = None, None
                if self.observer is not None:
                    self.observer.succeeded()
                if view is not None:
                    self.last = view
                    verdict = self.judge(view)
                    if verdict is True:
                        return view
                    if isinstance(verdict, Exception):
                        raise verdict
            pause = 0.0 if self.long_poll and self.error is None else poll_interval(
                polls, first=self.intervals[0], cap=self.intervals[1])  # fmt: skip
            if end is not None and now() + pause >= end:
                # No time for another poll: sleep out the rest, then report.
                await asyncio.sleep(max(0.0, end - now()))
                raise self.timed_out()
            await asyncio.sleep(pause)
            polls += 1


def _end_of(deadline: float | None) -> float | None:
    """The wait's end on anyio's clock; an enclosing wait's earlier end wins."""
    left = time_left()
    if deadline is None:
        return None if left is None else now() + left
    if left is not None:
        deadline = min(deadline, left)
    return now() + deadline


def _cut_by_deadline(exc: APIError, end: float | None) -> bool:
    """Whether ``exc`` is a timeout caused by the wait's own deadline ``end``."""
    return isinstance(exc, APITimeoutError) and end is not None and now() >= end


def _ride_out(
    exc: APIError,
    failing_since: float | None,
    deadline: float | None,
    end: float | None,
    what: str,
) -> float:
    """Re-raise ``exc`` unless the wait should poll on; return when failures began."""
    current = now()
    since = current if failing_since is None else failing_since
    if not is_transient(exc):
        raise exc
    if deadline is None and current - since >= OUTAGE_TOLERANCE:
        raise exc
    if end is None or current < end:
        # Not at the end: a real failure. At the end it is the wait's own deadline
        # cutting the poll short, which WaitTimeoutError reports next.
        log.warning("%s: a poll failed (%s); polling on", what, type(exc).__name__)
    return since


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
