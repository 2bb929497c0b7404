"""Steps that must finish: retried through transient failures until their own deadline.

A client call gives up after its retries (and when the client-wide retry budget is
spent, at once). That protects the API, but some steps are worth more than one
call's patience: cleaning up a scenario run (its devbox costs money until it ends),
or a benchmark runner's step during an outage. :func:`persist` retries such a step
through transient failures (connection errors, timeouts, 408/409/429/5xx) with its
own jittered backoff until the step's deadline; :func:`end_run` is the one function
that ends a scenario run (complete if scored, cancel if live) that way.

The cleanup deadline and backoff defaults live here, and only here.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import random
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import attrs

from ._attrs_methods import AttrsMethods
from ._exceptions import (
    APIStatusError,
    BadRequestError,
    ConflictError,
    InvalidArgumentError,
    RunloopError,
)
from ._models import ScenarioRunState, ScenarioRunView
from ._request import new_idempotency_key
from ._retry import parse_retry_after
from ._scope import now
from ._waiting import is_transient

if TYPE_CHECKING:
    from ._resources.runs import AsyncRuns

__all__ = [
    "CLEANUP_BACKOFF",
    "CLEANUP_TIMEOUT",
    "Backoff",
    "StepGate",
    "check_seconds",
    "end_run",
    "end_state_action",
    "persist",
    "MAX_ASKED_WAIT",
    "Shield",
]

T = TypeVar("T")
log = logging.getLogger("runloop_async")


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Backoff(AttrsMethods):
    """Jittered exponential pauses between a step's attempts.

    Attributes:
        initial: Ceiling of the first pause, seconds. Default 0.5.
        maximum: Cap of any pause, seconds. Default 10.0.
    """

    initial: float = 0.5
    maximum: float = 10.0

    def delay(self, failures: int, rand: Callable[[], float] = random.random) -> float:
        """Pause after ``failures`` failed attempts: 50-100 % of ``initial * 2**(n-1)``, capped."""
        ceiling = min(self.maximum, self.initial * 2.0 ** min(max(failures - 1, 0), 60))
        return ceiling * (0.5 + 0.5 * rand())


#: Longest a cleanup (ending a scenario run: complete or cancel) is retried. It is
#: shielded from cancellation, so it bounds how long Ctrl-C can take in an outage.
CLEANUP_TIMEOUT = 120.0
#: Backoff between a cleanup's attempts.
CLEANUP_BACKOFF = Backoff(initial=0.5, maximum=10.0)


def check_seconds(name: str, value: object, *, optional: bool = True) -> float | None:
    """``value`` as a positive, finite number of seconds (``None`` allowed if optional).

    Raises:
        InvalidArgumentError: a bool, a non-number, NaN, infinity, zero or negative.
    """
    if value is None and optional:
        return None
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if number and math.isfinite(value) and value > 0:  # type: ignore[arg-type,operator]
        return float(value)  # type: ignore[arg-type]
    allowed = "a positive number of seconds" + (" or None" if optional else "")
    raise InvalidArgumentError(f"{name} must be {allowed}, got {value!r}")


class Shield(Protocol):
    """A shielded block with a deadline, as ``anyio.CancelScope(shield=True,
    deadline=...)``; ``__exit__`` is true when it swallowed its deadline's cut."""

    def __enter__(self) -> object:
        """Enter the block."""

    def __exit__(self, *exc_info: Any) -> bool:
        """Leave it."""


class StepGate(Protocol):
    """What :func:`persist` tells a shared gate (the runner's circuit breaker)."""

    async def admit(self) -> None:
        """Wait until calls are let through."""

    def succeeded(self) -> None:
        """A call went through."""

    def failed(self) -> None:
        """A call failed transiently."""

    def released(self) -> None:
        """A call ended without a transient failure or a success (cancelled, refused for
        good, its own error): let another caller probe."""


async def persist(
    call: Callable[[], Awaitable[T]],
    *,
    timeout: float | None,
    what: str,
    backoff: Backoff = CLEANUP_BACKOFF,
    gate: StepGate | None = None,
) -> T:
    """Await ``call()`` until it succeeds; retry transient failures until ``timeout``.

    Non-transient errors (a 400, a 404, a model mismatch) are raised at once; a
    transient one is raised when the next attempt would start after the deadline.
    A ``Retry-After`` the server sent is waited out (up to 300 s) when longer than
    the backoff.
    ``call`` must be safe to repeat (pass a fixed idempotency key for POSTs).

    Raises:
        APIError: the last failure, when not transient or past the deadline.
    """
    start = now()
    failures = 0
    while True:
        if gate is not None:
            await gate.admit()
        try:
            result = await call()
        except RunloopError as exc:
            if not is_transient(exc):
                _release(gate)
                raise
            failures += 1
            if gate is not None:
                gate.failed()
            pause = max(backoff.delay(failures), _asked_wait(exc))
            if timeout is not None and now() - start + pause >= timeout:
                raise
            log.info("%s failed (%s); retrying in %.1f s", what, type(exc).__name__, pause)
            await asyncio.sleep(pause)
            continue
        except BaseException:
            # Cancelled, or ended by an error of the call's own (a deadline): no answer
            # about the outage.
            _release(gate)
            raise
        if gate is not None:
            gate.succeeded()
        return result


def _release(gate: StepGate | None) -> None:
    # A call that ended without a transient failure (cancelled, refused for good, its
    # own error) says nothing about the outage. Were it the gate's probe, every other
    # step would wait PROBE_LIMIT for it: let the next caller probe at once.
    if gate is not None:
        gate.released()


#: The longest server-asked wait (``Retry-After``) a step honours.
MAX_ASKED_WAIT = 300.0


def _asked_wait(exc: RunloopError) -> float:
    """The wait a 429/503 asked for (``Retry-After``), capped; 0 when none."""
    if not isinstance(exc, APIStatusError):
        return 0.0
    asked = parse_retry_after(exc.headers)
    return 0.0 if asked is None else min(asked, MAX_ASKED_WAIT)


def end_state_action(state: str, *, failed: bool, keep_on_error: bool) -> str | None:
    """What ending a run does, for its state: ``"complete"``, ``"cancel"`` or ``None``.

    ``None`` means nothing: it already ended, or it is kept for debugging. A
    ``scored`` run is completed even if the caller failed afterwards: its score
    stands. Any other live run is canceled, unless the caller failed and
    ``keep_on_error`` asks to leave it up.
    """
    if state in ScenarioRunState.TERMINAL:
        return None
    if state == ScenarioRunState.SCORED:
        return "complete"
    if failed and keep_on_error:
        return None
    return "cancel"


async def end_run(
    runs: AsyncRuns,
    run_id: str,
    *,
    state: str | None = None,
    failed: bool = True,
    keep_on_error: bool = False,
    timeout: float | None = CLEANUP_TIMEOUT,
    backoff: Backoff = CLEANUP_BACKOFF,
    gate: StepGate | None = None,
    shielded: Callable[[float], Shield] | None = None,
) -> ScenarioRunView | None:
    """End a scenario run so its devbox shuts down; return its view after, or ``None``.

    Completes it if ``scored``, cancels it if still live (see :func:`end_state_action`;
    ``state`` is its known state, else it is retrieved). Shielded from cancellation,
    retried through transient failures until ``timeout``: by an anyio scope with that
    deadline, or ``shielded(timeout)`` if given (the benchmark runner's scenario
    scope). A 400/409 (the run moved meanwhile, e.g. another process ended it) is
    settled by reading it again. A failure to clean up is logged, never raised:
    callers have a better error to tell.

    Raises:
        Nothing: failures are logged and give ``None``.
    """

    def decide(known: str) -> str | None:
        return end_state_action(known, failed=failed, keep_on_error=keep_on_error)

    async def attempt(call: Callable[[], Awaitable[T]], what: str) -> T:
        # No deadline of its own: the whole cleanup is bounded below.
        return await persist(call, timeout=None, what=what, backoff=backoff, gate=gate)

    # One scope, shielded and with its own deadline (what fail_after inside a shield
    # does, with one scope instead of two: every scenario ends through here).
    import anyio  # here: a script that never ends a run need not load anyio

    if shielded is None or timeout is None:
        deadline = math.inf if timeout is None else now() + timeout
        shield: Shield = anyio.CancelScope(shield=True, deadline=deadline)
    else:
        shield = shielded(timeout)
    with shield:
        try:
            return await _settle(runs, run_id, state, decide, attempt)
        except (RunloopError, TimeoutError) as exc:
            log.warning("could not end scenario run %s: %r", run_id, exc)
            return None
    log.warning("could not end scenario run %s: %r", run_id, TimeoutError())
    return None


async def _settle(
    runs: AsyncRuns,
    run_id: str,
    state: str | None,
    decide: Callable[[str], str | None],
    attempt: Callable[[Callable[[], Awaitable[ScenarioRunView]], str], Awaitable[ScenarioRunView]],
) -> ScenarioRunView | None:
    view: ScenarioRunView | None = None
    for _ in range(4):  # a run moves forward a few states at most
        if state is None:
            view = await attempt(lambda: runs.retrieve(run_id), f"retrieve {run_id}")
            state = view.state
        action = decide(state)
        if action is None:
            return view
        act = runs.complete if action == "complete" else runs.cancel
        call = functools.partial(act, run_id, idempotency_key=new_idempotency_key())
        try:
            return await attempt(call, f"{action} {run_id}")
        except (BadRequestError, ConflictError):
            # It left the state we acted on (scoring finished, another process
            # ended it): read it, and act again only if it still needs ending.
            state = None
    return view
