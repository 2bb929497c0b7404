"""SyncPage over a scripted page source (no HTTP): paging, early break, limits, 1.x API."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping

import pytest

from runloop_async import AsyncPager, NoNextPageError, Page, PageInfo, SyncPage
from runloop_async._sync import LoopThread

ITEMS = [f"item_{i}" for i in range(7)]


async def _noop() -> None:
    return None


@pytest.fixture
def loop() -> Iterator[LoopThread]:
    lt = LoopThread(_noop, name="runloop-loop-pager-test")
    try:
        yield lt
    finally:
        lt.close()


class Source:
    """Pages of ``size`` items, cursor = last id; records each query and its thread."""

    def __init__(self, size: int = 3, loop_cursor: bool = False) -> None:
        self.size = size
        self.loop_cursor = loop_cursor
        self.queries: list[dict[str, object]] = []
        self.threads: set[int] = set()

    async def fetch(self, query: Mapping[str, object]) -> Page[str]:
        self.queries.append(dict(query))
        self.threads.add(threading.get_ident())
        after = query.get("starting_after")
        start = 0 if after is None else ITEMS.index(str(after)) + 1
        items = ITEMS[start : start + self.size]
        more = start + self.size < len(ITEMS)
        cursor = items[-1] if more and items else None
        if self.loop_cursor:
            cursor = ITEMS[0]
        return Page(items=items, has_more=more, items_key="items", next_cursor=cursor)


def first_page(loop: LoopThread, source: Source, **params: object) -> SyncPage[str]:
    """What a blocking ``list`` call does: build the pager, fetch page one at once."""
    return SyncPage(loop, loop.call(AsyncPager(source.fetch, params).fetch_page))


def test_the_first_page_is_fetched_at_once_and_iterating_yields_every_item(
    loop: LoopThread,
) -> None:
    source = Source()
    page = first_page(loop, source, limit=3, state="running")
    assert len(source.queries) == 1
    assert page.items == ITEMS[:3]
    assert list(page) == ITEMS
    assert [q.get("starting_after") for q in source.queries] == [None, "item_2", "item_5"]
    assert all(q["limit"] == 3 and q["state"] == "running" for q in source.queries)
    assert source.threads == {loop.thread_id}
    # Each iteration starts again from this page (no request for it).
    assert list(page) == ITEMS
    assert len(source.queries) == 5


def test_page_attributes_of_the_official_sdk(loop: LoopThread) -> None:
    source = Source()
    page = first_page(loop, source)
    assert page.has_more is True
    assert page.total_count is None
    assert page.has_next_page()
    info = page.next_page_info()
    assert info == PageInfo(params={"starting_after": "item_2"})
    second = page.get_next_page()
    assert second.items == ITEMS[3:6]
    assert [p.items for p in page.iter_pages()] == [ITEMS[:3], ITEMS[3:6], ITEMS[6:]]
    last = second.get_next_page()
    assert not last.has_next_page()
    assert last.next_page_info() is None
    with pytest.raises(NoNextPageError, match="has_next_page"):
        last.get_next_page()
    with pytest.raises(RuntimeError):  # what the official SDK raises
        last.get_next_page()
    # iter_pages starts at the page it is called on.
    assert [p.items for p in second.iter_pages()] == [ITEMS[3:6], ITEMS[6:]]
    assert repr(page).startswith("SyncPage(items=")


def test_early_break_fetches_no_more_and_leaves_nothing_running(loop: LoopThread) -> None:
    source = Source()
    page = first_page(loop, source)
    for item in page:
        if item == "item_1":
            break
    assert len(source.queries) == 1
    assert loop._futures == set()
    assert page.to_list(max_items=4) == ITEMS[:4]
    assert len(source.queries) == 2  # page one is held; one more page for four items
    assert page.to_list(max_items=0) == []
    assert page.to_list() == ITEMS


def test_a_repeated_cursor_ends_paging(loop: LoopThread) -> None:
    source = Source(loop_cursor=True)
    pages = list(first_page(loop, source).iter_pages())
    assert len(pages) == 2  # the second page repeats the cursor: stop there
