"""Fixtures for the blocking facade: every test must leave no loop thread behind."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

_PLUGIN = "runloop_async.testing._pytest_plugin"


def pytest_configure(config: pytest.Config) -> None:
    """Load the emulator plugin when it is not registered yet (package not installed:
    the ``pytest11`` entry point is then unknown)."""
    manager = config.pluginmanager
    if not (manager.has_plugin("runloop_async") or manager.has_plugin(_PLUGIN)):
        manager.import_plugin(_PLUGIN)


#: Prefix of the thread name every Runloop's loop thread carries.
LOOP_THREAD_PREFIX = "runloop-loop-"


def loop_threads() -> list[threading.Thread]:
    """The Runloop loop threads alive now."""
    return [t for t in threading.enumerate() if t.name.startswith(LOOP_THREAD_PREFIX)]


@pytest.fixture(autouse=True)
def no_leftover_loop_threads() -> Iterator[None]:
    """Fail a test that leaves a Runloop loop thread running."""
    before = set(loop_threads())
    yield
    leftover = [t for t in loop_threads() if t not in before]
    assert leftover == [], f"loop threads left running: {leftover}"
