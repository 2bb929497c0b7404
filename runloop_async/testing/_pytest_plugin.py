"""pytest plugin (entry point ``pytest11``): the ``runloop_emulator`` fixture.

One ``EmulatorThread`` serves the whole session (fast delays: scoring and devbox
boot 0.02 s, job steps 0.02 s); each test gets it freshly ``reset()`` (state,
faults, forced outcomes, request log and any ``configure()`` changes)::

    def test_something(runloop_emulator):
        runloop_emulator.configure(scoring_delay=0.5)  # this test only
        client = AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._config import EmulatorConfig
from ._emulator import EmulatorThread

__all__ = ["FIXTURE_CONFIG", "runloop_emulator"]

#: The configuration of the session emulator behind ``runloop_emulator``.
FIXTURE_CONFIG = EmulatorConfig(
    api_key="test-key", scoring_delay=0.02, devbox_boot_delay=0.02, job_step_delay=0.02
)


@pytest.fixture(scope="session")
def _runloop_emulator_session() -> Iterator[EmulatorThread]:
    """The one emulator thread of the session (private)."""
    with EmulatorThread(FIXTURE_CONFIG) as emulator:
        yield emulator


@pytest.fixture
def runloop_emulator(_runloop_emulator_session: EmulatorThread) -> Iterator[EmulatorThread]:
    """The session's emulator, reset before and after the test."""
    emulator = _runloop_emulator_session
    emulator.reset()
    yield emulator
    emulator.reset()
