"""One generic cursor pager and page for every list endpoint.

``await pager`` gives the first :class:`Page`; ``async for item in pager`` yields
every item of every page, fetching one page at a time (constant memory). A page knows
how to fetch the one after it (``get_next_page()``, ``iter_pages()``, ``async for``),
as the official SDK's pages do. The items key (``runs``, ``scenarios``, ...) is a
parameter, not a class per resource; the wire-key attributes (``page.runs``) are
typed descriptors on one base class, so ``page.benchmarks`` on a page of runs fails
type checking as well as at run time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import attrs

from ._attrs_methods import AttrsMethods
from ._exceptions import NoNextPageError

if TYPE_CHECKING:
    from ._models import (
        BenchmarkJobView,
        BenchmarkRunView,
        BenchmarkView,
        ScenarioRunView,
        ScenarioScorerView,
        ScenarioView,
    )

__all__ = [
    "AsyncPager",
    "BasePage",
    "Page",
    "PageInfo",
    "next_cursor",
    "unseen_cursor",
    "FetchPage",
]

T = TypeVar("T")
M = TypeVar("M")

#: Fetches one page given the query parameters for it.
FetchPage = Callable[[Mapping[str, object]], Awaitable["Page[T]"]]

_NO_NEXT_PAGE = (
    "No next page expected; please check `.has_next_page()` before calling `.get_next_page()`."
)


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


def unseen_cursor(cursor: str | None, seen: set[str]) -> str | None:
    """``cursor`` if paging should go on, recording it in ``seen``; else ``None``.

    A cursor seen before would loop forever on a misbehaving server, so it ends paging.
    """
    if cursor is None or cursor in seen:
        return None
    seen.add(cursor)
    return cursor


@attrs.frozen(kw_only=True, eq=False, repr=False)
class PageInfo(AttrsMethods):
    """What fetching the next page needs (the official SDK's ``PageInfo``).

    Attributes:
        params: The query parameters that change: ``{"starting_after": <id>}``.
    """

    params: Mapping[str, object]


class _Under(Generic[M]):
    """A page's items under their wire key, typed for one item model."""

    def __init__(self, key: str) -> None:
        self._key = key

    @overload
    def __get__(self, page: None, owner: type) -> _Under[M]: ...
    @overload
    def __get__(self, page: BasePage[M], owner: type) -> list[M]: ...
    def __get__(self, page: BasePage[M] | None, owner: type) -> list[M] | _Under[M]:
        return self if page is None else page._under(self._key)


class _Runs:
    """``page.runs``: scenario runs or benchmark runs, both listed under ``runs``."""

    @overload
    def __get__(self, page: None, owner: type) -> _Runs: ...
    @overload
    def __get__(self, page: BasePage[ScenarioRunView], owner: type) -> list[ScenarioRunView]: ...
    @overload
    def __get__(self, page: BasePage[BenchmarkRunView], owner: type) -> list[BenchmarkRunView]: ...
    def __get__(self, page: BasePage[Any] | None, owner: type) -> list[Any] | _Runs:
        return self if page is None else page._under("runs")


class BasePage(Generic[T]):
    """What every page has, async or blocking: items, counts and cursor.

    The items are also reachable under their wire key, as in the official SDK:
    ``page.runs`` (scenario runs and benchmark runs), ``page.scenarios``,
    ``page.scorers``, ``page.benchmarks``, ``page.jobs``. Asking a page for another
    key raises ``AttributeError`` (and fails ``mypy --strict``).
    """

    __slots__ = ()

    runs = _Runs()
    scenarios: _Under[ScenarioView] = _Under("scenarios")
    scorers: _Under[ScenarioScorerView] = _Under("scorers")
    benchmarks: _Under[BenchmarkView] = _Under("benchmarks")
    jobs: _Under[BenchmarkJobView] = _Under("jobs")

    if TYPE_CHECKING:
        # Provided by the concrete page classes (fields or properties).
        @property
        def items(self) -> list[T]: ...
        @property
        def items_key(self) -> str: ...
        @property
        def next_cursor(self) -> str | None: ...

    def _under(self, key: str) -> list[T]:
        if self.items_key != key:
            raise AttributeError(
                f"this page lists {self.items_key!r}, it has no {key!r} "
                f"(use .items for the items of any page)"
            )
        return self.items

    def has_next_page(self) -> bool:
        """Whether another page can be fetched (``next_cursor`` is set)."""
        return self.next_cursor is not None

    def next_page_info(self) -> PageInfo | None:
        """The query change that fetches the next page, or ``None`` on the last page."""
        if self.next_cursor is None:
            return None
        return PageInfo(params={"starting_after": self.next_cursor})


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Page(BasePage[T], AttrsMethods):
    """One page of a list endpoint (async client).

    ``for item in page`` and ``len(page)`` see this page's items; ``async for item in
    page`` yields every item from this page on, fetching the following pages.

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
    # Fetches the page after a cursor with this page's query; set by the pager.
    _fetch_after: Callable[[str], Awaitable[Page[T]]] | None = attrs.field(
        default=None, eq=False, repr=False, alias="fetch_after"
    )

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    async def get_next_page(self) -> Page[T]:
        """Fetch the page after this one (same query, ``starting_after`` moved).

        Raises:
            NoNextPageError: this is the last page (check :meth:`has_next_page`).
            APIError: the request failed (see the error tree).
        """
        if self.next_cursor is None or self._fetch_after is None:
            raise NoNextPageError(_NO_NEXT_PAGE)
        return await self._fetch_after(self.next_cursor)

    async def iter_pages(self) -> AsyncIterator[Page[T]]:
        """Yield this page, then each following page; one request per page."""
        page, seen = self, set[str]()
        while True:
            yield page
            if unseen_cursor(page.next_cursor, seen) is None:
                return
            page = await page.get_next_page()

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item


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
        return self.fetch_page().__await__()

    async def fetch_page(self, starting_after: str | None = None) -> Page[T]:
        """Fetch one page: the first, or the one after the ``starting_after`` cursor.

        The query is this pager's, with only ``starting_after`` replaced (a page's
        :attr:`Page.next_cursor` is the cursor of the page after it).

        Raises:
            APIError: the request failed (see the error tree).
        """
        params = dict(self._params)
        if starting_after is not None:
            params["starting_after"] = starting_after
        page = await self._fetch(params)
        return attrs.evolve(page, fetch_after=self.fetch_page)

    async def iter_pages(self) -> AsyncIterator[Page[T]]:
        """Yield each page in turn, starting from the first."""
        async for page in (await self).iter_pages():
            yield page

    async def __aiter__(self) -> AsyncIterator[T]:
        async for item in await self:
            yield item

    async def to_list(self, max_items: int | None = None) -> list[T]:
        """Collect every item (or the first ``max_items``) into a list."""
        out: list[T] = []
        if max_items is not None and max_items <= 0:
            return out
        async for item in self:
            out.append(item)
            if max_items is not None and len(out) >= max_items:
                break
        return out
