"""The scripts in ``examples/`` run to the end (each starts its own emulator)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize(
    ("script", "expected"),
    [("quickstart.py", "20 runs listed"), ("benchmark_runner.py", "scenario_id,")],
)
def test_example_script_runs(script: str, expected: str) -> None:
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / script)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert expected in proc.stdout
