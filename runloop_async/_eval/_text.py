"""Terminal rendering of results, metrics and comparisons: pure functions to text.

Tables come as ``(headers, rows)`` of strings, which the CLI prints with rich when
installed (plain aligned columns otherwise); the summary is ready-made text with
optional ANSI colours.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from .._runner._results import BenchmarkResult, Outcome
from ._compare import Comparison
from ._metrics import Metrics

__all__ = [
    "comparison_lines",
    "comparison_table",
    "metrics_lines",
    "render_summary",
    "result_table",
    "Table",
]

Table = tuple[list[str], list[list[str]]]

_COLOURS: Final = {Outcome.PASSED: "32", Outcome.FAILED: "33", Outcome.ERRORED: "31"}
_MARKS: Final = {Outcome.PASSED: "P", Outcome.FAILED: "F", Outcome.ERRORED: "E"}


def _num(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _points(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:+.1f}"


def _ci(ci: tuple[float, float] | None, pct: bool = False) -> str:
    if ci is None:
        return ""
    show = _pct if pct else _num
    return f" [{show(ci[0])}, {show(ci[1])}]"


def _bar(fraction: float, width: int) -> str:
    full = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * full + "░" * (width - full)


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def metrics_lines(m: Metrics) -> list[str]:
    """The overall figures as short lines: pass rate, pass@k, pass^k, mean score."""
    level = f" ({round(100 * m.confidence)}% CI)"
    lines = [
        f"pass rate (pass@1) {_pct(m.pass_rate)}{_ci(m.pass_rate_ci, pct=True)}"
        + (level if m.pass_rate_ci else ""),
        f"mean score {_num(m.mean_score)}{_ci(m.mean_score_ci)}"
        + (level if m.mean_score_ci else ""),
    ]
    if m.max_k > 1:
        at = "  ".join(f"pass@{k} {_pct(v)}" for k, v in m.pass_at_k.items())
        hat = "  ".join(f"pass^{k} {_pct(v)}" for k, v in m.pass_hat_k.items())
        lines += [at, hat]
    return lines


def render_summary(
    result: BenchmarkResult, *, color: bool = False, width: int = 24, metrics: Metrics | None = None
) -> str:
    """A compact summary of a result for a terminal: one bar per outcome, then the
    metrics (pass rate and mean score with intervals; pass@k and pass^k with attempts).

    Args:
        result: The result to summarise.
        color: Colour the bars with ANSI escapes (for a TTY). Default False.
        width: Bar width in characters. Default 24.
        metrics: Precomputed ``result.metrics()`` (computed when omitted).

    Raises:
        InvalidArgumentError: ``width < 1``.
    """
    from .._exceptions import InvalidArgumentError

    if width < 1:
        raise InvalidArgumentError(f"width must be at least 1, got {width}")
    m = metrics if metrics is not None else result.metrics()
    attempts = f" x {m.max_k} attempts" if m.max_k > 1 else ""
    where = f" · benchmark run {result.benchmark_run_id}" if result.benchmark_run_id else ""
    state = getattr(result.benchmark_run, "state", None)
    where += f" ({state})" if state and where else ""
    lines = [f"{len(m.scenarios)} scenarios{attempts}{where}"]
    for outcome, count in (("passed", m.passed), ("failed", m.failed), ("errored", m.errored)):
        share = count / m.attempts if m.attempts else 0.0
        bar = _paint(_bar(share, width), _COLOURS[outcome], color)
        lines.append(f"{outcome:<8}{bar} {_pct(share):>6} ({count})")
    lines += metrics_lines(m)
    return "\n".join(lines) + "\n"


def result_table(result: BenchmarkResult) -> Table:
    """Rows of a result as a table; an ``attempt`` column when any scenario has several."""
    several = any(row.attempt > 1 for row in result.rows)
    headers = ["scenario", *(["attempt"] if several else []), "run", "state", "score",
               "outcome", "time", "error"]  # fmt: skip
    body = []
    for row in result.rows:
        time = "-" if row.duration_s is None else f"{row.duration_s:.1f}s"
        cells = [row.scenario_name or row.scenario_id, *([str(row.attempt)] if several else []),
                 row.run_id or "-", row.state or "-", _num(row.score), row.outcome, time,
                 (row.error or "")[:60]]  # fmt: skip
        body.append(cells)
    return headers, body


def _marks(outcomes: Sequence[str] | None) -> str:
    return "-" if outcomes is None else "".join(_MARKS.get(o, "?") for o in outcomes)


def comparison_table(cmp: Comparison, *, changed_only: bool = False) -> Table:
    """Per scenario: status, before/after attempts (``P``/``F``/``E``), pass rates and
    the score delta. ``changed_only`` keeps regressions, fixes and one-sided rows."""
    headers = ["scenario", "status", "a", "b", "pass a", "pass b", "score Δ"]
    body = []
    for c in cmp.scenarios:
        if changed_only and c.status in ("passing", "failing"):
            continue
        delta = c.score_delta
        body.append([
            c.scenario_name or c.scenario_id, c.status,
            _marks(None if c.a is None else c.a.outcomes),
            _marks(None if c.b is None else c.b.outcomes),
            "-" if c.a is None else _pct(c.a.pass_rate),
            "-" if c.b is None else _pct(c.b.pass_rate),
            "-" if delta is None else f"{delta:+.3f}",
        ])  # fmt: skip
    return headers, body


def comparison_lines(cmp: Comparison) -> list[str]:
    """The verdict of a comparison in a few lines."""
    level = f"{round(100 * cmp.a.confidence)}% CI"
    a, b = cmp.label_a or "a", cmp.label_b or "b"
    lines = [
        f"{a}: pass rate {_pct(cmp.a.pass_rate)} over {len(cmp.a.scenarios)} scenarios; "
        f"{b}: {_pct(cmp.b.pass_rate)} over {len(cmp.b.scenarios)}",
        f"delta {_points(cmp.delta)} points (b - a); over the {len(cmp.paired_deltas)} "
        f"scenarios in both {_points(cmp.paired_delta)}, {level} "
        f"[{_points(None if cmp.ci is None else cmp.ci[0])}, "
        f"{_points(None if cmp.ci is None else cmp.ci[1])}]",
        f"{len(cmp.regressions)} regressions, {len(cmp.fixes)} fixes; "
        f"exact McNemar p = {cmp.p_value:.3g}",
    ]
    if cmp.mean_score_delta is not None:
        lines.append(f"mean score {_num(cmp.a.mean_score)} -> {_num(cmp.b.mean_score)} "
                     f"({cmp.mean_score_delta:+.3f})")  # fmt: skip
    if cmp.only_a or cmp.only_b:
        lines.append(f"only in {a}: {len(cmp.only_a)}; only in {b}: {len(cmp.only_b)}")
    return lines
