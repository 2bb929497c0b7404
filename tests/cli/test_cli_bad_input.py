"""Absurd input to every command: one clear line on stderr, the documented exit code,
no traceback, and nothing done (no request sent) when the input is rejected up front.
"""

from __future__ import annotations

import argparse
import errno
import json
import math
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runloop_async import APIStatusError, InvalidArgumentError
from runloop_async.__main__ import main
from runloop_async._cli import error_outcome
from runloop_async._cli._commands import logs_path
from runloop_async._cli._parser import count, id_list, seconds

Cli = Callable[..., Any]
MISSING = "/nonexistent/dir"


def one_line(err: str) -> str:
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return err.strip()


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


REJECTED = [
    ("scenarios", "list", "--limit", "-1"),
    ("runs", "list", "--limit", "x"),
    ("runs", "score", "scr_1", "--wait", "--timeout", "-5"),
    ("runs", "score", "scr_1", "--wait", "--timeout", "nan"),
    ("runs", "score", "scr_1", "--wait", "--timeout", "inf"),
    ("runs", "logs", "scr_1", "-o", f"{MISSING}/x.zip"),
    ("benchmark-runs", "watch", "bmr_1", "--interval", "-1"),
    ("benchmark-runs", "watch", "bmr_1", "--interval", "0"),  # would busy-poll
    ("benchmark-runs", "watch", "bmr_1", "--interval", "0.01"),
    ("benchmark-runs", "watch", "bmr_1", "--timeout", "-1"),
    ("benchmarks", "run", "bmd_1", "--agent", "noop", "--save", f"{MISSING}/x.csv"),
    ("benchmarks", "run", "bmd_1", "--agent", "noop", "--save", "results.txt"),
    ("benchmarks", "run", "bmd_1", "--agent", "noop", "--concurrency", "0"),
    ("benchmarks", "run", "bmd_1", "--agent", "noop", "--env-timeout", "-1"),
    ("benchmarks", "run", "bmd_1", "--agent", "noop", "--env-retries", "-1"),
    ("benchmarks", "run", "bmd_1", "--agent", "noop", "--scoring-timeout", "0"),
    ("benchmarks", "run", "bmd_1", "--agent", "noop", "--agent-timeout", "nan"),
    ("benchmarks", "run", "bmd_1", "--agent", "noop", "--scenarios", " , ,"),
    ("benchmarks", "run", "bmd_1", "--agent", "noop", "--shard", "5/2"),
    ("benchmarks", "run", "bmd_1", "--agent", "no_such_module_xyz:f"),
    ("emulator", "--port", "70000"),
    ("emulator", "--port", "-1"),
    ("demo", "--scenarios", "0"),
    ("demo", "--scenarios", "-1"),
    ("demo", "--concurrency", "0"),
    ("demo", "--save", f"{MISSING}/x.csv"),
]


@pytest.mark.parametrize("argv", REJECTED, ids=[" ".join(a) for a in REJECTED])
def test_bad_input_is_one_line_exit_two_and_nothing_is_sent(
    argv: tuple[str, ...], cli: Cli, runloop_emulator: Any, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    ran = cli(*argv)
    assert ran.code == 2, ran.err
    line = one_line(ran.err)
    assert line.startswith("runloop-async")
    assert ran.out == ""
    assert runloop_emulator.requests == []


def test_save_to_a_missing_directory_is_refused_before_the_benchmark_starts(
    cli: Cli, runloop_emulator: Any
) -> None:
    bench = runloop_emulator.add_benchmark(
        "b", scenario_ids=[runloop_emulator.add_scenario()["id"]]
    )
    ran = cli("benchmarks", "run", bench["id"], "--agent", "noop", "--no-live",
              "--save", f"{MISSING}/x.csv")  # fmt: skip
    assert ran.code == 2
    assert "does not exist" in one_line(ran.err)
    assert runloop_emulator.requests == []  # no run was started


def test_results_survive_a_save_that_fails_at_the_end(
    cli: Cli, runloop_emulator: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    ids = [runloop_emulator.add_scenario(f"keep-{i}")["id"] for i in range(3)]
    bench = runloop_emulator.add_benchmark("b", scenario_ids=ids)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    agent = tmp_path / "vanishing.py"  # the save directory disappears while it runs
    agent.write_text(f"import shutil\n\ndef agent(ctx):\n    shutil.rmtree({str(out_dir)!r}, "
                     "ignore_errors=True)\n")  # fmt: skip
    ran = cli("benchmarks", "run", bench["id"], "--agent", f"{agent}:agent", "--no-live",
              "--plain", "--save", str(out_dir / "results.jsonl"))  # fmt: skip
    assert ran.code == 3
    assert "3 scenarios: 3 passed" in ran.out  # the table was printed
    assert "Traceback" not in ran.err
    line = ran.err.strip().splitlines()[-1]  # after the runner's "started; to resume" line
    assert "results written to" in line
    fallback = Path(line.rsplit("results written to ", 1)[1].removesuffix(" instead"))
    rows = [json.loads(x) for x in fallback.read_text().splitlines()]
    assert sorted(r["scenario_id"] for r in rows) == sorted(ids)
    assert fallback.parent == tmp_path  # the working directory first


def test_runs_logs_into_a_directory_writes_id_zip(tmp_path: Path) -> None:
    assert logs_path("scr_1", str(tmp_path)) == tmp_path / "scr_1.zip"
    assert logs_path("scr_1", str(tmp_path / "a.zip")) == tmp_path / "a.zip"
    with pytest.raises(InvalidArgumentError, match="does not exist"):
        logs_path("scr_1", f"{MISSING}/a.zip")


def test_emulator_on_a_port_in_use_is_one_line_exit_three(
    busy_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["emulator", "--port", str(busy_port)]) == 3
    line = one_line(capsys.readouterr().err)
    assert f"127.0.0.1:{busy_port}" in line
    assert "already in use" in line


def test_debug_adds_the_traceback(
    busy_port: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["emulator", "--port", str(busy_port), "--debug"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert err.strip().splitlines()[-1].startswith("runloop-async: cannot serve")
    monkeypatch.setenv("RUNLOOP_LOG", "debug")
    assert main(["emulator", "--port", str(busy_port)]) == 3
    assert "Traceback" in capsys.readouterr().err


def test_unknown_runloop_log_value_is_named_with_the_allowed_ones(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUNLOOP_LOG", "verbose")
    ran = cli("scenarios", "list", "--json")
    assert ran.code == 0
    line = one_line(ran.err)
    assert "RUNLOOP_LOG='verbose'" in line
    assert "info or debug" in line
    assert ran.err.count("RUNLOOP_LOG") == 1  # the library's own warning is not repeated


def test_error_outcomes() -> None:
    assert error_outcome(InvalidArgumentError("bad"))[0] == 2
    api = APIStatusError("Error code: 404 - gone", method="GET", path="/v1/x", status_code=404)
    assert error_outcome(api)[0] == 1
    grouped = ExceptionGroup("tg", [ExceptionGroup("inner", [api])])
    assert error_outcome(grouped) == error_outcome(api)
    missing = FileNotFoundError(errno.ENOENT, "No such file or directory", "/x/y.csv")
    assert error_outcome(missing) == (3, "runloop-async: No such file or directory: /x/y.csv")
    assert error_outcome(ValueError("nope\nsecond line")) == (2, "runloop-async: nope second line")
    code, line = error_outcome(RuntimeError("bug"))
    assert code == 70
    assert "--debug" in line
    assert error_outcome(KeyboardInterrupt())[0] == 130


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_seconds_accepts_exactly_finite_positive_values(value: float) -> None:
    parse = seconds(0.5)
    if math.isfinite(value) and value >= 0.5:
        assert parse(repr(value)) == value
    else:
        with pytest.raises(argparse.ArgumentTypeError):
            parse(repr(value))


@given(st.integers(min_value=-(10**6), max_value=10**6))
def test_count_bounds(value: int) -> None:
    parse = count(1, 10_000)
    if 1 <= value <= 10_000:
        assert parse(str(value)) == value
    else:
        with pytest.raises(argparse.ArgumentTypeError):
            parse(str(value))


def test_id_list_drops_blanks() -> None:
    assert id_list(" a, b ,,c ") == "a,b,c"
    with pytest.raises(argparse.ArgumentTypeError):
        id_list(", ,")


@pytest.mark.parametrize("source", ["def agent(ctx:\n", "raise RuntimeError('at import')\n"])
def test_an_agent_module_that_fails_to_import_is_bad_input(
    source: str, cli: Cli, runloop_emulator: Any, tmp_path: Path
) -> None:
    agent = tmp_path / "broken_agent.py"
    agent.write_text(source)
    ran = cli("benchmarks", "run", "bmd_1", "--agent", f"{agent}:agent", "--no-live")
    assert ran.code == 2
    assert "cannot import agent module" in one_line(ran.err)
    assert runloop_emulator.requests == []
