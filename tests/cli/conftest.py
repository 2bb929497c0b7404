"""Fixtures for CLI tests: ``cli(argv)`` runs the entry point against the emulator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pytest

from runloop_async.__main__ import main


@attrs.frozen
class Ran:
    """What one CLI invocation did."""

    code: int
    out: str
    err: str


@pytest.fixture
def cli(
    runloop_emulator: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Ran]:
    """Call ``main(argv)`` in-process with the emulator's key and URL in the environment."""
    monkeypatch.setenv("RUNLOOP_API_KEY", runloop_emulator.api_key)
    monkeypatch.setenv("RUNLOOP_BASE_URL", runloop_emulator.base_url)

    def run(*argv: str) -> Ran:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run
