"""Shared fixtures: async tests run on asyncio through anyio's pytest plugin."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# Speed is measured in benchmarks, never by a test's clock: hypothesis's 200 ms deadline per
# example fails property tests on a loaded machine (CI, pytest-xdist workers on 2 cores).
# Under CI, examples are derandomized and none is stored in the clean clone.
settings.register_profile("runloop", deadline=None, print_blob=True)
settings.register_profile("runloop-ci", settings.get_profile("runloop"), derandomize=True,
                          database=None)  # fmt: skip
settings.load_profile("runloop-ci" if os.environ.get("CI") else "runloop")

# A suite started in the background by a non-interactive shell (`nohup`, `cmd &` in a
# script) inherits SIGINT ignored, and Python then never installs its KeyboardInterrupt
# handler; the Ctrl-C tests (and the processes they start) need it. pytest-xdist's workers
# are started after this runs, so they inherit it.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def anyio_backend() -> str:
    """aiohttp runs on asyncio only."""
    return "asyncio"


# Endpoint coverage: every endpoint of the reference table must be exercised against
# the emulator by some test. Routes are collected while the emulator fixture is still
# alive (before its reset), and checked when the whole default suite ran.
_EXERCISED: set[str] = set()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Any:
    emulator = getattr(item, "funcargs", {}).get("runloop_emulator")
    if emulator is not None:
        _EXERCISED.update(r.route for r in emulator.requests if r.route and r.status)
    yield


def _endpoints() -> set[str]:
    table = json.loads((Path(__file__).parent / "data" / "endpoints.json").read_text())
    return {
        f"{e['http']} {e['path']}"
        for e in table
        if e["present_in_sdk_1_32_0"] and e.get("http") and e.get("path")
    }


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """Under pytest-xdist (controller side): gather what each worker exercised."""
    _EXERCISED.update(getattr(node, "workeroutput", {}).get("runloop_exercised", ()))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller checks the union
        workeroutput["runloop_exercised"] = sorted(_EXERCISED)
        return
    if session.config.getoption("file_or_dir") or session.config.getoption("keyword"):
        return  # a partial run: the check needs the whole suite
    if exitstatus != 0 or session.testscollected < 100:
        return
    missing = sorted(_endpoints() - _EXERCISED)
    if missing:
        print("\nendpoints never exercised against the emulator:", *missing, sep="\n  ")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
