"""``python -m runloop_async.testing``: serve the emulator until SIGINT/SIGTERM.

Prints two lines, ``RUNLOOP_BASE_URL=http://127.0.0.1:PORT`` and
``RUNLOOP_API_KEY=KEY``, once it is listening, then serves; exits 0 on a signal.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence

from ._config import EmulatorConfig
from ._emulator import Emulator

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m runloop_async.testing",
        description="Serve the stateful Runloop evaluation API emulator.",
    )
    defaults = EmulatorConfig()
    parser.add_argument("--host", default=defaults.host, help="interface to bind")
    parser.add_argument("--port", type=int, default=0, help="TCP port (0: pick a free one)")
    parser.add_argument("--api-key", default=defaults.api_key, help="bearer token to accept")
    parser.add_argument("--scoring-delay", type=float, default=defaults.scoring_delay)
    parser.add_argument("--devbox-boot-delay", type=float, default=defaults.devbox_boot_delay)
    parser.add_argument("--job-step-delay", type=float, default=defaults.job_step_delay)
    parser.add_argument("--max-wait-hold", type=float, default=defaults.max_wait_hold)
    return parser


async def _serve(config: EmulatorConfig) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with Emulator(config) as emu:
        print(f"RUNLOOP_BASE_URL={emu.base_url}", flush=True)
        print(f"RUNLOOP_API_KEY={emu.api_key}", flush=True)
        await stop.wait()


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and serve until interrupted; returns the exit status.

    Raises:
        OSError: it cannot listen on the address (port in use, unknown host).
    """
    args = _parser().parse_args(argv)
    config = EmulatorConfig(
        api_key=args.api_key,
        host=args.host,
        port=args.port,
        scoring_delay=args.scoring_delay,
        devbox_boot_delay=args.devbox_boot_delay,
        job_step_delay=args.job_step_delay,
        max_wait_hold=args.max_wait_hold,
    )
    asyncio.run(_serve(config))
    return 0


def _script() -> int:
    # As a script, a port in use is one line and exit 3 (the CLI's code for a local
    # resource error), not a traceback; main() itself raises for callers like the CLI.
    try:
        return main()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(f"python -m runloop_async.testing: cannot serve: {reason}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(_script())
