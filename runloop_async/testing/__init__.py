"""A stateful emulator of Runloop's evaluation API, for tests.

It speaks the wire contract (scenarios, runs, scorers, benchmarks, benchmark
runs and jobs, and the devbox slice scenario runs use) over real HTTP on
loopback, so any HTTP client can talk to it: ours, or the official SDK.

Ways to run it:

* ``async with Emulator() as emu:`` on the current loop (or ``run_emulator()``);
* ``with EmulatorThread() as emu:`` on a thread with its own loop;
* ``python -m runloop_async.testing --port 8080`` as a standalone server;
* the ``runloop_emulator`` pytest fixture (this package's pytest plugin).

Each exposes ``base_url``, ``api_key``, ``faults`` (fault injection), ``requests``
(the request log), ``reset()``, ``configure()``, ``force_*_outcome()`` and
seeding helpers. Errors come back as ``{"error": {"type": ..., "message": ...}}``.
The emulator imports nothing from the SDK: it works on plain JSON.
"""

from __future__ import annotations

from ._config import EmulatorConfig
from ._controls import EmulatorControls
from ._emulator import Emulator, EmulatorThread, run_emulator
from ._faults import FAULT_KINDS, FaultHandle, Faults
from ._server import RequestRecord

__all__ = [
    "Emulator",
    "EmulatorThread",
    "run_emulator",
    "EmulatorConfig",
    "EmulatorControls",
    "Faults",
    "FaultHandle",
    "FAULT_KINDS",
    "RequestRecord",
]
