"""Property tests: bad input never escapes as anything but the documented error, and
the pager never repeats or skips an item.

1. Any JSON value given for any top-level view the client decodes (every model a
   ``retrieve``/``create``/action returns, and every list page) either becomes the
   model or raises :class:`APIResponseValidationError` with a ``$``-rooted json_path;
   never a ``KeyError``, ``TypeError``, cattrs ``ClassValidationError``, or a
   recursion error.
2. :class:`AsyncPager` over a fake server (pure: no HTTP) that pages a random item
   list with any page size and any server-chosen page lengths and ``has_more``
   style yields every item exactly once, in order.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import anyio
import anyio.lowlevel
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runloop_async import APIResponseValidationError
from runloop_async import _models as m
from runloop_async._core import Core
from runloop_async._pager import AsyncPager, Page
from runloop_async._resources._base import build_page

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


#: Every model the client structures a whole answer into, with a realistic answer.
VIEWS: list[tuple[type, str]] = [
    (m.ScenarioView, "scenario.json"),
    (m.ScenarioRunView, "scenario_run_scored.json"),
    (m.ScenarioScorerView, "scorer.json"),
    (m.BenchmarkView, "benchmark.json"),
    (m.BenchmarkRunView, "benchmark_run.json"),
    (m.BenchmarkJobView, "benchmark_job.json"),
    (m.DevboxView, "devbox.json"),
    (m.DevboxView, "devbox_failed.json"),
]
#: Every list answer: items key and item model.
PAGES: list[tuple[type, str, str]] = [
    (m.ScenarioView, "scenarios_page.json", "scenarios"),
    (m.ScenarioRunView, "scenario_runs_page.json", "runs"),
    (m.ScenarioScorerView, "scorers_page.json", "scorers"),
    (m.BenchmarkView, "benchmarks_page.json", "benchmarks"),
    (m.BenchmarkRunView, "benchmark_runs_page.json", "runs"),
    (m.BenchmarkJobView, "benchmark_jobs_page.json", "jobs"),
]

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["", "scored", "running", "command_scorer", "2024-01-01", "1e999"])
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(max_size=8) | st.sampled_from(["id", "state", "type", "scorer", "has_more"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=16,
)


def _slots(data: Any) -> list[tuple[Any, Any]]:
    found: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, child in node.items():
                found.append((node, key))
                walk(child)
        elif isinstance(node, list):
            for index, child in enumerate(node):
                found.append((node, index))
                walk(child)

    walk(data)
    return found


def _nested(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = [value] if depth % 2 else {"k": value}
    return value


@st.composite
def mutated(draw: st.DrawFn, fixture: Any) -> Any:
    """The fixture with 1-3 edits: a value replaced by any JSON, a key dropped, a key
    added, or a value replaced by a very deep structure."""
    data = copy.deepcopy(fixture)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        slots = _slots(data)
        if not slots:
            break
        container, key = slots[draw(st.integers(min_value=0, max_value=len(slots) - 1))]
        action = draw(st.sampled_from(["replace", "drop", "add", "deep"]))
        if action == "replace":
            container[key] = draw(json_values)
        elif action == "drop":
            del container[key]
        elif action == "add" and isinstance(container, dict):
            container[draw(st.text(max_size=8))] = draw(json_values)
        elif action == "deep":
            container[key] = _nested(draw(st.sampled_from([5, 50, 200])))
    return data


def _outcome(call: Any) -> Any:
    """The result of ``call()``, or the APIResponseValidationError it raised."""
    try:
        return call()
    except APIResponseValidationError as exc:
        return exc


def _check(result: Any, expected: type) -> None:
    """``result`` is the model, or an APIResponseValidationError that names the call."""
    if isinstance(result, APIResponseValidationError):
        assert result.json_path.startswith("$")
        assert (result.method, result.path, result.status_code) == ("GET", "/v1/test", 200)
        assert str(result)  # printing the error never fails either
        assert repr(result)
    else:
        assert isinstance(result, expected)


@pytest.mark.parametrize(
    ("cls", "fixture"), VIEWS, ids=[f"{c.__name__}-{f.split('.')[0]}" for c, f in VIEWS]
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_json_for_a_view_gives_the_model_or_a_validation_error(
    cls: type, fixture: str, data: st.DataObject
) -> None:
    value = data.draw(json_values | mutated(load(fixture)))
    _check(_outcome(lambda: Core.structure(value, cls, method="GET", path="/v1/test")), cls)


@pytest.mark.parametrize(
    ("cls", "fixture", "key"), PAGES, ids=[f.split(".")[0] for _, f, _ in PAGES]
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_json_for_a_page_gives_a_page_or_a_validation_error(
    cls: type, fixture: str, key: str, data: st.DataObject
) -> None:
    value = data.draw(json_values | mutated(load(fixture)))
    _check(_outcome(lambda: build_page(value, cls, key, path="/v1/test")), Page)


@pytest.mark.parametrize(
    ("cls", "fixture"), VIEWS, ids=[f"{c.__name__}-{f.split('.')[0]}" for c, f in VIEWS]
)
def test_very_deep_values_anywhere_give_the_model_or_a_validation_error(
    cls: type, fixture: str
) -> None:
    """Nesting near and past the JSON decoders' depth limits (orjson: 1024), in every
    slot of a real answer (kept out of hypothesis, whose reporting cannot print them)."""
    outcomes: set[type] = set()
    for depth in (900, 3000):
        for index in range(len(_slots(load(fixture)))):
            data = load(fixture)
            container, key = _slots(data)[index]
            container[key] = _nested(depth)
            result = _outcome(
                lambda data=data: Core.structure(data, cls, method="GET", path="/v1/test")
            )
            _check(result, cls)
            outcomes.add(type(result))
    # not vacuous: some slots take anything (free-form maps), most reject it
    assert APIResponseValidationError in outcomes


# --- the pager ----------------------------------------------------------------------------


class FakeServer:
    """Pages ``ids`` by ``starting_after``; page lengths and ``has_more`` as drawn."""

    def __init__(self, ids: list[str], lengths: list[int], style: str) -> None:
        self.ids = ids
        self.lengths = lengths
        self.style = style
        self.calls = 0

    async def fetch(self, query: Mapping[str, object]) -> Page[dict[str, str]]:
        await anyio.lowlevel.checkpoint()
        limit = int(str(query["limit"]))
        after = query.get("starting_after")
        start = 0 if after is None else self.ids.index(str(after)) + 1
        # the server may return fewer than asked (never zero while items remain)
        drawn = self.lengths[self.calls % len(self.lengths)]
        size = min(limit, max(1, drawn)) if start < len(self.ids) else 0
        self.calls += 1
        chunk = self.ids[start : start + size]
        more = start + size < len(self.ids)
        body: dict[str, Any] = {"runs": [{"id": i} for i in chunk]}
        if self.style == "exact":
            body["has_more"] = more
        elif self.style == "always_true":
            body["has_more"] = True  # a server that never says it is done
        elif self.style == "null":
            body["has_more"] = None
        # "missing": no has_more at all (paged until an empty page, as the official SDK)
        body["total_count"] = len(self.ids)
        return build_page(body, dict, "runs", path="/v1/scenarios/runs")


@settings(max_examples=150, deadline=None)
@given(
    count=st.integers(min_value=0, max_value=60),
    limit=st.integers(min_value=1, max_value=25),
    lengths=st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=8),
    style=st.sampled_from(["exact", "always_true", "null", "missing"]),
    collect=st.sampled_from(["iterate", "to_list", "pages"]),
)
def test_the_pager_never_repeats_or_skips_items(
    count: int, limit: int, lengths: list[int], style: str, collect: str
) -> None:
    ids = [f"scr_{i:04d}" for i in range(count)]
    server = FakeServer(ids, lengths, style)
    pager: AsyncPager[dict[str, str]] = AsyncPager(server.fetch, {"limit": limit})

    async def run() -> list[str]:
        if collect == "to_list":
            return [item["id"] for item in await pager.to_list()]
        if collect == "pages":
            return [item["id"] async for page in pager.iter_pages() for item in page]
        return [item["id"] async for item in pager]

    got = anyio.run(run)
    assert got == ids
    # one request per page, plus at most one empty page when the server did not say
    # "no more" on the last one
    pages = -(-count // limit) if style == "exact" and min(lengths) >= limit else None
    if pages is not None:
        assert server.calls == max(1, pages)
    assert server.calls <= count + 1


@settings(max_examples=100, deadline=None)
@given(
    count=st.integers(min_value=1, max_value=40),
    limit=st.integers(min_value=1, max_value=10),
    stop=st.integers(min_value=1, max_value=40),
)
def test_fetch_page_by_cursor_resumes_exactly_after_the_cursor(
    count: int, limit: int, stop: int
) -> None:
    ids = [f"r{i:03d}" for i in range(count)]
    server = FakeServer(ids, [limit], "exact")
    pager: AsyncPager[dict[str, str]] = AsyncPager(server.fetch, {"limit": limit})

    async def run() -> list[str]:
        seen: list[str] = []
        page = await pager
        seen += [item["id"] for item in page]
        while page.next_cursor is not None and len(seen) < stop:
            page = await pager.fetch_page(page.next_cursor)
            seen += [item["id"] for item in page]
        if page.next_cursor is not None:  # a fresh pager resumes from a saved cursor
            rest: AsyncPager[dict[str, str]] = AsyncPager(
                server.fetch, {"limit": limit, "starting_after": page.next_cursor}
            )
            seen += [item["id"] async for item in rest]
        return seen

    assert anyio.run(run) == ids
