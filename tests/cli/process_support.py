"""Child processes for CLI and runner tests: the environment, spawning, waiting."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def child_env(emu: Any | None = None) -> dict[str, str]:
    """This environment without RUNLOOP_*, the checkout importable, the emulator's key."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUNLOOP_")}
    env["PYTHONPATH"] = str(ROOT)
    if emu is not None:
        env["RUNLOOP_API_KEY"] = emu.api_key
        env["RUNLOOP_BASE_URL"] = emu.base_url
    return env


def spawn(*argv: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """``python -m runloop_async ARGV`` with pipes for stdout and stderr."""
    return subprocess.Popen(
        [sys.executable, "-m", "runloop_async", *argv], cwd=ROOT, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def spawn_script(script: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    """``python SCRIPT`` with pipes for stdout and stderr."""
    return subprocess.Popen(
        [sys.executable, str(script)], cwd=ROOT, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def wait_until(check: Callable[[], bool], timeout: float = 30.0) -> None:
    """Poll ``check`` every 50 ms until it is true.

    Raises:
        AssertionError: still false after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} s")
        time.sleep(0.05)
