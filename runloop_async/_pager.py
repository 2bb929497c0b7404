"""One generic cursor pager for every list endpoint.

``await pager`` gives the first :class:`Page`; ``async for item in pager`` yields
every item of every page, fetching one page at a time (constant memory). The items
key (``runs``, ``scenarios``, ...) is a parameter, not a class per resource.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from typing import Any, Generic, TypeVar

import attrs

__all__ = ["AsyncPager", "Page", "next_cursor"]

T = TypeVar("T")

#: Fetches one page given the query parameters for it.
FetchPage = Callable[[Mapping[str, object]], Awaitable["Page[T]"]]


def next_cursor(last_id: object, has_more: object, count: int) -> str | None:
    """The ``starting_after`` for the next page, or ``None`` when paging is over.

    Paging stops when ``has_more`` is explicitly false, the page is empty, or its
    last item has no string id (the official SDK's rule, so a server that leaves
    ``has_more`` out is paged until an empty page).
    """
    if has_more is False or count == 0:
        return None
    if not isinstance(last_id, str) or not last_id:
        return None
    return last_id


@attrs.frozen(kw_only=True)
class Page(Generic[T]):
    """One page of a list endpoint.

    Iterating over a page yields its items. For ports from the official SDK the
    items are also reachable under the wire key (``page.runs``, ``page.scenarios``).

    Attributes:
        items: The items on this page.
        has_more: Whether the server says more pages follow.
        total_count: Total matching items, when the server counted them (``None``
            when ``include_total_count=False``).
        items_key: The JSON key the items came under.
        next_cursor: ``starting_after`` for the next page, ``None`` on the last page.
    """

    items: list[T]
    has_more: bool
    total_count: int | None = None
    items_key: str = "items"
    next_cursor: str | None = None

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getattr__(self, name: str) -> Any:
        # Only reached for names that are not attributes: the official page classes
        # expose the items under the wire key (page.runs, page.scenarios, ...).
        if name != "items_key" and name == self.items_key:
            return self.items
        raise AttributeError(name)

    def has_next_page(self) -> bool:
        """Whether another page can be fetched."""
        return self.next_cursor is not None


class AsyncPager(Generic[T]):
    """Awaitable (first page) and async-iterable (all items) result of a ``list`` call.

    The query (filters, ``limit``, ``include_total_count``) is repeated unchanged on
    every page; only ``starting_after`` moves. Nothing is sent until the pager is
    awaited or iterated; each ``async for`` starts again from the first page.
    """

    def __init__(self, fetch: FetchPage[T], params: Mapping[str, object]) -> None:
        self._fetch = fetch
        self._params = dict(params)

    def __repr__(self) -> str:
        return f"AsyncPager(params={self._params!r})"

    def __await__(self) -> Generator[Any, None, Page[T]]:
        return self._fetch(self._params).__await__()

    async def fetch_page(self, starting_after: str | None = None) -> Page[T]:
        """Fetch one page: the first, or the one after the ``starting_after`` cursor.

        The query is this pager's, with only ``starting_after`` replaced (a page's
        :attr:`Page.next_cursor` is the cursor of the page after it).
        """
        params = dict(self._params)
        if starting_after is not None:
            params["starting_after"] = starting_after
        return await self._fetch(params)

    async def iter_pages(self) -> AsyncIterator[Page[T]]:
        """Yield each page in turn, starting from the first."""
        params = dict(self._params)
        seen: set[str] = set()
        while True:
            page = await self._fetch(params)
            yield page
            cursor = page.next_cursor
            if cursor is None or cursor in seen:
                # A cursor seen before would loop forever on a misbehaving server.
                return
            seen.add(cursor)
            params["starting_after"] = cursor

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item

    async def to_list(self, max_items: int | None = None) -> list[T]:
        """Collect every item (or the first ``max_items``) into a list."""
        out: list[T] = []
        async for item in self:
            out.append(item)
            if max_items is not None and len(out) >= max_items:
                break
        return out
