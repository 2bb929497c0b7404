"""Make docs/images/report.png: a report of two synthetic 24-scenario, 3-attempt runs.

Run from the repository root: ``python docs/_report_picture.py`` (needs Debian's
``chromium``; prints the paths it wrote). The rows are seeded, so the picture only
changes when the report's look does.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
from pathlib import Path

from runloop_async import BenchmarkResult, ScenarioResult
from runloop_async._eval._html import render_report

NAMES = ["parse-dates", "csv-quoting", "retry-budget", "lru-cache", "tz-offsets", "json-patch",
         "glob-match", "semver-sort", "rate-limit", "diff-lines", "url-join", "env-expand",
         "toml-arrays", "path-norm", "heap-merge", "uuid-v7", "crc32", "base58", "ini-merge",
         "yaml-anchors", "http-range", "cron-next", "gzip-stream", "sql-escape"]  # fmt: skip


def run(seed: int, shift: float) -> BenchmarkResult:
    rng = random.Random(seed)
    rows = []
    for i, name in enumerate(NAMES):
        p = min(1.0, max(0.0, random.Random(i).random() + shift))
        for attempt in (1, 2, 3):
            if rng.random() < 0.04:
                rows.append(ScenarioResult(scenario_id=f"scn_{i:03d}", scenario_name=name,
                            state="canceled", error="DevboxFailedError: boot", attempt=attempt,
                            duration_s=rng.uniform(20, 60)))  # fmt: skip
                continue
            score = 1.0 if rng.random() < p else round(rng.uniform(0, 0.9), 2)
            rows.append(ScenarioResult(scenario_id=f"scn_{i:03d}", scenario_name=name,
                        state="completed", score=score, attempt=attempt,
                        duration_s=rng.lognormvariate(4.5, 0.5)))  # fmt: skip
    return BenchmarkResult(rows=rows)


def main() -> int:
    html = render_report([("baseline", run(1, 0.0)), ("candidate", run(2, 0.12))],
                         title="agent v1 vs v2")  # fmt: skip
    out = Path(__file__).parent / "images" / "report.png"
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--disable-background-networking", "--disable-component-update", "--no-first-run",
             f"--user-data-dir={tmp}/profile", "--window-size=1200,1400",
             f"--screenshot={out}", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
