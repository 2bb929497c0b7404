"""The command line without a server: help, usage errors, configuration, import cost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from runloop_async import BenchmarkResult, InvalidArgumentError, ScenarioResult
from runloop_async.__main__ import main
from runloop_async._cli._bench import load_agent, save_result
from runloop_async._cli._parser import build_parser

ROOT = Path(__file__).resolve().parents[2]


def test_help_and_version_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "benchmark-runs" in capsys.readouterr().out
    assert main(["--version"]) == 0
    assert "runloop-async" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [[], ["runs"], ["runs", "frob"], ["runs", "list", "--limit", "x"], ["runs", "get"],
     ["runs", "list", "--json", "--jsonl"], ["benchmarks", "run", "bmd_1"]],
)  # fmt: skip
def test_usage_errors_exit_two(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1  # one line, not argparse's usage block
    assert "error:" in err
    assert "--help" in err


def test_missing_key_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("RUNLOOP_API_KEY", raising=False)
    assert main(["scenarios", "list"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "RUNLOOP_API_KEY" in err
    assert "Traceback" not in err


def test_subprocess_entry_point_missing_key() -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "runloop_async", "runs", "list"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=30,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("runloop-async: no API key")
    assert proc.stdout == ""


def test_help_does_not_import_rich_or_the_runner() -> None:
    code = (
        "import sys; from runloop_async.__main__ import main\n"
        "try: main(['--help'])\nexcept SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'"
        " or m.startswith('runloop_async._cli._') and m != 'runloop_async._cli._parser'))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=30
    )
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_every_leaf_command_has_a_handler() -> None:
    from runloop_async._cli._commands import COMMANDS

    parser = build_parser()
    groups = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    leaves = {
        (g, c)
        for g, p in groups.items()
        if g not in ("emulator", "demo", "compare", "report")  # top-level commands
        for c in p._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    }
    assert leaves == set(COMMANDS)


def test_load_agent(tmp_path: Path) -> None:
    assert load_agent("noop").__name__ == "_noop_agent"
    file = tmp_path / "my_agent.py"
    file.write_text("def solve(ctx):\n    return None\n")
    assert load_agent(f"{file}:solve").__name__ == "solve"
    for bad in ("nocolon", f"{file}:missing", "no_such_module_xyz:f", ":f"):
        with pytest.raises(InvalidArgumentError):
            load_agent(bad)


def test_save_result_by_extension(tmp_path: Path) -> None:
    result = BenchmarkResult(rows=[ScenarioResult(scenario_id="a", state="completed", score=1.0)])
    for ext in ("json", "jsonl", "csv"):
        save_result(result, str(tmp_path / f"r.{ext}"))
        assert (tmp_path / f"r.{ext}").read_text()
    with pytest.raises(InvalidArgumentError):
        save_result(result, str(tmp_path / "r.txt"))
