"""Pages as the official 1.32 SDK has them, over loopback (issue 12, items 2 and 3).

Blocking ``list`` calls fetch the first page at the call (errors raise there) and
return a page that is also iterable over every item; async pages fetch the pages
after them (``get_next_page``, ``iter_pages``, ``async for``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from runloop_async import (
    AsyncRunloop,
    AuthenticationError,
    NoNextPageError,
    NotFoundError,
    Page,
    PageInfo,
    Runloop,
    ScenarioRunView,
    SyncPage,
)


def list_requests(emulator: Any, path: str) -> int:
    return sum(1 for r in emulator.requests if r.method == "GET" and r.path == path)


@pytest.fixture
def client(runloop_emulator: Any) -> Iterator[Runloop]:
    with Runloop(runloop_emulator.api_key, runloop_emulator.base_url, max_retries=0) as c:
        yield c


def test_sync_list_fetches_the_first_page_at_the_call(
    client: Runloop, runloop_emulator: Any
) -> None:
    ids = runloop_emulator.seed_runs(5)
    page = client.scenarios.runs.list(limit=2, include_total_count=True)
    assert list_requests(runloop_emulator, "/v1/scenarios/runs") == 1
    assert isinstance(page, SyncPage)
    assert len(page.runs) == 2
    assert all(isinstance(run, ScenarioRunView) for run in page.runs)
    assert page.items == page.runs
    assert page.has_more is True
    assert page.total_count == 5
    assert page.has_next_page()
    assert page.next_page_info() == PageInfo(params={"starting_after": page.runs[-1].id})
    second = page.get_next_page()
    assert [r.id for r in second.runs] != [r.id for r in page.runs]
    assert sorted(r.id for r in page) == sorted(ids)  # every item of every page
    assert [len(p.runs) for p in page.iter_pages()] == [2, 2, 1]
    with pytest.raises(AttributeError, match="lists 'runs'"):
        page.benchmarks  # noqa: B018


def test_sync_list_errors_raise_at_the_call(client: Runloop, runloop_emulator: Any) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.benchmark_runs.list_scenario_runs("bmr_missing")
    assert caught.value.status_code == 404
    with (
        Runloop("wrong-key", runloop_emulator.base_url, max_retries=0) as stranger,
        pytest.raises(AuthenticationError),
    ):
        stranger.scenarios.list()


def test_every_sync_list_has_its_wire_key(client: Runloop, runloop_emulator: Any) -> None:
    runloop_emulator.add_scenario("s")
    bench = runloop_emulator.add_benchmark("b")
    runloop_emulator.add_public_scenario("p")
    runloop_emulator.add_public_benchmark("pb")
    assert len(client.scenarios.list().scenarios) == 1
    assert len(client.scenarios.list_public().scenarios) == 1
    assert len(client.benchmarks.list().benchmarks) == 1
    assert len(client.benchmarks.list_public().benchmarks) == 1
    assert client.benchmarks.definitions(bench["id"]).scenarios == []
    assert client.scenarios.scorers.list().scorers == []
    assert client.benchmark_runs.list().runs == []
    assert client.benchmark_jobs.list().jobs == []


def test_last_page_has_no_next(client: Runloop, runloop_emulator: Any) -> None:
    runloop_emulator.seed_runs(1)
    page = client.scenarios.runs.list()
    assert not page.has_next_page()
    assert page.next_page_info() is None
    with pytest.raises(NoNextPageError):
        page.get_next_page()


@pytest.mark.anyio
async def test_async_pages_fetch_the_pages_after_them(runloop_emulator: Any) -> None:
    ids = runloop_emulator.seed_runs(5)
    async with AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url) as client:
        pager = client.scenarios.runs.list(limit=2)
        assert list_requests(runloop_emulator, "/v1/scenarios/runs") == 0  # still lazy
        first = await pager
        assert isinstance(first, Page)
        assert len(first.runs) == 2
        assert first.next_page_info() == PageInfo(params={"starting_after": first.runs[-1].id})
        second = await first.get_next_page()
        third = await second.get_next_page()
        assert len(third.runs) == 1
        assert not third.has_next_page()
        with pytest.raises(NoNextPageError):
            await third.get_next_page()
        assert [len(p.runs) async for p in first.iter_pages()] == [2, 2, 1]
        assert sorted([r.id async for r in first]) == sorted(ids)
        assert sorted([r.id async for r in second]) == sorted(r.id for r in [*second, *third])
        assert sorted([r.id async for r in pager]) == sorted(ids)
