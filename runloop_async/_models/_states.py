"""Known values of the API's enum-like fields.

Models type these fields as plain ``str`` so a value added by a newer server is kept
instead of failing validation. The classes below are namespaces of the values this
SDK knows about, plus handy groupings (``TERMINAL`` and friends). Compare with ``==``
or ``in``::

    if run.state in ScenarioRunState.TERMINAL: ...
    if run.state == ScenarioRunState.SCORED: ...
"""

from typing import Final

__all__ = [
    "Architecture",
    "BenchmarkJobState",
    "BenchmarkRunState",
    "BenchmarkStatus",
    "DevboxStatus",
    "OnIdle",
    "ResourceSize",
    "ScenarioOutcomeState",
    "ScenarioRunState",
    "ScenarioStatus",
    "ScoringFunctionResultState",
    "ValidationType",
]


class ScenarioRunState:
    """States of a scenario run (``ScenarioRunView.state``).

    ``running`` -> ``scoring`` -> ``scored`` -> ``completed``; ``canceled``, ``timeout``
    and ``failed`` end a run early. ``scored`` is not terminal: ``complete`` still has
    to shut the devbox down.
    """

    RUNNING: Final = "running"
    SCORING: Final = "scoring"
    SCORED: Final = "scored"
    COMPLETED: Final = "completed"
    CANCELED: Final = "canceled"
    TIMEOUT: Final = "timeout"
    FAILED: Final = "failed"
    ALL: Final = frozenset({RUNNING, SCORING, SCORED, COMPLETED, CANCELED, TIMEOUT, FAILED})
    #: States a run never leaves.
    TERMINAL: Final = frozenset({COMPLETED, CANCELED, TIMEOUT, FAILED})


class BenchmarkRunState:
    """States of a benchmark run (``BenchmarkRunView.state``, ``InProgressRun.state``)."""

    RUNNING: Final = "running"
    CANCELED: Final = "canceled"
    COMPLETED: Final = "completed"
    FAILED: Final = "failed"
    ALL: Final = frozenset({RUNNING, CANCELED, COMPLETED, FAILED})
    #: States a run never leaves.
    TERMINAL: Final = frozenset({CANCELED, COMPLETED, FAILED})


class BenchmarkJobState:
    """States of a benchmark job (``BenchmarkJobView.state``).

    Note the spelling ``cancelled`` (two l's), unlike every other state enum of the API.
    """

    INITIALIZING: Final = "initializing"
    QUEUED: Final = "queued"
    RUNNING: Final = "running"
    COMPLETED: Final = "completed"
    FAILED: Final = "failed"
    CANCELLED: Final = "cancelled"
    TIMEOUT: Final = "timeout"
    ALL: Final = frozenset({INITIALIZING, QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT})
    #: States a job never leaves.
    TERMINAL: Final = frozenset({COMPLETED, FAILED, CANCELLED, TIMEOUT})


class ScenarioOutcomeState:
    """Per-scenario outcome states inside a benchmark job (upper case on the wire)."""

    COMPLETED: Final = "COMPLETED"
    FAILED: Final = "FAILED"
    TIMEOUT: Final = "TIMEOUT"
    CANCELED: Final = "CANCELED"
    ALL: Final = frozenset({COMPLETED, FAILED, TIMEOUT, CANCELED})


class DevboxStatus:
    """Statuses of a devbox (``DevboxView.status``).

    ``scheduled`` is deprecated in favour of ``queued``. ``BOOTING`` and ``TERMINAL``
    are the groupings the official SDK's readiness helpers use.
    """

    SCHEDULED: Final = "scheduled"
    QUEUED: Final = "queued"
    PROVISIONING: Final = "provisioning"
    INITIALIZING: Final = "initializing"
    RUNNING: Final = "running"
    SUSPENDING: Final = "suspending"
    SUSPENDED: Final = "suspended"
    RESUMING: Final = "resuming"
    FAILURE: Final = "failure"
    SHUTDOWN: Final = "shutdown"
    ALL: Final = frozenset(
        {
            SCHEDULED,
            QUEUED,
            PROVISIONING,
            INITIALIZING,
            RUNNING,
            SUSPENDING,
            SUSPENDED,
            RESUMING,
            FAILURE,
            SHUTDOWN,
        }
    )
    #: Allocating and booting.
    BOOTING: Final = frozenset({PROVISIONING, INITIALIZING})
    #: No compute in use; the devbox will not become ``running`` on its own.
    TERMINAL: Final = frozenset({SUSPENDED, FAILURE, SHUTDOWN})


class ScoringFunctionResultState:
    """States of one scoring function's result (``ScoringFunctionResultView.state``)."""

    UNKNOWN: Final = "unknown"
    COMPLETE: Final = "complete"
    ERROR: Final = "error"
    ALL: Final = frozenset({UNKNOWN, COMPLETE, ERROR})


class ScenarioStatus:
    """Statuses of a scenario (``ScenarioView.status``); archived ones cannot be updated."""

    ACTIVE: Final = "active"
    ARCHIVED: Final = "archived"
    ALL: Final = frozenset({ACTIVE, ARCHIVED})


class BenchmarkStatus:
    """Statuses of a benchmark (``BenchmarkView.status``); archived ones cannot be run."""

    ACTIVE: Final = "active"
    ARCHIVED: Final = "archived"
    ALL: Final = frozenset({ACTIVE, ARCHIVED})


class ValidationType:
    """Values of ``validation_type`` on scenarios (how the reference output is applied)."""

    UNSPECIFIED: Final = "UNSPECIFIED"
    FORWARD: Final = "FORWARD"
    REVERSE: Final = "REVERSE"
    EVALUATION: Final = "EVALUATION"
    ALL: Final = frozenset({UNSPECIFIED, FORWARD, REVERSE, EVALUATION})


class ResourceSize:
    """Values of ``LaunchParameters.resource_size_request``.

    X_SMALL is 0.5 CPU / 1 GiB / 4 GiB disk, SMALL 1/2/4, MEDIUM 2/4/8, LARGE 2/8/16,
    X_LARGE 4/16/16, XX_LARGE 8/32/16; CUSTOM_SIZE uses the ``custom_*`` fields.
    """

    X_SMALL: Final = "X_SMALL"
    SMALL: Final = "SMALL"
    MEDIUM: Final = "MEDIUM"
    LARGE: Final = "LARGE"
    X_LARGE: Final = "X_LARGE"
    XX_LARGE: Final = "XX_LARGE"
    CUSTOM_SIZE: Final = "CUSTOM_SIZE"
    ALL: Final = frozenset({X_SMALL, SMALL, MEDIUM, LARGE, X_LARGE, XX_LARGE, CUSTOM_SIZE})


class Architecture:
    """Values of ``LaunchParameters.architecture`` (the server default is ``x86_64``)."""

    X86_64: Final = "x86_64"
    ARM64: Final = "arm64"
    ALL: Final = frozenset({X86_64, ARM64})


class OnIdle:
    """Values of ``AfterIdle.on_idle``: what happens to an idle devbox."""

    SHUTDOWN: Final = "shutdown"
    SUSPEND: Final = "suspend"
    ALL: Final = frozenset({SHUTDOWN, SUSPEND})
