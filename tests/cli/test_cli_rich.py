"""The rich rendering (used on a terminal) works with the rich the cli extra allows."""

from __future__ import annotations

import io

import pytest

from runloop_async import RunnerProgress

pytest.importorskip("rich")


def test_print_table_renders_every_cell() -> None:
    from runloop_async._cli._rich import print_table

    out = io.StringIO()
    print_table(out, ["id", "state", "error"], [["scr_1", "scored", "x" * 200], ["scr_2", "-", ""]])
    text = out.getvalue()
    for cell in ("scr_1", "scored", "scr_2"):
        assert cell in text
    assert "x" * 200 not in text  # the last column gives way


def test_live_progress_draws_the_panel() -> None:
    from runloop_async._cli._rich import LiveProgress

    progress = RunnerProgress(total=4)
    progress.passed = 3
    out = io.StringIO()
    with LiveProgress(progress, "benchmark bmd_1", out):
        progress.failed = 1
    text = out.getvalue()
    assert "benchmark bmd_1" in text
    assert "pass 75%" in text
    assert "fail 25%" in text
