"""SyncPager over a scripted page source (no HTTP): paging, early break, limits."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping

import pytest

from runloop_async import AsyncPager, Page, SyncPager
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


def test_iterates_every_item_page_by_page_on_the_loop_thread(loop: LoopThread) -> None:
    source = Source()
    pager = SyncPager(loop, AsyncPager(source.fetch, {"limit": 3, "state": "running"}))
    assert list(pager) == ITEMS
    assert [q.get("starting_after") for q in source.queries] == [None, "item_2", "item_5"]
    assert all(q["limit"] == 3 and q["state"] == "running" for q in source.queries)
    assert source.threads == {loop.thread_id}
    # Each iteration starts again from the first page.
    assert list(pager) == ITEMS
    assert len(source.queries) == 6


def test_first_page_and_fetch_page(loop: LoopThread) -> None:
    source = Source()
    pager = SyncPager(loop, AsyncPager(source.fetch, {}))
    first = pager.first_page()
    assert first.items == ITEMS[:3]
    assert pager.page().items == first.items
    assert first.next_cursor == "item_2"
    assert pager.fetch_page(first.next_cursor).items == ITEMS[3:6]
    assert [len(p) for p in pager.iter_pages()] == [3, 3, 1]


def test_early_break_fetches_no_more_and_leaves_nothing_running(loop: LoopThread) -> None:
    source = Source()
    pager = SyncPager(loop, AsyncPager(source.fetch, {}))
    for item in pager:
        if item == "item_1":
            break
    assert len(source.queries) == 1
    assert loop._futures == set()
    assert pager.to_list(max_items=4) == ITEMS[:4]
    assert len(source.queries) == 3  # 1 + 2 pages for four items
    assert pager.to_list(max_items=0) == []
    assert pager.to_list() == ITEMS


def test_a_repeated_cursor_ends_paging(loop: LoopThread) -> None:
    source = Source(loop_cursor=True)
    pager = SyncPager(loop, AsyncPager(source.fetch, {}))
    pages = list(pager.iter_pages())
    assert len(pages) == 2  # the second page repeats the cursor: stop there
