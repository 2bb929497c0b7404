"""The runner's admission gate: one circuit breaker for the whole benchmark run.

When the API fails, every scenario task would otherwise retry on its own and the
queue would keep feeding new scenarios into a dead API. The gate sees every step's
outcome, and every poll of the runner's waits (which poll on through failures):
after ``threshold`` transient failures in a row it *opens* for a backoff (doubling
on every reopening, capped); while open, no step call and no new scenario goes
through. When the pause ends one caller probes; its success closes the gate, its
failure reopens it for longer. If the API has failed without a single success for
``outage_timeout`` seconds, the gate reports an outage and the runner stops (every
run canceled, the benchmark run left resumable).

:class:`GateState` is the pure decision (time is passed in); :class:`Gate` adds the
waiting.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import anyio
import attrs

from .._scope import now
from .._steps import Backoff

__all__ = ["Gate", "GateState", "PROBE_LIMIT"]

#: How long a probe may take before another caller probes instead (a probe whose
#: call ends without an answer about the outage is released at once).
PROBE_LIMIT = 30.0


@attrs.define
class GateState:
    """The breaker's state machine: ``closed`` -> ``open`` -> ``probing`` -> ...

    Attributes:
        backoff: Pause after the n-th opening is ``backoff.delay(n)``.
        threshold: Transient failures in a row that open a closed gate.
        failures: Transient failures since the last success.
        failing_since: When the current run of failures began (``None``: healthy).
        open_until: While ``now`` is before it, nothing goes through.
        openings: Times the gate opened since the last success.
        probe_since: When the current probe was let through (``None``: no probe).
    """

    backoff: Backoff
    threshold: int = 3
    failures: int = 0
    failing_since: float | None = None
    open_until: float = 0.0
    openings: int = 0
    probe_since: float | None = None

    @property
    def is_open(self) -> bool:
        """Whether the gate opened (and has not been closed by a success since)."""
        return self.openings > 0

    def wait_for(self, now: float) -> float:
        """Seconds a caller must wait before trying again (0: go now).

        A caller told 0 while the gate is open is the probe.
        """
        if not self.is_open:
            return 0.0
        if now < self.open_until:
            return self.open_until - now
        if self.probe_since is not None and now - self.probe_since < PROBE_LIMIT:
            return min(1.0, self.backoff.maximum)  # look again soon: the probe may succeed
        self.probe_since = now
        return 0.0

    def succeeded(self) -> None:
        """A call went through: close the gate, forget the failures."""
        self.failures, self.openings = 0, 0
        self.failing_since = self.probe_since = None
        self.open_until = 0.0

    def released(self) -> None:
        """The probe ended without telling whether the API is back (cancelled, refused
        for good, an error of its own): another caller may probe."""
        self.probe_since = None

    def failed(self, now: float, rand: Callable[[], float] = random.random) -> None:
        """A call failed transiently: count it; open (or reopen, longer) when due."""
        self.failures += 1
        if self.failing_since is None:
            self.failing_since = now
        probing = self.probe_since is not None
        if (self.is_open and not probing) or (not self.is_open and self.failures < self.threshold):
            return
        self.openings += 1
        self.probe_since = None
        self.open_until = now + self.backoff.delay(self.openings, rand)

    def outage(self, now: float, limit: float) -> bool:
        """Whether calls have failed, without one success, for ``limit`` seconds."""
        return self.failing_since is not None and now - self.failing_since >= limit


class Gate:
    """:class:`GateState` for async callers: ``await gate.admit()`` before each call."""

    def __init__(self, backoff: Backoff, *, threshold: int = 3) -> None:
        self.state = GateState(backoff=backoff, threshold=threshold)

    async def admit(self) -> None:
        """Return when a call may go through (at once while the API is healthy)."""
        while True:
            pause = self.state.wait_for(now())
            if pause <= 0:
                return
            # Jitter, so the callers let through after a pause do not all come at once.
            await anyio.sleep(pause * (1.0 + 0.25 * random.random()))

    def succeeded(self) -> None:
        """A call went through."""
        self.state.succeeded()

    def failed(self) -> None:
        """A call failed transiently."""
        self.state.failed(now())

    def released(self) -> None:
        """A call ended without a transient failure or a success."""
        self.state.released()

    def outage(self, limit: float) -> bool:
        """Whether the API has failed for ``limit`` seconds without one success."""
        return self.state.outage(now(), limit)
