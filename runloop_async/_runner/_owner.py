"""Who owns a scenario run: the runner identity written into every run it starts.

Every scenario run a runner starts carries, in its metadata, the runner's id, host,
process id and a lease expiry (the latest time the runner can still be working on
it: its own step deadlines added up). The API has no way to update a run's
metadata, so the lease is fixed at start; no heartbeat is needed because a live
runner never holds a run past its own deadlines.

The rule (pure, :func:`owner_is_live`): a run is held by a *live* runner when the
owner is this runner, or the owner ran on this host and its process still exists
and its lease has not expired, or it ran on another host and its lease has not
expired. Runs without these keys (started by other tools) have no owner.
"""

from __future__ import annotations

import os
import socket
import sys
import time
import uuid
from collections.abc import Callable, Mapping

import attrs

from .._models import ScenarioRunView

__all__ = [
    "META_HOST",
    "META_LEASE",
    "META_PID",
    "META_RUNNER",
    "Owner",
    "owner_is_live",
    "pid_exists",
    "is_mine",
]

META_RUNNER = "runloop_async.runner"
META_HOST = "runloop_async.host"
META_PID = "runloop_async.pid"
META_LEASE = "runloop_async.lease_until"


def pid_exists(pid: int) -> bool:
    """Whether a process with ``pid`` exists on this machine (``True`` when it cannot
    tell: on Windows ``os.kill(pid, 0)`` would not probe but interrupt)."""
    if sys.platform == "win32":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid > 0  # it exists, owned by someone else (or the pid is absurd)
    return True


@attrs.frozen(kw_only=True)
class Owner:
    """A runner's identity, as written into its runs' metadata.

    Attributes:
        runner_id: Random per runner (per :meth:`BenchmarkRunner.run`).
        host: ``socket.gethostname()`` of the runner's machine.
        pid: The runner's process id.
        lease_until: Unix time (s) after which the run is no longer held.
    """

    runner_id: str
    host: str
    pid: int
    lease_until: float

    @classmethod
    def me(cls, lease: float, *, now: float | None = None) -> Owner:
        """A new identity for this process, its lease ``lease`` seconds from now."""
        start = time.time() if now is None else now
        return cls(runner_id=uuid.uuid4().hex[:16], host=socket.gethostname(),
                   pid=os.getpid(), lease_until=start + lease)  # fmt: skip

    def renewed(self, lease: float, *, now: float | None = None) -> Owner:
        """The same identity with a lease ``lease`` seconds from now (for a new run)."""
        start = time.time() if now is None else now
        return attrs.evolve(self, lease_until=start + lease)

    def metadata(self) -> dict[str, str]:
        """The metadata keys a run started by this owner carries."""
        return {META_RUNNER: self.runner_id, META_HOST: self.host, META_PID: str(self.pid),
                META_LEASE: f"{self.lease_until:.0f}"}  # fmt: skip

    @classmethod
    def of(cls, metadata: Mapping[str, str] | None) -> Owner | None:
        """The owner recorded in a run's metadata, or ``None`` (absent or garbled)."""
        meta = metadata or {}
        try:
            return cls(runner_id=meta[META_RUNNER], host=meta.get(META_HOST, ""),
                       pid=int(meta.get(META_PID, "0")),
                       lease_until=float(meta.get(META_LEASE, "0")))  # fmt: skip
        except (KeyError, ValueError):
            return None

    def describe(self) -> str:
        """``runner ab12 (pid 42 on host, lease until 12:00:00)``."""
        until = time.strftime("%H:%M:%S", time.localtime(self.lease_until))
        return f"runner {self.runner_id} (pid {self.pid} on {self.host}, lease until {until})"


def owner_is_live(
    run: ScenarioRunView,
    me: Owner,
    *,
    now: float,
    pid_alive: Callable[[int], bool] = pid_exists,
) -> bool:
    """Whether ``run`` is held by a live runner other than ``me`` (see the module doc)."""
    owner = Owner.of(run.metadata)
    if owner is None or owner.runner_id == me.runner_id:
        return False
    if now >= owner.lease_until:
        return False
    if owner.host == me.host:
        return pid_alive(owner.pid)
    return True


def is_mine(run: ScenarioRunView, me: Owner) -> bool:
    """Whether ``me`` started ``run``."""
    owner = Owner.of(run.metadata)
    return owner is not None and owner.runner_id == me.runner_id
