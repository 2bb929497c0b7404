"""``runloop-async emulator``: the standalone emulator from ``runloop_async.testing``."""

from __future__ import annotations

import argparse

__all__ = ["run_emulator"]


def run_emulator(args: argparse.Namespace) -> int:
    """Serve the emulator on ``args.host:args.port`` until SIGINT/SIGTERM.

    It prints ``RUNLOOP_BASE_URL=...`` and ``RUNLOOP_API_KEY=...`` once listening.
    """
    from ..testing.__main__ import main as serve

    return serve(["--host", args.host, "--port", str(args.port)])
