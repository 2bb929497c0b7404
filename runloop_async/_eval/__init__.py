"""Evaluating agents: metrics over result rows, loading results, comparing, reporting.

The pieces stay apart: ``_stats`` and ``_metrics`` are pure functions over rows,
``_compare`` is pure too, ``_load`` does every I/O (server and files), and ``_text``,
``_html`` and ``_svg`` render.
"""

from __future__ import annotations

from ._compare import Comparison, ScenarioChange, compare_results
from ._metrics import Metrics, ScenarioMetrics, compute_metrics
from ._stats import bootstrap_ci, pass_at_k, pass_hat_k, sign_test
from ._text import render_summary

__all__ = [
    "Comparison",
    "ScenarioChange",
    "compare_results",
    "render_summary",
    "Metrics",
    "ScenarioMetrics",
    "bootstrap_ci",
    "compute_metrics",
    "pass_at_k",
    "pass_hat_k",
    "sign_test",
]
