"""``runloop-async emulator``: the standalone emulator from ``runloop_async.testing``."""

from __future__ import annotations

import argparse

__all__ = ["run_emulator"]


def run_emulator(args: argparse.Namespace) -> int:
    """Serve the emulator on ``args.host:args.port`` until SIGINT/SIGTERM.

    It prints ``RUNLOOP_BASE_URL=...`` and ``RUNLOOP_API_KEY=...`` once listening.

    Raises:
        OSError: it cannot listen there (one line naming the address and the reason).
    """
    from ..testing.__main__ import main as serve

    try:
        return serve(["--host", args.host, "--port", str(args.port)])
    except OSError as exc:  # port in use, unknown host, address not available
        reason = exc.strerror or str(exc)
        if "in use" in str(exc):
            reason = "address already in use (--port 0 picks a free port)"
        raise OSError(f"cannot serve the emulator on {args.host}:{args.port}: {reason}") from exc
