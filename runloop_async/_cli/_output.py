"""Rendering: tables for people (rich when installed, plain text otherwise), JSON for
machines. Data goes to stdout; messages and progress go to stderr.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from .._exceptions import InvalidArgumentError
from .._models import (
    BenchmarkJobView,
    BenchmarkRunView,
    BenchmarkView,
    ScenarioRunView,
    ScenarioScorerView,
    ScenarioView,
)

__all__ = [
    "SAVE_SUFFIXES",
    "Column",
    "Output",
    "check_save_path",
    "check_writable",
    "columns_for",
    "fmt_score",
    "fmt_time",
    "has_rich",
    "jsonable",
    "write_with_fallback",
]

#: The extensions ``--save`` writes (JSON, JSON lines, CSV).
SAVE_SUFFIXES = (".json", ".jsonl", ".csv")

Column = tuple[str, Callable[[Any], object]]


def has_rich() -> bool:
    """Whether the optional ``rich`` package is importable."""
    try:
        import rich  # noqa: F401
    except ImportError:
        return False
    return True


def fmt_score(score: float | None) -> str:
    """``0.750`` or ``-``."""
    return "-" if score is None else f"{score:.3f}"


def fmt_time(ms: int | None) -> str:
    """Epoch milliseconds as local ``YYYY-MM-DD HH:MM:SS``, or ``-``."""
    if ms is None:
        return "-"
    return datetime.datetime.fromtimestamp(ms / 1000).strftime("%Y-%m-%d %H:%M:%S")


_COLUMNS: dict[type, list[Column]] = {
    ScenarioView: [("id", lambda v: v.id), ("name", lambda v: v.name),
                   ("status", lambda v: v.status)],
    ScenarioRunView: [("id", lambda v: v.id), ("scenario", lambda v: v.scenario_id),
                      ("state", lambda v: v.state), ("score", lambda v: fmt_score(v.score)),
                      ("name", lambda v: v.name or ""),
                      ("started", lambda v: fmt_time(v.start_time_ms))],
    ScenarioScorerView: [("id", lambda v: v.id), ("type", lambda v: v.type)],
    BenchmarkView: [("id", lambda v: v.id), ("name", lambda v: v.name),
                    ("status", lambda v: v.status),
                    ("scenarios", lambda v: len(v.scenario_ids))],
    BenchmarkRunView: [("id", lambda v: v.id), ("name", lambda v: v.name or ""),
                       ("benchmark", lambda v: v.benchmark_id or ""),
                       ("state", lambda v: v.state), ("score", lambda v: fmt_score(v.score)),
                       ("started", lambda v: fmt_time(v.start_time_ms))],
    BenchmarkJobView: [("id", lambda v: v.id), ("name", lambda v: v.name),
                       ("state", lambda v: v.state),
                       ("created", lambda v: fmt_time(v.create_time_ms))],
}  # fmt: skip


def columns_for(cls: type) -> list[Column]:
    """The table columns for a model class."""
    return _COLUMNS.get(cls, [("value", str)])


def jsonable(obj: Any) -> Any:
    """A model (or list of them) as plain JSON data with the API's wire names."""
    from .._converter import unstructure

    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    return unstructure(obj)


def _cell(value: object) -> str:
    if isinstance(value, (dict, list)):
        text = json.dumps(value, separators=(",", ":"))
        return text if len(text) <= 100 else text[:97] + "..."
    return "-" if value is None else str(value)


class Output:
    """Where and how a command prints.

    Args:
        mode: ``human``, ``json`` or ``jsonl``.
        plain: Never use rich, even when it is installed and stdout is a terminal.
    """

    def __init__(
        self, mode: str = "human", *, plain: bool = False, out: TextIO | None = None
    ) -> None:
        self.mode = mode
        self.plain = plain
        self.out = out or sys.stdout
        self.fancy = not plain and mode == "human" and self.out.isatty() and has_rich()

    @property
    def human(self) -> bool:
        """Whether output is for people (tables) rather than machines (JSON)."""
        return self.mode == "human"

    def data(self, obj: Any) -> None:
        """Print JSON data (``--json``) or each item on its own line (``--jsonl``)."""
        if self.mode == "jsonl" and isinstance(obj, list):
            for item in obj:
                self.out.write(json.dumps(item) + "\n")
        else:
            self.out.write(json.dumps(obj, indent=2 if self.mode == "json" else None) + "\n")
        self.out.flush()

    def items(self, items: Sequence[Any], cls: type) -> None:
        """A list of models: a table, or JSON."""
        if not self.human:
            self.data([jsonable(item) for item in items])
            return
        cols = columns_for(cls)
        self.table([c[0] for c in cols], [[_cell(get(i)) for _, get in cols] for i in items])

    def item(self, obj: Any) -> None:
        """One model: field/value lines, or JSON."""
        data = jsonable(obj)
        if not self.human:
            self.data(data)
            return
        self.table(["field", "value"], [[k, _cell(v)] for k, v in data.items()])

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """A table with ``headers`` (rich when available, aligned columns otherwise)."""
        if self.fancy:
            from ._rich import print_table

            print_table(self.out, headers, rows)
            return
        widths = [len(h) for h in headers]
        for row in rows:
            widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
        for row in [list(headers), *rows]:
            line = "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))
            self.out.write(line.rstrip() + "\n")
        self.out.flush()

    def line(self, text: str) -> None:
        """A line of text for people (stdout in human mode, stderr otherwise)."""
        stream = self.out if self.human else sys.stderr
        stream.write(text + "\n")
        stream.flush()


def check_writable(path: str | os.PathLike[str], flag: str) -> Path:
    """Check up front that a file can be created at ``path``; return it as a Path.

    Creates (and removes) a scratch file in the directory, so a missing directory, a
    read-only one or a read-only file system are all caught before any work starts.

    Raises:
        InvalidArgumentError: ``path`` is a directory, or its directory is missing or
            not writable (the message names ``flag``).
    """
    target = Path(path).expanduser()
    if target.is_dir():
        raise InvalidArgumentError(f"{flag} {str(path)!r} is a directory; give a file name")
    folder = target.parent
    if not folder.is_dir():
        raise InvalidArgumentError(
            f"{flag} {str(path)!r}: directory {str(folder)!r} does not exist"
        )
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".runloop-check-"):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InvalidArgumentError(f"{flag} {str(path)!r}: cannot write there ({reason})") from None
    return target


def check_save_path(path: str) -> Path:
    """:func:`check_writable` for ``--save``, which also needs a known extension.

    Raises:
        InvalidArgumentError: another extension, or as :func:`check_writable`.
    """
    if Path(path).suffix.lower() not in SAVE_SUFFIXES:
        raise InvalidArgumentError(f"--save needs a .json, .jsonl or .csv path, got {path!r}")
    return check_writable(path, "--save")


def _fallback_paths(path: str) -> list[Path]:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"runloop-results-{stamp}-{os.getpid()}{Path(path).suffix.lower()}"
    return [Path.cwd() / name, Path(tempfile.gettempdir()) / name]


def write_with_fallback(write: Callable[[str], None], path: str) -> str | None:
    """``write(path)``; if that fails, ``write`` to a fallback file and say where.

    Returns None when ``path`` was written, else the fallback path actually written
    (in the working directory, or the temporary directory), after one line on stderr
    naming both.

    Raises:
        OSError: neither ``path`` nor any fallback could be written.
    """
    try:
        write(path)
        return None
    except OSError as first:
        for fallback in _fallback_paths(path):
            try:
                write(str(fallback))
            except OSError:
                continue
            reason = first.strerror or str(first)
            sys.stderr.write(
                f"runloop-async: could not write {path} ({reason}); "
                f"results written to {fallback} instead\n"
            )
            sys.stderr.flush()
            return str(fallback)
        raise
