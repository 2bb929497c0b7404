"""The HTML report: one self-contained file (inline CSS and SVG; no script, no network).

For each run: its figures, an outcome bar, a score histogram, the mean duration per
scenario and the attempts matrix. With two or more runs, each run is compared with
the one before it (flips table, delta with interval, p-value), and one table shows
every scenario's pass rate in every run. Figures carry ``data-figure`` /
``data-value`` attributes holding the same numbers as the JSON outputs.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from html import escape
from typing import Any, Final

from .._runner._results import BenchmarkResult
from ._compare import Comparison, compare_results
from ._metrics import Metrics
from ._svg import COLOURS, hbars, histogram, stacked_bar

__all__ = ["render_report", "write_report"]

Source = tuple[str, BenchmarkResult]

#: Bins of the score histogram: ten of width 0.1 (the last one includes 1.0).
BIN_EDGES: Final = tuple(i / 10 for i in range(11))

_CSS: Final = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;color:#212121;
padding:0 1rem}h1{font-size:1.6rem}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;
margin-top:2.5rem}h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
dl.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.5rem}
dl.figures div{background:#f5f5f5;border-radius:6px;padding:.4rem .6rem}
dt{font-size:.75rem;color:#616161}dd{margin:0;font-size:1.15rem;font-weight:600}
table{border-collapse:collapse;font-size:12px}td,th{padding:2px 6px;border:1px solid #e0e0e0;
text-align:left}th{background:#fafafa}td.cell{width:14px;height:14px;padding:0}
td.passed{background:#2e7d32}td.failed{background:#f9a825}td.errored{background:#c62828}
td.regression{color:#c62828;font-weight:600}td.fix{color:#2e7d32;font-weight:600}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
.scroll{overflow-x:auto}small{color:#757575}
"""


def _figure(key: str, label: str, value: Any, shown: str) -> str:
    raw = "" if value is None else value
    return (
        f'<div><dt>{escape(label)}</dt><dd data-figure="{escape(key)}" '
        f'data-value="{escape(str(raw))}">{escape(shown)}</dd></div>'
    )


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _figures(m: Metrics) -> str:
    d = m.to_dict()
    ci = d["pass_rate_ci"] or [None, None]
    sci = d["mean_score_ci"] or [None, None]
    mean = "-" if d["mean_score"] is None else f"{d['mean_score']:.3f}"
    items = [
        _figure("scenarios", "scenarios", d["scenarios"], str(d["scenarios"])),
        _figure("attempts", "attempts (rows)", d["attempts"], str(d["attempts"])),
        _figure("passed", "passed", d["passed"], str(d["passed"])),
        _figure("failed", "failed", d["failed"], str(d["failed"])),
        _figure("errored", "errored", d["errored"], str(d["errored"])),
        _figure("pass_rate", "pass rate (pass@1)", d["pass_rate"], _pct(d["pass_rate"])),
        _figure("pass_rate_ci_low", "pass rate CI low", ci[0], _pct(ci[0])),
        _figure("pass_rate_ci_high", "pass rate CI high", ci[1], _pct(ci[1])),
        _figure("mean_score", "mean score", d["mean_score"], mean),
        _figure("mean_score_ci_low", "mean score CI low", sci[0], str(sci[0])),
        _figure("mean_score_ci_high", "mean score CI high", sci[1], str(sci[1])),
    ]
    for k in range(2, m.max_k + 1):
        items.append(_figure(f"pass_at_k:{k}", f"pass@{k}", d["pass_at_k"][str(k)],
                             _pct(d["pass_at_k"][str(k)])))  # fmt: skip
        items.append(_figure(f"pass_hat_k:{k}", f"pass^{k}", d["pass_hat_k"][str(k)],
                             _pct(d["pass_hat_k"][str(k)])))  # fmt: skip
    return f'<dl class="figures">{"".join(items)}</dl>'


def score_bins(scores: Sequence[float]) -> list[int]:
    """Counts of ``scores`` in the ten bins of :data:`BIN_EDGES` (clamped to [0, 1])."""
    counts = [0] * (len(BIN_EDGES) - 1)
    for score in scores:
        counts[min(max(int(score * 10), 0), len(counts) - 1)] += 1
    return counts


def _matrix(m: Metrics) -> str:
    width = max((s.attempts for s in m.scenarios), default=0)
    head = "".join(f"<th>{n}</th>" for n in range(1, width + 1))
    body = []
    for s in m.scenarios:
        cells = "".join(
            f'<td class="cell {o}" data-outcome="{o}" title="attempt {n}: {o}"></td>'
            for n, o in enumerate(s.outcomes, 1)
        )
        name = escape(s.scenario_name or s.scenario_id)
        body.append(f'<tr data-scenario-id="{escape(s.scenario_id)}"><td>{name}</td>{cells}'
                    f'<td data-value="{s.passed}">{s.passed}/{s.attempts}</td></tr>')  # fmt: skip
    legend = "".join(f'<span style="background:{COLOURS[o]}"></span>{o}'
                     for o in ("passed", "failed", "errored"))  # fmt: skip
    table = f"<tr><th>scenario</th>{head}<th>passed</th></tr>{''.join(body)}"
    return (
        f'<p class="legend">{legend}</p><div class="scroll">'
        f'<table class="attempts">{table}</table></div>'
    )


def _run_section(index: int, label: str, result: BenchmarkResult, m: Metrics) -> str:
    scores = [row.score for row in result.rows if row.score is not None]
    durations = sorted(
        ((s.scenario_name or s.scenario_id, s.mean_duration_s) for s in m.scenarios
         if s.mean_duration_s is not None),
        key=lambda item: -item[1],
    )  # fmt: skip
    parts = [("passed", m.passed), ("failed", m.failed), ("errored", m.errored)]
    unscored = len(result.rows) - len(scores)
    return (
        f'<section class="run" data-run="{index}" data-label="{escape(label)}">'
        f"<h2>{escape(label)}</h2>{_figures(m)}"
        f"<h3>Outcomes</h3>{stacked_bar(parts)}"
        f"<h3>Scores</h3>{histogram(score_bins(scores), BIN_EDGES)}"
        f'<small data-figure="unscored" data-value="{unscored}">{unscored} attempts '
        f"without a score</small>"
        f"<h3>Mean duration per scenario</h3>"
        f'<div class="scroll">{hbars(durations, unit="s")}</div>'
        f"<h3>Attempts</h3>{_matrix(m)}</section>"
    )


def _marks(outcomes: Sequence[str]) -> str:
    return "".join(o[:1].upper() for o in outcomes)


def _change_rows(cmp: Comparison) -> str:
    out = []
    for c in cmp.regressions + cmp.fixes:
        before = _marks(c.a.outcomes) if c.a else "-"
        after = _marks(c.b.outcomes) if c.b else "-"
        delta = "-" if c.score_delta is None else f"{c.score_delta:+.3f}"
        out.append(
            f'<tr data-scenario-id="{escape(c.scenario_id)}" data-status="{c.status}">'
            f"<td>{escape(c.scenario_name or c.scenario_id)}</td>"
            f'<td class="{c.status}">{c.status}</td><td>{_pct(c.a.pass_rate if c.a else None)}'
            f" {before}</td><td>{_pct(c.b.pass_rate if c.b else None)} {after}</td>"
            f"<td>{delta}</td></tr>"
        )
    return "".join(out)


def _comparison_section(index: int, cmp: Comparison) -> str:
    d = cmp.to_dict()
    ci = d["ci"] or [None, None]
    figures = "".join([
        _figure("delta", "pass-rate delta (b - a)", d["delta"], f"{100 * d['delta']:+.1f} pts"),
        _figure("ci_low", "paired CI low", ci[0], _pct(ci[0])),
        _figure("ci_high", "paired CI high", ci[1], _pct(ci[1])),
        _figure("p_value", "McNemar exact p", d["p_value"], f"{d['p_value']:.3g}"),
        _figure("regressions", "regressions", len(d["regressions"]), str(len(d["regressions"]))),
        _figure("fixes", "fixes", len(d["fixes"]), str(len(d["fixes"]))),
        _figure("paired", "scenarios in both", d["paired"], str(d["paired"])),
        _figure("only_a", "only before", len(d["only_a"]), str(len(d["only_a"]))),
        _figure("only_b", "only after", len(d["only_b"]), str(len(d["only_b"]))),
    ])  # fmt: skip
    title = f"{cmp.label_a} → {cmp.label_b}"
    return (
        f'<section class="comparison" data-comparison="{index}"><h2>{escape(title)}</h2>'
        f'<dl class="figures">{figures}</dl><h3>Flips</h3><table class="flips"><tr>'
        f"<th>scenario</th><th>change</th><th>before</th><th>after</th><th>score Δ</th></tr>"
        f"{_change_rows(cmp)}</table></section>"
    )


def _scenario_table(labels: Sequence[str], metrics: Sequence[Metrics]) -> str:
    order: dict[str, str] = {}
    for m in metrics:
        for each in m.scenarios:
            order.setdefault(each.scenario_id, each.scenario_name or each.scenario_id)
    head = "".join(f"<th>{escape(label)}</th>" for label in labels)
    body = []
    for sid, name in order.items():
        cells = []
        for m in metrics:
            s = m.scenario(sid)
            rate = None if s is None else round(s.pass_rate, 6)
            cls = "" if s is None else ("passed" if s.passing else "errored")
            cells.append(f'<td data-value="{"" if rate is None else rate}" '
                         f'style="color:{COLOURS.get(cls, "#000")}">{_pct(rate)}</td>')  # fmt: skip
        body.append(f'<tr data-scenario-id="{escape(sid)}"><td>{escape(name)}</td>'
                    f'{"".join(cells)}</tr>')  # fmt: skip
    return (f'<section class="per-scenario"><h2>Per scenario: pass rate in each run</h2>'
            f'<div class="scroll"><table class="per-scenario"><tr><th>scenario</th>{head}</tr>'
            f'{"".join(body)}</table></div></section>')  # fmt: skip


def render_report(sources: Sequence[Source], *, title: str = "runloop-async report") -> str:
    """The report of one or more ``(label, result)`` pairs as one HTML document.

    Raises:
        ValueError: no sources.
    """
    if not sources:
        raise ValueError("a report needs at least one result")
    metrics = [result.metrics() for _, result in sources]
    pairs = zip(sources, metrics, strict=True)
    parts = [_run_section(i, label, result, m) for i, ((label, result), m) in enumerate(pairs)]
    for i in range(1, len(sources)):
        (la, a), (lb, b) = sources[i - 1], sources[i]
        parts.append(_comparison_section(i, compare_results(a, b, labels=(la, lb))))
    if len(sources) > 1:
        parts.append(_scenario_table([label for label, _ in sources], metrics))
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1>{''.join(parts)}</body></html>\n"
    )


def write_report(
    sources: Sequence[Source], path: str | os.PathLike[str], *, title: str = "runloop-async report"
) -> None:
    """Write :func:`render_report` to ``path`` (UTF-8).

    Raises:
        ValueError: no sources.
        OSError: the file cannot be written.
    """
    html = render_report(sources, title=title)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(html)
