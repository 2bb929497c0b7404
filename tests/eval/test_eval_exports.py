"""The evaluation names: exported from ``runloop_async``, loaded on first use."""

from __future__ import annotations

import subprocess
import sys

import runloop_async

EVAL_NAMES = (
    "Comparison", "Metrics", "ScenarioChange", "ScenarioMetrics", "bootstrap_ci",
    "compare_results", "compute_metrics", "pass_at_k", "pass_hat_k", "render_summary",
    "sign_test",
)  # fmt: skip


def test_eval_names_are_exported_and_are_the_real_objects() -> None:
    from runloop_async import _eval

    assert set(EVAL_NAMES) == set(_eval.__all__)
    for name in EVAL_NAMES:
        assert name in runloop_async.__all__
        assert name in dir(runloop_async)
        assert getattr(runloop_async, name) is getattr(_eval, name)


def test_importing_the_package_does_not_load_evaluation() -> None:
    code = (
        "import sys, runloop_async\n"
        "print('runloop_async._eval' in sys.modules)\n"
        "from runloop_async import compare_results\n"
        "print('runloop_async._eval' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
