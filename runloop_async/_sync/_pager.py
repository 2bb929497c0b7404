"""``SyncPager``: the blocking twin of :class:`AsyncPager`, and the sync resource base."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Generic, ParamSpec, TypeVar

from .._pager import AsyncPager, Page
from .._resources.managed import AsyncManagedRun
from ._managed import ManagedRun
from ._portal import LoopThread

__all__ = ["SyncPager", "SyncResource"]

T = TypeVar("T")
A = TypeVar("A")
P = ParamSpec("P")


class SyncPager(Generic[T]):
    """Result of a blocking ``list`` call: iterate it for every item, page by page.

    Each page is one blocking call through the client's loop thread; no async
    iterator crosses threads, so breaking out of a ``for`` loop early leaves nothing
    running. Nothing is sent until the pager is used; each iteration starts again from
    the first page. The query (filters, ``limit``) is repeated on every page.

    Example::

        for run in client.scenarios.runs.list(state="running"):
            print(run.id)
        page = client.scenarios.runs.list(limit=10).first_page()
    """

    __slots__ = ("_loop", "_pager")

    def __init__(self, loop: LoopThread, pager: AsyncPager[T]) -> None:
        self._loop = loop
        self._pager = pager

    def __repr__(self) -> str:
        return f"SyncPager({self._pager!r})"

    def first_page(self) -> Page[T]:
        """Fetch the first page (the result of ``await pager`` in async code).

        Raises:
            APIError: the request failed (see the error tree).
            ClientClosedError: the client is closed.
        """
        return self._loop.call(self._pager.fetch_page)

    def page(self) -> Page[T]:
        """Same as :meth:`first_page`."""
        return self.first_page()

    def fetch_page(self, starting_after: str | None = None) -> Page[T]:
        """Fetch one page: the first, or the one after ``starting_after``
        (a page's :attr:`Page.next_cursor`).

        Raises:
            APIError: the request failed.
            ClientClosedError: the client is closed.
        """
        return self._loop.call(self._pager.fetch_page, starting_after)

    def iter_pages(self) -> Iterator[Page[T]]:
        """Yield each page in turn, starting from the first; one request per page."""
        page = self.fetch_page()
        seen: set[str] = set()
        while True:
            yield page
            cursor = page.next_cursor
            if cursor is None or cursor in seen:
                # A cursor seen before would loop forever on a misbehaving server.
                return
            seen.add(cursor)
            page = self.fetch_page(cursor)

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.items

    def to_list(self, max_items: int | None = None) -> list[T]:
        """Collect every item (or the first ``max_items``) into a list."""
        out: list[T] = []
        if max_items is not None and max_items <= 0:
            return out
        for item in self:
            out.append(item)
            if max_items is not None and len(out) >= max_items:
                break
        return out


class SyncResource(Generic[A]):
    """Base of the blocking resources: the async twin plus the client's loop thread.

    Every method body is one call of :meth:`_call` (or :meth:`_paged` for lists).
    """

    __slots__ = ("_async", "_loop")

    def __init__(self, loop: LoopThread, async_resource: A) -> None:
        self._loop = loop
        self._async = async_resource

    def _call(self, fn: Callable[P, Awaitable[T]], /, *args: P.args, **kwargs: P.kwargs) -> T:
        return self._loop.call(fn, *args, **kwargs)

    def _paged(
        self, fn: Callable[P, AsyncPager[T]], /, *args: P.args, **kwargs: P.kwargs
    ) -> SyncPager[T]:
        return SyncPager(self._loop, fn(*args, **kwargs))

    def _managed(
        self, fn: Callable[P, AsyncManagedRun], /, *args: P.args, **kwargs: P.kwargs
    ) -> ManagedRun:
        return ManagedRun(self._loop, fn(*args, **kwargs))
