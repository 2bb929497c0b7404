"""What decoding a large body and structuring a long list leave the garbage collector
(``CollectorPaused``)."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from runloop_async import _models as m
from runloop_async._collector import (
    PAUSE_GC_FROM,
    PAUSE_GC_FROM_BYTES,
    CollectorPaused,
    loads_paused,
)
from runloop_async._converter import structure_list
from runloop_async._jsonlib import JSONDecodeError

RUN = json.loads(
    (Path(__file__).resolve().parent.parent / "fixtures" / "scenario_run_scored.json").read_text()
)


def _generation(obj: Any) -> int | None:
    """The collector generation ``obj`` is in (``None``: not in any, e.g. frozen)."""
    for generation in range(3):
        if any(o is obj for o in gc.get_objects(generation)):
            return generation
    return None


@pytest.fixture
def collected() -> Iterator[None]:
    """Start from a full collection: every generation's count at 0, so the young
    collection a long list leaves pending does not also run a middle one."""
    assert gc.isenabled()
    gc.collect()
    yield
    assert gc.isenabled()


@pytest.mark.usefixtures("collected")
def test_models_of_a_long_list_go_to_the_oldest_generation_unwalked() -> None:
    # They survive the young and the middle collection anyway; walking them in both
    # is what the promotion saves (without it they are in generation 1 here).
    runs = structure_list([RUN] * PAUSE_GC_FROM, m.ScenarioRunView)
    result = runs[-1].scoring_contract_result
    assert result is not None
    assert _generation(runs[-1]) == 2
    assert _generation(result.scoring_function_results[0]) == 2


@pytest.mark.usefixtures("collected")
def test_a_short_list_is_left_to_the_collector() -> None:
    runs = structure_list([RUN] * 3, m.ScenarioRunView)
    assert _generation(runs[0]) in (0, 1)


@pytest.mark.usefixtures("collected")
def test_a_programs_frozen_objects_stay_frozen() -> None:
    frozen = m.ScenarioRunView(id="r", scenario_id="s", devbox_id="d", state="running", metadata={})
    gc.freeze()  # a program's own freeze (before a fork): the promotion keeps off it
    try:
        count = gc.get_freeze_count()
        runs = structure_list([RUN] * PAUSE_GC_FROM, m.ScenarioRunView)
        assert gc.get_freeze_count() == count
        assert _generation(frozen) is None
        assert _generation(runs[-1]) in (0, 1)  # walked as usual instead
    finally:
        gc.unfreeze()


@pytest.mark.usefixtures("collected")
def test_a_refused_long_list_promotes_nothing() -> None:
    young = [[]]  # anything young when structuring fails stays young
    with pytest.raises(TypeError), CollectorPaused(True):
        raise TypeError("a refused item")
    assert _generation(young) in (0, 1)


@pytest.mark.usefixtures("collected")
def test_a_large_body_is_decoded_into_the_oldest_generation() -> None:
    # Without the pause, the decoded runs are young (or in the middle generation)
    # and the collections run while decoding walk them.
    body = json.dumps({"runs": [RUN] * 500}).encode()
    assert len(body) < PAUSE_GC_FROM_BYTES  # the size Core decides on, not this function
    data = loads_paused(body)
    assert gc.isenabled()
    assert _generation(data["runs"][-1]) == 2
    assert _generation(data["runs"][-1]["scoring_contract_result"]) == 2


@pytest.mark.usefixtures("collected")
def test_an_undecodable_body_promotes_nothing() -> None:
    young = [[]]
    with pytest.raises(JSONDecodeError):
        loads_paused(b'{"runs": [' + b"[]," * 5000)
    assert gc.isenabled()
    assert _generation(young) in (0, 1)
