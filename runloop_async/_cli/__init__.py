"""The ``runloop-async`` command line (also ``python -m runloop_async``).

Only argparse is imported to parse the command line; rich, the emulator and the
runner's display are imported when a command needs them. Exit codes: 0 ok, 1 API
error (or a failed/canceled watched run), 2 usage or configuration error, 130
interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .._exceptions import ConfigurationError, InvalidArgumentError, RunloopError
from ._parser import build_parser

__all__ = ["main"]

EXIT_OK, EXIT_API, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

_NO_KEY = (
    "runloop-async: no API key: set RUNLOOP_API_KEY (or try `runloop-async demo`, which needs none)"
)


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (``sys.exit(main())``)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        return _fail("runloop-async: interrupted", EXIT_INTERRUPTED)
    except (ConfigurationError, InvalidArgumentError) as exc:
        return _fail(f"runloop-async: {exc}", EXIT_USAGE)
    except RunloopError as exc:
        return _fail(f"runloop-async: error: {exc}", EXIT_API)
    except BrokenPipeError:  # `runloop-async runs list | head`
        sys.stderr.close()
        return EXIT_OK


def _dispatch(args: argparse.Namespace) -> int:
    if args.group == "emulator":
        from ._extras import run_emulator

        return run_emulator(args)
    if args.group == "demo":
        from ._demo import run_demo

        return run_demo(args)
    if args.group in ("compare", "report"):  # files need no key; ids ask for one
        from ._eval import run_eval_command

        return run_eval_command(args)
    if not os.environ.get("RUNLOOP_API_KEY"):
        return _fail(_NO_KEY, EXIT_USAGE)
    return _run_api_command(args)


def _run_api_command(args: argparse.Namespace) -> int:
    import anyio

    from .._client import AsyncRunloop
    from ._commands import COMMANDS
    from ._output import Output

    handler = COMMANDS[(args.group, args.command)]
    out = Output(args.output, plain=args.plain)

    async def go() -> int:
        async with AsyncRunloop() as client:
            return await handler(client, args, out)

    return anyio.run(go)
