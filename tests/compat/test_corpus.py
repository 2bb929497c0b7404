"""The 1.x script corpus, ported by rewriting only its imports, runs against the emulator.

The same scripts run unported with runloop-api-client 1.32.0 in the ``official`` nox
session (tests_official/run_corpus.py), which proves they are real 1.x code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus import SCRIPTS, port_source, run_script, settings_of

AREAS = {
    "scored_run", "scored_run_async", "concurrent_scoring", "pagination_sync",
    "pagination_async", "raw_responses", "errors", "options", "models", "polling",
    "logs", "benchmarks", "scorers", "devboxes", "benchmark_jobs",
}  # fmt: skip


def test_the_corpus_covers_every_area() -> None:
    names = {p.stem for p in SCRIPTS}
    assert len(names) >= 14
    assert names >= AREAS, AREAS - names


def test_the_port_rewrites_imports_only() -> None:
    source = (
        "import os\n"
        "from runloop_api_client import Runloop, NotFoundError\n"
        "from runloop_api_client.lib.polling import PollingConfig, PollingTimeout\n"
        "    from runloop_api_client.types import ScenarioView\n"
        "import runloop_api_client\n"
        "x = 'from runloop_api_client import y'\n"
    )
    assert port_source(source) == (
        "import os\n"
        "from runloop_async import Runloop, NotFoundError\n"
        "from runloop_async import PollingConfig, PollingTimeout\n"
        "    from runloop_async import ScenarioView\n"
        "import runloop_async as runloop_api_client\n"
        "x = 'from runloop_api_client import y'\n"
    )
    assert settings_of("# corpus: devbox_boot_delay=2\n")["devbox_boot_delay"] == 2.0


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_ported_script_runs(script: Path, tmp_path: Path) -> None:
    proc = run_script(script, tmp_path, port=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"OK {script.stem}" in proc.stdout
    assert proc.stderr == ""  # no warning, no unclosed session, no traceback
