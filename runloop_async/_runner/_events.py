"""Progress events of the benchmark runner, and a pure tally of them.

Every step of every scenario produces one :class:`RunnerEvent`. A consumer gets them
through ``on_event=`` (a plain or async callable) or :meth:`BenchmarkRunner.subscribe`
(an async iterator). :class:`RunnerProgress` folds events into counts, which is what
a live display (``rli bmj watch`` style) shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, Literal, TypeAlias

import attrs

from ._results import OutcomeName

__all__ = ["EventCallback", "EventKind", "EventKindName", "RunnerEvent", "RunnerProgress"]


EventKindName: TypeAlias = Literal[
    "run_started", "skipped", "started", "env_ready", "agent_done", "scoring", "scored",
    "completed", "failed", "retrying", "run_finished",
]  # fmt: skip
"""The type of an event's kind: one of the :class:`EventKind` values."""


class EventKind:
    """Kinds of :class:`RunnerEvent`, in the order a scenario goes through them.

    Per scenario: ``started`` (run started, devbox booting) -> ``env_ready`` (devbox
    running) -> ``agent_done`` -> ``scoring`` -> ``scored`` (``score`` set) ->
    ``completed`` (``outcome`` set). ``failed`` replaces the rest when any step raises
    (``error`` and ``phase`` set); ``retrying`` instead, when the devbox failed to
    start and ``env_retries`` allow another run (the scenario starts over);
    ``skipped`` is a scenario already done in a resumed benchmark run. Per runner:
    ``run_started`` first (``benchmark_run_id``, ``total``) and ``run_finished`` last.
    """

    RUN_STARTED: Final = "run_started"
    SKIPPED: Final = "skipped"
    STARTED: Final = "started"
    ENV_READY: Final = "env_ready"
    AGENT_DONE: Final = "agent_done"
    SCORING: Final = "scoring"
    SCORED: Final = "scored"
    COMPLETED: Final = "completed"
    FAILED: Final = "failed"
    RETRYING: Final = "retrying"
    RUN_FINISHED: Final = "run_finished"
    #: Kinds after which a scenario is finished.
    FINAL: Final = frozenset({SKIPPED, COMPLETED, FAILED})


@attrs.frozen(kw_only=True)
class RunnerEvent:
    """One step of the runner. Fields that do not apply are ``None``.

    Attributes:
        kind: One of :class:`EventKind`.
        at: Seconds since the runner started.
        scenario_id, scenario_name: The scenario (``None`` on runner-level events).
        attempt: Which attempt at the scenario (1..``attempts``) a scenario-level
            event is about; ``None`` on runner-level events.
        run_id, devbox_id: The scenario run and its devbox, once started.
        state: The scenario run's last known state.
        score: The score (``scored``, ``completed``, ``skipped``).
        outcome: ``passed``/``failed``/``errored`` on final events.
        error: ``"ExceptionType: message"`` on ``failed`` and ``retrying``.
        phase: Where a ``failed`` scenario failed: ``start``, ``env``, ``agent``,
            ``scoring``, ``complete`` (``env`` on ``retrying``).
        elapsed: Seconds since this scenario started.
        benchmark_run_id: On ``run_started`` / ``run_finished``.
        total: Attempts to account for, on ``run_started``: the scenarios selected
            times the attempts per scenario.
    """

    kind: EventKindName
    at: float
    scenario_id: str | None = None
    scenario_name: str | None = None
    attempt: int | None = None
    run_id: str | None = None
    devbox_id: str | None = None
    state: str | None = None
    score: float | None = None
    outcome: OutcomeName | None = None
    error: str | None = None
    phase: str | None = None
    elapsed: float | None = None
    benchmark_run_id: str | None = None
    total: int | None = None


EventCallback: TypeAlias = Callable[[RunnerEvent], Any]
"""``on_event``: a plain or async callable taking a :class:`RunnerEvent`."""

_PHASE_OF_KIND = {
    EventKind.STARTED: "booting",
    EventKind.ENV_READY: "agent",
    EventKind.AGENT_DONE: "scoring",
    EventKind.SCORING: "scoring",
    EventKind.SCORED: "completing",
    EventKind.RETRYING: "booting",
}


@attrs.define
class RunnerProgress:
    """Running counts of a benchmark run, folded from events (pure; no I/O).

    With ``attempts`` above 1, each attempt at a scenario counts as one item: the
    counts are of attempts.

    Attributes:
        total: Attempts to account for: scenarios selected times attempts (set by
            ``run_started``).
        phases: Key of each attempt in flight (its scenario id, ``"id#n"`` for
            attempt ``n`` > 1) -> its phase (``booting``, ``agent``, ``scoring``,
            ``completing``).
        passed, failed, errored, skipped: Finished attempts by outcome
            (``skipped`` ones are also counted in their outcome).
        score_sum, scored: Sum and count of scores seen on final events.
        elapsed: ``at`` of the latest event.
    """

    total: int = 0
    phases: dict[str, str] = attrs.Factory(dict)
    passed: int = 0
    failed: int = 0
    errored: int = 0
    skipped: int = 0
    score_sum: float = 0.0
    scored: int = 0
    elapsed: float = 0.0

    def apply(self, event: RunnerEvent) -> None:
        """Fold one event into the counts."""
        self.elapsed = max(self.elapsed, event.at)
        if event.kind == EventKind.RUN_STARTED:
            self.total = event.total or 0
            return
        if event.scenario_id is None:
            return
        sid = event.scenario_id
        if event.attempt is not None and event.attempt > 1:
            sid = f"{sid}#{event.attempt}"
        if event.kind in EventKind.FINAL:
            self.phases.pop(sid, None)
            self._finish(event)
        elif event.kind in _PHASE_OF_KIND:
            self.phases[sid] = _PHASE_OF_KIND[event.kind]

    def _finish(self, event: RunnerEvent) -> None:
        if event.kind == EventKind.SKIPPED:
            self.skipped += 1
        if event.outcome == "passed":
            self.passed += 1
        elif event.outcome == "failed":
            self.failed += 1
        else:
            self.errored += 1
        if event.score is not None:
            self.score_sum += event.score
            self.scored += 1

    @property
    def finished(self) -> int:
        """Attempts (scenarios, with one attempt each) finished, whatever the outcome."""
        return self.passed + self.failed + self.errored

    @property
    def in_flight(self) -> int:
        """Attempts started and not finished."""
        return len(self.phases)

    @property
    def pending(self) -> int:
        """Attempts not started yet."""
        return max(0, self.total - self.finished - self.in_flight)

    def count(self, phase: str) -> int:
        """Attempts in flight in ``phase`` (``booting``, ``agent``, ``scoring``, ...)."""
        return sum(1 for p in self.phases.values() if p == phase)

    def percent(self, outcome: str) -> float:
        """Share of finished attempts with ``outcome`` (0-100; 0 when none finished)."""
        count = {"passed": self.passed, "failed": self.failed, "errored": self.errored}[outcome]
        return 100.0 * count / self.finished if self.finished else 0.0

    @property
    def mean_score(self) -> float | None:
        """Mean of the scores seen so far, or ``None``."""
        return self.score_sum / self.scored if self.scored else None

    def summary(self) -> str:
        """One line: ``42/100 done | 8 booting 5 agent 3 scoring | pass 70% ...``."""
        flight = " ".join(f"{self.count(p)} {p}" for p in ("booting", "agent", "scoring"))
        mean = "-" if self.mean_score is None else f"{self.mean_score:.3f}"
        return (
            f"{self.finished}/{self.total} done | {flight} | {self.pending} pending | "
            f"pass {self.percent('passed'):.0f}% fail {self.percent('failed'):.0f}% "
            f"error {self.percent('errored'):.0f}% | mean {mean} | {self.elapsed:.0f}s"
        )
