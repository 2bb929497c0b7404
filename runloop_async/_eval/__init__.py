"""Evaluating agents: metrics over result rows, loading results, comparing, reporting.

The pieces stay apart: ``_stats`` and ``_metrics`` are pure functions over rows,
``_compare`` is pure too, ``_load`` does every I/O (server and files), and ``_text``,
``_html`` and ``_svg`` render.
"""

from __future__ import annotations

from ._metrics import Metrics, ScenarioMetrics, compute_metrics
from ._stats import bootstrap_ci, pass_at_k, pass_hat_k, sign_test

__all__ = [
    "Metrics",
    "ScenarioMetrics",
    "bootstrap_ci",
    "compute_metrics",
    "pass_at_k",
    "pass_hat_k",
    "sign_test",
]
