"""The parts that use the optional ``rich`` package (imported only when it is used)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, TextIO

from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from .._runner import RunnerProgress
from ._progress import tick

__all__ = ["LiveProgress", "print_table"]


def print_table(out: TextIO, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print a rich table to ``out``."""
    table = Table(header_style="bold", show_lines=False)
    for index, header in enumerate(headers):
        if index == len(headers) - 1:  # the last column (errors, values) gives way
            table.add_column(header, no_wrap=True, overflow="ellipsis", max_width=60)
        else:  # ids, states and scores keep their full width
            width = max([len(header), *(len(row[index]) for row in rows)])
            table.add_column(header, no_wrap=True, min_width=min(width, 40))
    for row in rows:
        table.add_row(*row)
    Console(file=out).print(table)


def _panel(progress: RunnerProgress, title: str) -> Group:
    table = Table.grid(padding=(0, 2))
    table.add_row(
        Text(f"{progress.finished}/{progress.total} done", style="bold"),
        Text(f"{progress.count('booting')} booting"),
        Text(f"{progress.count('agent')} agent"),
        Text(f"{progress.count('scoring')} scoring"),
        Text(f"{progress.pending} pending", style="dim"),
        Text(f"{progress.elapsed:.0f}s", style="dim"),
    )
    table.add_row(
        Text(f"pass {progress.percent('passed'):.0f}%", style="green"),
        Text(f"fail {progress.percent('failed'):.0f}%", style="yellow"),
        Text(f"error {progress.percent('errored'):.0f}%", style="red"),
        Text("mean " + ("-" if progress.mean_score is None else f"{progress.mean_score:.3f}")),
    )
    return Group(Text(title, style="bold cyan"), table)


class LiveProgress:
    """A live, self-refreshing panel of a :class:`RunnerProgress` on stderr."""

    def __init__(self, progress: RunnerProgress, title: str, out: TextIO) -> None:
        self._progress = progress
        self._title = title
        self._started = time.monotonic()
        self._live = Live(
            get_renderable=self._render,
            console=Console(file=out),
            refresh_per_second=4,
            transient=False,
        )

    def _render(self) -> Group:
        # The clock moves with time, not only on events (an agent phase has none).
        tick(self._progress, self._started)
        return _panel(self._progress, self._title)

    def __enter__(self) -> LiveProgress:
        self._live.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._live.__exit__(*exc)
