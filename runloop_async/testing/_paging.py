"""Cursor pagination exactly as the API does it (section 2 of the contract).

``limit`` defaults to 20 and must be 1..5000; ``starting_after`` is the id of the
last item of the previous page (an id the collection does not know is a 400);
``include_total_count`` defaults to true. Items come in creation order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ._errors import bad_request

__all__ = [
    "MAX_LIMIT", "PageParams", "Table", "matches_search", "page_body", "page_params", "paginate",
    "DEFAULT_LIMIT",
]  # fmt: skip

T = TypeVar("T")
MAX_LIMIT = 5000
DEFAULT_LIMIT = 20


@dataclass(frozen=True, slots=True)
class PageParams:
    """Parsed paging query parameters."""

    limit: int
    starting_after: str | None
    include_total_count: bool


def _parse_bool(name: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise bad_request(f"{name}: expected true or false, got {raw!r}")


def page_params(query: Mapping[str, str], *, total_param: bool = True) -> PageParams:
    """Parse ``limit``/``starting_after``/``include_total_count`` (400 on bad values)."""
    raw = query.get("limit")
    limit = DEFAULT_LIMIT
    if raw is not None:
        text = raw.strip()
        if not text.lstrip("+-").isdigit():
            raise bad_request(f"limit: expected an integer, got {raw!r}")
        limit = int(text)
        if not 1 <= limit <= MAX_LIMIT:
            raise bad_request(f"limit: must be between 1 and {MAX_LIMIT}, got {limit}")
    cursor = query.get("starting_after") or None
    include = True
    if total_param and "include_total_count" in query:
        include = _parse_bool("include_total_count", query["include_total_count"])
    return PageParams(limit=limit, starting_after=cursor, include_total_count=include)


def paginate(
    items: Sequence[T], start: int, params: PageParams, keep: Callable[[T], bool]
) -> tuple[list[T], bool, int | None]:
    """One page from ``items[start:]``: (page, has_more, total or None)."""
    page: list[T] = []
    has_more = False
    for item in _tail(items, start):
        if not keep(item):
            continue
        if len(page) == params.limit:
            has_more = True
            break
        page.append(item)
    total = sum(1 for item in items if keep(item)) if params.include_total_count else None
    return page, has_more, total


def _tail(items: Sequence[T], start: int) -> Iterator[T]:
    for index in range(start, len(items)):
        yield items[index]


def matches_search(search: str | None, *values: str | None) -> bool:
    """Case-insensitive substring test over id/name-like values."""
    if not search:
        return True
    needle = search.lower()
    return any(value is not None and needle in value.lower() for value in values)


def page_body(
    key: str, views: list[dict[str, Any]], has_more: bool, total: int | None
) -> dict[str, Any]:
    """The list response ``{key: [...], has_more, total_count?}``."""
    body: dict[str, Any] = {key: views, "has_more": has_more}
    if total is not None:
        body["total_count"] = total
    return body


class Table(Generic[T]):
    """Records by id, kept in creation order, with O(1) cursor lookup."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}
        self._order: list[T] = []
        self._pos: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, id_: object) -> bool:
        return id_ in self._items

    def add(self, id_: str, item: T) -> T:
        """Store a new record (ids are never reused)."""
        self._pos[id_] = len(self._order)
        self._items[id_] = item
        self._order.append(item)
        return item

    def get(self, id_: str) -> T | None:
        """The record or None."""
        return self._items.get(id_)

    def values(self) -> list[T]:
        """All records in creation order (the live list; do not mutate)."""
        return self._order

    def clear(self) -> None:
        """Forget everything."""
        self._items.clear()
        self._order.clear()
        self._pos.clear()

    def page(
        self, params: PageParams, keep: Callable[[T], bool]
    ) -> tuple[list[T], bool, int | None]:
        """A page of the records ``keep`` accepts, after the cursor."""
        start = 0
        if params.starting_after is not None:
            pos = self._pos.get(params.starting_after)
            if pos is None:
                raise bad_request(f"starting_after: unknown {self.kind} id")
            start = pos + 1
        return paginate(self._order, start, params, keep)
