"""Fields a newer server adds are kept on the top-level views, never sent back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest

import runloop_async as ra
from runloop_async._converter import structure, unstructure
from runloop_async._models._base import EXTRA

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
VIEWS = {
    "scenario.json": ra.ScenarioView,
    "scenario_run_scored.json": ra.ScenarioRunView,
    "benchmark.json": ra.BenchmarkView,
    "benchmark_run.json": ra.BenchmarkRunView,
    "benchmark_job.json": ra.BenchmarkJobView,
    "scorer.json": ra.ScenarioScorerView,
    "devbox.json": ra.DevboxView,
}


@pytest.mark.parametrize(("fixture", "cls"), VIEWS.items())
def test_unknown_keys_are_kept_in_extra(fixture: str, cls: type[Any]) -> None:
    data = json.loads((FIXTURES / fixture).read_text())
    assert structure(data, cls).extra == {}
    newer = {**data, "added_in_v2": {"nested": [1, 2]}, "flag": True}
    view = structure(newer, cls)
    assert view.extra == {"added_in_v2": {"nested": [1, 2]}, "flag": True}
    assert view == structure(data, cls)  # extra is not part of equality
    assert "added_in_v2" not in repr(view)
    sent = unstructure(view)
    assert "extra" not in sent
    assert "added_in_v2" not in sent


def test_every_top_level_view_has_an_extra_field() -> None:
    for cls in VIEWS.values():
        marked = [f.name for f in attrs.fields(cls) if f.metadata.get(EXTRA)]
        assert marked == ["extra"], cls


def test_the_strict_converter_still_rejects_unknown_keys() -> None:
    data = json.loads((FIXTURES / "scenario_run_scored.json").read_text())
    with pytest.raises(ra.APIResponseValidationError):
        structure({**data, "added_in_v2": 1}, ra.ScenarioRunView, strict=True)
