"""The ``runloop-async`` command line (also ``python -m runloop_async``).

Only argparse is imported to parse the command line; rich, the emulator and the
runner's display are imported when a command needs them.

Every error ends the command with one line on stderr and a documented exit code:
0 ok, 1 API error (or a failed/canceled watched run), 2 usage, bad input or
configuration (found before anything was done), 3 local error (a file that cannot be
written, a port in use), 70 internal error (a bug), 130 interrupted. ``--debug`` or
``RUNLOOP_LOG=debug`` adds the traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
import warnings
from collections.abc import Sequence

from .._exceptions import ConfigurationError, InvalidArgumentError, RunloopError
from ._parser import build_parser

__all__ = ["error_outcome", "main"]

EXIT_OK, EXIT_API, EXIT_USAGE, EXIT_LOCAL = 0, 1, 2, 3
EXIT_INTERNAL, EXIT_INTERRUPTED = 70, 130

_NO_KEY = (
    "runloop-async: no API key: set RUNLOOP_API_KEY (or try `runloop-async demo`, which needs none)"
)
_LOG_VALUES = ("info", "debug")


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()
    return code


def _innermost(exc: BaseException) -> BaseException:
    """The one exception inside (nested) single-member exception groups."""
    while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
        exc = exc.exceptions[0]
    return exc


def _one_line(text: str) -> str:
    return " ".join(text.split())


def error_outcome(exc: BaseException) -> tuple[int, str]:
    """The exit code and the one stderr line for an exception a command raised (pure)."""
    exc = _innermost(exc)
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED, "runloop-async: interrupted"
    if isinstance(exc, (ConfigurationError, InvalidArgumentError)):
        return EXIT_USAGE, _one_line(f"runloop-async: {exc}")
    if isinstance(exc, RunloopError):
        return EXIT_API, _one_line(f"runloop-async: error: {exc}")
    if isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        reason = exc.strerror if exc.strerror and exc.filename else str(exc)
        return EXIT_LOCAL, _one_line(f"runloop-async: {reason}{where}")
    if isinstance(exc, ValueError):
        return EXIT_USAGE, _one_line(f"runloop-async: {exc}")
    name = type(exc).__name__
    return EXIT_INTERNAL, _one_line(
        f"runloop-async: internal error: {name}: {exc} (--debug shows the traceback)"
    )


def _debugging(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "debug", False)) or _log_env() == "debug"


def _log_env() -> str:
    return os.environ.get("RUNLOOP_LOG", "").strip().lower()


def _warn_about_log_env() -> None:
    value = _log_env()
    if value and value not in _LOG_VALUES:
        # The library warns about it too, once per value: say it once, our way.
        from .._client import setup_logging_from_env

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            setup_logging_from_env()
        _fail(
            f"runloop-async: warning: RUNLOOP_LOG={os.environ['RUNLOOP_LOG']!r} is ignored; "
            f"use {' or '.join(_LOG_VALUES)} (or unset it)",
            EXIT_OK,
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (``sys.exit(main())``)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    _warn_about_log_env()
    try:
        return _dispatch(args)
    except BrokenPipeError:  # `runloop-async runs list | head`
        sys.stderr.close()
        return EXIT_OK
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except BaseException as exc:  # every error: one line and its exit code
        if _debugging(args):
            traceback.print_exception(exc)
        code, message = error_outcome(exc)
        return _fail(message, code)


def _dispatch(args: argparse.Namespace) -> int:
    if args.group == "emulator":
        from ._emulator import run_emulator

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
