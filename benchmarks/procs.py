"""The server processes the samples talk to, and which core each side runs on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs

__all__ = ["Where", "cpus", "emulator", "server"]

ROOT = Path(__file__).resolve().parent.parent


@attrs.frozen
class Where:
    """The payload server's URL and the cores of servers and clients (None: unpinned)."""

    url: str
    server_cpu: int | None
    client_cpu: int | None


def cpus() -> tuple[int | None, int | None]:
    """(server core, client core): two different cores when there are two."""
    if not hasattr(os, "sched_getaffinity"):
        return None, None
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return None, None
    return cores[-1], cores[0]


def _pinned(cmd: list[str], cpu: int | None) -> list[str]:
    return cmd + (["--cpu", str(cpu)] if cpu is not None else [])


@contextmanager
def _started(cmd: list[str], ready: str) -> Iterator[tuple[list[str], subprocess.Popen[str]]]:
    """Start ``cmd``; yield the words after ``ready`` on its first line, and the process."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith(ready + " "):
            raise RuntimeError(f"{' '.join(cmd[1:4])} did not start: {line!r}")
        yield line.split()[1:], proc
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(timeout=60)


@contextmanager
def server(cpu: int | None) -> Iterator[str]:
    """The payload server in its own process; yields its base URL."""
    with _started(_pinned([sys.executable, "-m", "benchmarks.server"], cpu), "PORT") as (
        words,
        _,
    ):
        yield f"http://127.0.0.1:{words[0]}"


@contextmanager
def emulator(scenarios: int, cpu: int | None) -> Iterator[tuple[str, str, dict[str, int]]]:
    """A fresh emulator process with ``scenarios`` scenarios in one benchmark.

    Yields (base URL, benchmark id, request counts by route); the counts are filled
    in when the block ends and the emulator has been stopped.
    """
    cmd = _pinned([sys.executable, "-m", "benchmarks.emulator", str(scenarios)], cpu)
    counts: dict[str, int] = {}
    with _started(cmd, "READY") as (words, proc):
        try:
            yield words[0], words[1], counts
        finally:
            proc.terminate()
            assert proc.stdout is not None
            tail = proc.stdout.read().strip()
            if tail:
                counts.update(json.loads(tail.splitlines()[-1]))
