"""Inline SVG charts for the HTML report: pure functions from figures to markup.

Every mark carries its figure in ``data-*`` attributes (``data-count``,
``data-value``) so tests, and anyone scraping a report, read numbers, not pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Final

__all__ = ["COLOURS", "histogram", "hbars", "stacked_bar"]

#: Fill colours by outcome (and for bars without an outcome).
COLOURS: Final = {
    "passed": "#2e7d32",
    "failed": "#f9a825",
    "errored": "#c62828",
    "missing": "#bdbdbd",
    "bar": "#1565c0",
}


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _svg(width: int, height: int, body: str, label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_attr(label)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">{body}</svg>'
    )


def stacked_bar(parts: Sequence[tuple[str, int]], *, width: int = 640, height: int = 26) -> str:
    """One horizontal bar split by outcome: ``parts`` is ``[(outcome, count), ...]``."""
    total = sum(count for _, count in parts) or 1
    x = 0.0
    marks = []
    for outcome, count in parts:
        w = width * count / total
        colour = COLOURS.get(outcome, COLOURS["bar"])
        marks.append(
            f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="{height}" fill="{colour}" '
            f'data-outcome="{_attr(outcome)}" data-count="{count}">'
            f"<title>{escape(outcome)}: {count}</title></rect>"
        )
        x += w
    return _svg(width, height, "".join(marks), "outcomes")


def histogram(
    counts: Sequence[int], labels: Sequence[str], *, width: int = 640, height: int = 130
) -> str:
    """Vertical bars, one per bin, each with its label below it."""
    top = max(counts, default=0) or 1
    slot = width / max(len(counts), 1)
    plot = height - 18
    marks = []
    for i, count in enumerate(counts):
        h = plot * count / top
        x = i * slot
        marks.append(
            f'<rect x="{x + 2:.2f}" y="{plot - h:.2f}" width="{slot - 4:.2f}" height="{h:.2f}" '
            f'fill="{COLOURS["bar"]}" data-bin="{_attr(labels[i])}" data-count="{count}">'
            f"<title>{escape(labels[i])}: {count}</title></rect>"
            f'<text x="{x + slot / 2:.2f}" y="{height - 4}" text-anchor="middle" '
            f'font-size="10">{escape(labels[i])}</text>'
        )
    return _svg(width, height, "".join(marks), "score histogram")


def hbars(
    items: Sequence[tuple[str, float]], *, unit: str = "", width: int = 640, row: int = 15
) -> str:
    """One labelled horizontal bar per item (``[(label, value), ...]``), scaled to the max."""
    top = max((value for _, value in items), default=0.0) or 1.0
    label_w, value_w = 160, 60
    span = width - label_w - value_w
    marks = []
    for i, (label, value) in enumerate(items):
        y = i * row
        w = span * value / top
        short = label if len(label) <= 26 else label[:25] + "…"
        marks.append(
            f'<text x="{label_w - 6}" y="{y + row - 4}" text-anchor="end" font-size="11">'
            f"{escape(short)}</text>"
            f'<rect x="{label_w}" y="{y + 2}" width="{w:.2f}" height="{row - 4}" '
            f'fill="{COLOURS["bar"]}" data-label="{_attr(label)}" data-value="{value:g}">'
            f"<title>{escape(label)}: {value:g}{unit}</title></rect>"
            f'<text x="{label_w + w + 4:.2f}" y="{y + row - 4}" font-size="11">'
            f"{value:.1f}{unit}</text>"
        )
    return _svg(width, max(row * len(items), row), "".join(marks), "per scenario")
