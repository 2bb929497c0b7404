"""``SyncPage``: the blocking twin of :class:`Page`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from .._pager import BasePage, Page, unseen_cursor
from ._portal import LoopThread

__all__ = ["SyncPage"]

T = TypeVar("T")


class SyncPage(BasePage[T]):
    """Result of a blocking ``list`` call: the first page, fetched at the call.

    As in the official SDK, it has the page's attributes (``.items``, the items under
    their wire key such as ``.runs`` or ``.scenarios``, ``.has_more``,
    ``.total_count``, :meth:`has_next_page`, :meth:`get_next_page`,
    :meth:`next_page_info`, :meth:`iter_pages`) and iterating it yields every item
    of every page from this one on, fetching each next page when the loop gets
    there (one blocking call per page through the client's loop thread, so breaking
    out early leaves nothing running). The query (filters, ``limit``) is repeated on
    every page.

    Example::

        page = client.scenarios.runs.list(state="running", limit=100)
        print(len(page.runs), page.has_more)
        for run in page:  # every running run, page after page
            print(run.id)
    """

    __slots__ = ("_loop", "_page")

    def __init__(self, loop: LoopThread, page: Page[T]) -> None:
        self._loop = loop
        self._page = page

    def __repr__(self) -> str:
        return f"Sync{self._page!r}"

    @property
    def items(self) -> list[T]:
        """The items on this page."""
        return self._page.items

    @property
    def items_key(self) -> str:
        """The JSON key the items came under (``runs``, ``scenarios``, ...)."""
        return self._page.items_key

    @property
    def has_more(self) -> bool:
        """Whether the server says more pages follow."""
        return self._page.has_more

    @property
    def total_count(self) -> int | None:
        """Total matching items, when the server counted them."""
        return self._page.total_count

    @property
    def next_cursor(self) -> str | None:
        """``starting_after`` of the next page, ``None`` on the last page."""
        return self._page.next_cursor

    def get_next_page(self) -> SyncPage[T]:
        """Fetch the page after this one (same query, ``starting_after`` moved).

        Raises:
            NoNextPageError: this is the last page (check :meth:`has_next_page`).
            APIError: the request failed (see the error tree).
            ClientClosedError: the client is closed.
        """
        return SyncPage(self._loop, self._loop.call(self._page.get_next_page))

    def iter_pages(self) -> Iterator[SyncPage[T]]:
        """Yield this page, then each following page; one request per page."""
        page, seen = self, set[str]()
        while True:
            yield page
            if unseen_cursor(page.next_cursor, seen) is None:
                return
            page = page.get_next_page()

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.items

    def to_list(self, max_items: int | None = None) -> list[T]:
        """Collect every item from this page on (or the first ``max_items``) into a list.

        Raises:
            APIError: fetching a following page failed.
        """
        out: list[T] = []
        if max_items is not None and max_items <= 0:
            return out
        for item in self:
            out.append(item)
            if max_items is not None and len(out) >= max_items:
                break
        return out
