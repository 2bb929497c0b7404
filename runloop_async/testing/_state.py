"""The emulator's in-memory state: tables, a monotonic clock, timers and ids.

All access goes through ``State.lock`` (a re-entrant threading lock), so the
aiohttp loop thread and a test thread can both use it. Time-based transitions
(devbox boot, scoring, job steps) are timers in a heap, fired lazily by
``tick()`` at the start of every request and by long-poll waiters; each timer
stamps its transition with its own due time, so results do not depend on when
they are observed.
"""

from __future__ import annotations

import heapq
import itertools
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

from ._config import EmulatorConfig
from ._errors import not_found
from ._outcomes import ScoringPlan
from ._paging import Table
from ._records import BenchmarkRun, Devbox, Job, Run

__all__ = ["SCORING_OUTCOMES", "DEVBOX_OUTCOMES", "JOB_OUTCOMES", "State", "Timer"]

Timer = Callable[[float], None]

SCORING_OUTCOMES = frozenset({"scored", "failed", "timeout", "stuck"})
DEVBOX_OUTCOMES = frozenset({"running", "failure", "stuck"})
JOB_OUTCOMES = frozenset({"completed", "failed", "timeout", "cancelled"})


class State:
    """Every resource the emulator knows, guarded by ``lock``."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.lock = threading.RLock()
        self.config = config
        self.notify: Callable[[], None] | None = None
        self.scenarios: Table[dict[str, Any]] = Table("scenario")
        self.scorers: Table[dict[str, Any]] = Table("scorer")
        self.benchmarks: Table[dict[str, Any]] = Table("benchmark")
        self.runs: Table[Run] = Table("scenario run")
        self.devboxes: Table[Devbox] = Table("devbox")
        self.bench_runs: Table[BenchmarkRun] = Table("benchmark run")
        self.jobs: Table[Job] = Table("benchmark job")
        self.runs_of_bench: dict[str, list[Run]] = {}
        self.scoring_forces: dict[str, str] = {}
        self.devbox_forces: dict[str, str] = {}
        self.job_forces: dict[str, str] = {}
        self.scoring_plan = ScoringPlan()
        self._timers: list[tuple[float, int, Timer]] = []
        self._seq = itertools.count()
        self._ids = itertools.count(1)
        self._token = secrets.token_hex(3)
        self._epoch_wall = time.time()
        self._epoch_mono = time.monotonic()

    def reset(self, config: EmulatorConfig) -> None:
        """Forget every resource, timer and forced outcome; take ``config``."""
        with self.lock:
            self.config = config
            for table in (self.scenarios, self.scorers, self.benchmarks, self.runs):
                table.clear()
            for other in (self.devboxes, self.bench_runs, self.jobs):
                other.clear()
            self.runs_of_bench.clear()
            self.scoring_forces.clear()
            self.devbox_forces.clear()
            self.job_forces.clear()
            self.scoring_plan.clear()
            self._timers.clear()
            self._token = secrets.token_hex(3)
        self.changed()

    # -- ids and time -----------------------------------------------------

    def new_id(self, prefix: str) -> str:
        """A fresh id like ``scr_a1b2c3000042`` (unique across resets)."""
        return f"{prefix}_{self._token}{next(self._ids):06d}"

    @staticmethod
    def now() -> float:
        """The monotonic clock every timer uses."""
        return time.monotonic()

    def wall_ms(self, mono: float | None = None) -> int:
        """Unix epoch milliseconds for a monotonic instant (default: now)."""
        at = self.now() if mono is None else mono
        return int((self._epoch_wall + (at - self._epoch_mono)) * 1000)

    # -- timers -----------------------------------------------------------

    def schedule_at(self, due: float, fn: Timer) -> None:
        """Run ``fn(due)`` once the clock passes ``due`` (at the next ``tick``)."""
        heapq.heappush(self._timers, (due, next(self._seq), fn))

    def tick(self) -> None:
        """Fire every due timer, in due order (timers may schedule more)."""
        with self.lock:
            fired = False
            now = self.now()
            while self._timers and self._timers[0][0] <= now:
                due, _, fn = heapq.heappop(self._timers)
                fn(due)
                fired = True
        if fired:
            self.changed()

    def next_due(self) -> float | None:
        """When the earliest pending timer is due, or None."""
        with self.lock:
            return self._timers[0][0] if self._timers else None

    def changed(self) -> None:
        """Tell long-poll waiters that something changed (thread-safe notifier)."""
        notify = self.notify
        if notify is not None:
            notify()

    # -- lookups ----------------------------------------------------------

    def scenario(self, id_: str) -> dict[str, Any]:
        """A scenario (public or not, archived or not), or a 404."""
        found = self.scenarios.get(id_)
        if found is None:
            raise not_found("scenario", id_)
        return found

    def run(self, id_: str) -> Run:
        """A scenario run or a 404."""
        found = self.runs.get(id_)
        if found is None:
            raise not_found("scenario run", id_)
        return found

    def devbox(self, id_: str) -> Devbox:
        """A devbox or a 404."""
        found = self.devboxes.get(id_)
        if found is None:
            raise not_found("devbox", id_)
        return found

    def benchmark(self, id_: str) -> dict[str, Any]:
        """A benchmark or a 404."""
        found = self.benchmarks.get(id_)
        if found is None:
            raise not_found("benchmark", id_)
        return found

    def bench_run(self, id_: str) -> BenchmarkRun:
        """A benchmark run or a 404."""
        found = self.bench_runs.get(id_)
        if found is None:
            raise not_found("benchmark run", id_)
        return found

    def forced(self, table: dict[str, str], *keys: str | None) -> str | None:
        """The first forced outcome registered under any of ``keys``."""
        for key in keys:
            if key is not None and key in table:
                return table[key]
        return None

    def run_keys(self, run: Run) -> tuple[str | None, ...]:
        """Keys a forced outcome may name for ``run``: run id, scenario id, name."""
        scenario = self.scenarios.get(run.scenario_id)
        name = None if scenario is None else scenario.get("name")
        return (run.id, run.scenario_id, name)
