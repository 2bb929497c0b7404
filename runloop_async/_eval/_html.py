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
from ._compare import Comparison, compare_metrics
from ._metrics import Metrics
from ._svg import COLOURS, hbars, histogram, stacked_bar

__all__ = ["render_report", "write_report", "Source", "BIN_LABELS", "score_bins"]

Source = tuple[str, BenchmarkResult]

#: Labels of the score histogram's bins: ten of width 0.1 below 1.0, then exactly 1.0
#: (a pass) on its own.
BIN_LABELS: Final = (*(f"{i / 10:g}" for i in range(10)), "1")

_CSS: Final = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:76rem;color:#212121;
padding:0 1rem}h1{font-size:1.6rem}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;
margin-top:2.2rem}h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
dl.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(10.5rem,1fr));gap:.5rem}
dl.figures div{background:#f5f5f5;border-radius:6px;padding:.4rem .6rem}
dt{font-size:.75rem;color:#616161}dd{margin:0;font-size:1.15rem;font-weight:600}
.ci{font-size:.75rem;color:#616161;font-weight:400}
.cols{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:2rem}
table{border-collapse:collapse;font-size:12px}td,th{padding:2px 6px;border:1px solid #e0e0e0;
text-align:left}th{background:#fafafa}td.cell{width:14px;height:14px;padding:0}
td.passed{background:#2e7d32}td.failed{background:#f9a825}td.errored{background:#c62828}
td.regression{color:#c62828;font-weight:600}td.fix{color:#2e7d32;font-weight:600}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
.scroll{overflow-x:auto}small{color:#757575;display:block}
"""


def _value(key: str, value: Any, shown: str, tag: str = "span") -> str:
    raw = "" if value is None else value
    return (f'<{tag} data-figure="{escape(key)}" data-value="{escape(str(raw))}">'
            f"{escape(shown)}</{tag}>")  # fmt: skip


def _figure(
    key: str, label: str, value: Any, shown: str, ci: Sequence[Any] | None = None,
    fmt: Any = None, ci_key: str | None = None,
) -> str:  # fmt: skip
    """A card: the figure, and under it its interval (keys ``<ci_key>_low``/``_high``,
    ``ci_key`` defaulting to ``<key>_ci``) when ``ci`` is given (``[]`` for none)."""
    extra = ""
    if ci is not None:
        low, high = (list(ci) or [None, None])[0], (list(ci) or [None, None])[1]
        show, name = fmt or _num, ci_key or f"{key}_ci"
        extra = (f'<div class="ci">95% CI {_value(f"{name}_low", low, show(low))} to '
                 f'{_value(f"{name}_high", high, show(high))}</div>')  # fmt: skip
    return f"<div><dt>{escape(label)}</dt>{_value(key, value, shown, 'dd')}{extra}</div>"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _figures(m: Metrics) -> str:
    d = m.to_dict()
    counts = [_figure(key, key, d[key], str(d[key]))
              for key in ("scenarios", "attempts", "passed", "failed", "errored")]  # fmt: skip
    items = [
        *counts,
        _figure("pass_rate", "pass rate (pass@1)", d["pass_rate"], _pct(d["pass_rate"]),
                d["pass_rate_ci"] or [], _pct),
        _figure("mean_score", "mean score", d["mean_score"], _num(d["mean_score"]),
                d["mean_score_ci"] or []),
    ]  # fmt: skip
    for k in range(2, m.max_k + 1):
        at, hat = d["pass_at_k"][str(k)], d["pass_hat_k"][str(k)]
        items.append(_figure(f"pass_at_k:{k}", f"pass@{k}", at, _pct(at)))
        items.append(_figure(f"pass_hat_k:{k}", f"pass^{k} (all {k} pass)", hat, _pct(hat)))
    return f'<dl class="figures">{"".join(items)}</dl>'


def score_bins(scores: Sequence[float]) -> list[int]:
    """Counts of ``scores`` in the bins of :data:`BIN_LABELS`: ``[i/10, (i+1)/10)`` for
    ``i`` in 0..9 (clamped at 0), then scores of 1.0 or more."""
    counts = [0] * len(BIN_LABELS)
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
    charts = (
        f"<div><h3>Outcomes</h3>{stacked_bar(parts, width=520)}"
        f"<h3>Scores</h3>{histogram(score_bins(scores), BIN_LABELS, width=520)}"
        f'<small data-figure="unscored" data-value="{unscored}">{unscored} attempts '
        f"without a score</small><h3>Mean duration per scenario</h3>"
        f'<div class="scroll">{hbars(durations, unit="s", width=520)}</div></div>'
    )
    return (
        f'<section class="run" data-run="{index}" data-label="{escape(label)}">'
        f'<h2>{escape(label)}</h2>{_figures(m)}<div class="cols">{charts}'
        f"<div><h3>Attempts</h3>{_matrix(m)}</div></div></section>"
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
    figures = "".join([
        _figure("delta", "pass-rate delta (b - a)", d["delta"], f"{100 * d['delta']:+.1f} pts",
                d["ci"] or [], _pct, "ci"),
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
    lookup = [{each.scenario_id: each for each in m.scenarios} for m in metrics]
    body = []
    for sid, name in order.items():
        cells = []
        for found in lookup:
            s = found.get(sid)
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
    parts = []  # the verdicts first, then each run, then every scenario in every run
    for i in range(1, len(sources)):
        labels = (sources[i - 1][0], sources[i][0])
        parts.append(
            _comparison_section(i, compare_metrics(*metrics[i - 1 : i + 1], labels=labels))
        )
    pairs = zip(sources, metrics, strict=True)
    parts += [_run_section(i, label, result, m) for i, ((label, result), m) in enumerate(pairs)]
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
