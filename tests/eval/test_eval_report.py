"""The HTML report: self-contained, and its figures are the JSON ones (not pixels)."""

from __future__ import annotations

import json
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from eval_support import spec_rows

from runloop_async import BenchmarkResult, ScenarioResult, compare_results
from runloop_async.__main__ import main
from runloop_async._eval._html import render_report, score_bins


class Marks(HTMLParser):
    """Every element with ``data-*`` attributes, keyed by the section it sits in."""

    def __init__(self) -> None:
        super().__init__()
        self.section: str = ""
        self.tags: Counter[str] = Counter()
        self.marks: list[tuple[str, str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        data = {k: v or "" for k, v in attrs}
        if tag == "section":
            kind = data.get("class", "")
            self.section = f"{kind}:{data.get('data-run') or data.get('data-comparison') or ''}"
        if any(k.startswith("data-") for k in data):
            self.marks.append((self.section, tag, data))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def figures(self, section: str) -> dict[str, str]:
        return {d["data-figure"]: d["data-value"] for s, _, d in self.marks
                if s == section and "data-figure" in d}  # fmt: skip

    def where(self, section: str, tag: str, key: str) -> list[dict[str, str]]:
        return [d for s, t, d in self.marks if s == section and t == tag and key in d]


def parse(html: str) -> Marks:
    marks = Marks()
    marks.feed(html)
    return marks


def value(text: str) -> float | None:
    return None if text == "" else float(text)


A = "A:PPF B:PPP C:FFE D:PEE E:PPP"
B = "A:PPP B:FFP C:PPF D:EEE F:PFP"


@pytest.fixture
def two(tmp_path: Path) -> tuple[BenchmarkResult, BenchmarkResult, Marks, str]:
    a = BenchmarkResult(rows=spec_rows(A), benchmark_run_id="bmr_a")
    b = BenchmarkResult(rows=spec_rows(B), benchmark_run_id="bmr_b")
    a.to_json(tmp_path / "a.json")
    b.to_csv(tmp_path / "b.csv")
    out = tmp_path / "report.html"
    code = main(["report", str(tmp_path / "a.json"), str(tmp_path / "b.csv"), "-o", str(out)])
    assert code == 0
    html = out.read_text(encoding="utf-8")
    return a, b, parse(html), html


def test_run_figures_equal_the_json_metrics(two: Any) -> None:
    a, b, marks, _ = two
    for index, result in enumerate((a, b)):
        want = result.metrics().to_dict()
        got = marks.figures(f"run:{index}")
        for key in ("scenarios", "attempts", "passed", "failed", "errored", "pass_rate",
                    "mean_score"):  # fmt: skip
            assert value(got[key]) == pytest.approx(want[key]), key
        assert [value(got["pass_rate_ci_low"]), value(got["pass_rate_ci_high"])] == want[
            "pass_rate_ci"
        ]
        for k in ("2", "3"):
            assert value(got[f"pass_at_k:{k}"]) == want["pass_at_k"][k]
            assert value(got[f"pass_hat_k:{k}"]) == want["pass_hat_k"][k]


def test_charts_carry_the_counts(two: Any) -> None:
    a, _, marks, _ = two
    rects = marks.where("run:0", "rect", "data-outcome")
    bar = {d["data-outcome"]: int(d["data-count"]) for d in rects}
    assert bar == {"passed": a.totals.passed, "failed": a.totals.failed,
                   "errored": a.totals.errored}  # fmt: skip
    bins = [int(d["data-count"]) for d in marks.where("run:0", "rect", "data-bin")]
    assert bins == score_bins([r.score for r in a.rows if r.score is not None])
    assert bins[2] == 3  # the three 0.25 scores
    assert bins[10] == 9  # the nine 1.0 scores, a bin of their own
    cells = marks.where("run:0", "td", "data-outcome")
    assert [c["data-outcome"] for c in cells] == [r.outcome for r in a.rows]
    rects = marks.where("run:0", "rect", "data-label")
    durations = {d["data-label"]: float(d["data-value"]) for d in rects}
    assert durations["name-A"] == pytest.approx(2.0)  # attempts of 1, 2 and 3 s


def test_comparison_figures_and_flips_equal_compare_json(two: Any) -> None:
    a, b, marks, _ = two
    want = compare_results(a, b).to_dict()
    got = marks.figures("comparison:1")
    assert value(got["delta"]) == want["delta"]
    assert [value(got["ci_low"]), value(got["ci_high"])] == want["ci"]
    assert value(got["p_value"]) == want["p_value"]
    assert int(got["regressions"]) == len(want["regressions"]) == 1
    assert int(got["fixes"]) == len(want["fixes"]) == 1
    flips = marks.where("comparison:1", "tr", "data-status")
    assert [(f["data-scenario-id"], f["data-status"]) for f in flips] == [
        ("B", "regression"), ("C", "fix"),
    ]  # fmt: skip
    per = marks.where("per-scenario:", "tr", "data-scenario-id")
    assert [p["data-scenario-id"] for p in per] == ["A", "B", "C", "D", "E", "F"]
    rates = [value(d["data-value"]) for d in marks.where("per-scenario:", "td", "data-value")]
    assert rates[:4] == pytest.approx([2 / 3, 1.0, 1.0, 1 / 3])  # A and B in both runs


def test_self_contained_and_escaped(tmp_path: Path) -> None:
    evil = '<script>alert("x")</script>'
    rows = [ScenarioResult(scenario_id="s<1>", scenario_name=evil, state="completed", score=1.0)]
    html = render_report([("run <b>", BenchmarkResult(rows=rows))])
    marks = parse(html)
    assert marks.tags["script"] == 0
    assert marks.tags["link"] == 0
    assert marks.tags["img"] == 0
    assert evil in "".join(marks.text)  # shown as text, not markup
    assert "comparison" not in html  # one run: no comparison section
    assert "https://" not in html
    assert html.count("http://") == html.count('xmlns="http://www.w3.org/2000/svg"')  # no fetch
    assert marks.tags["svg"] == 3


def test_report_of_three_runs_compares_each_with_the_previous(tmp_path: Path) -> None:
    paths = []
    for i, spec in enumerate(("A:P B:P", "A:F B:P", "A:P B:F")):
        paths.append(str(tmp_path / f"r{i}.json"))
        BenchmarkResult(rows=spec_rows(spec)).to_json(paths[-1])
    out = tmp_path / "r.html"
    assert main(["report", *paths, "-o", str(out), "--title", "three"]) == 0
    marks = parse(out.read_text())
    assert marks.figures("comparison:1")["regressions"] == "1"
    assert marks.figures("comparison:2")["fixes"] == "1"
    assert "three" in marks.text


def test_results_json_and_report_agree_end_to_end(
    runloop_emulator: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("RUNLOOP_API_KEY", runloop_emulator.api_key)
    monkeypatch.setenv("RUNLOOP_BASE_URL", runloop_emulator.base_url)
    ids = [runloop_emulator.add_scenario(f"r{i}", command=c)["id"]
           for i, c in enumerate(["true", "FAIL", "PARTIAL"])]  # fmt: skip
    bench = runloop_emulator.add_benchmark("rep", scenario_ids=ids)["id"]
    assert main(["benchmarks", "start-run", bench, "--json"]) == 0
    brun = json.loads(capsys.readouterr().out)["id"]
    for sid in ids + ids[:1]:
        runloop_emulator.seed_runs(1, scenario_id=sid, state="completed", benchmark_run_id=brun)
    assert main(["benchmark-runs", "results", brun, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)["metrics"]
    out = tmp_path / "r.html"
    assert main(["report", brun, "-o", str(out)]) == 0
    got = parse(out.read_text()).figures("run:0")
    assert value(got["pass_rate"]) == doc["pass_rate"] == pytest.approx((1 + 0 + 0) / 3)
    assert value(got["mean_score"]) == doc["mean_score"]
    assert int(got["attempts"]) == doc["attempts"] == 4


def test_render_summary_bars_and_figures() -> None:
    from runloop_async import InvalidArgumentError, render_summary

    result = BenchmarkResult(rows=spec_rows("A:PPF B:PPP C:FFE D:PEE"), benchmark_run_id="bmr_1")
    text = render_summary(result, width=12)
    lines = text.splitlines()
    assert lines[0] == "4 scenarios x 3 attempts · benchmark run bmr_1"
    assert lines[1] == "passed  ██████░░░░░░  50.0% (6)"
    assert lines[2] == "failed  ███░░░░░░░░░  25.0% (3)"
    assert lines[3] == "errored ███░░░░░░░░░  25.0% (3)"
    assert lines[4].startswith("pass rate (pass@1) 50.0% [")
    assert "pass@3 75.0%" in text  # A, B and D passed at least once
    assert "pass^3 25.0%" in text  # only B passed every attempt
    assert "\x1b[" not in text
    assert "\x1b[32m" in render_summary(result, color=True)
    with pytest.raises(InvalidArgumentError):
        render_summary(result, width=0)
