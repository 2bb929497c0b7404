"""Shared plumbing for resource classes: argument checks, bodies, list pagers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from .._config import NotGiven, RequestOptions
from .._core import Core
from .._exceptions import APIResponseValidationError
from .._request import check_limit
from .._validate import check_query_value
from ._checked import checked_methods

if TYPE_CHECKING:
    from .._pager import AsyncPager, Page
    from .._raw import AsyncRawResponses

__all__ = ["Resource", "body", "build_page", "page_params"]

T = TypeVar("T")

# Python-side names the official SDK accepts in RunProfile dicts, and their wire keys.
_RUN_PROFILE_ALIASES = {"env_vars": "envVars", "launch_parameters": "launchParameters"}


class Resource:
    """Base of every resource: holds the call core shared with its client.

    Every public method of a subclass that takes ``**options`` is wrapped at class
    creation (see :mod:`._checked`), so unknown keyword arguments and bad option
    values raise :class:`InvalidArgumentError` at call time instead of being ignored.
    """

    __slots__ = ("_core",)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        checked_methods(cls)

    def __init__(self, core: Core) -> None:
        self._core = core

    @property
    def with_raw_response(self) -> AsyncRawResponses:
        """This resource's methods, returning an ``AsyncAPIResponse`` (status, headers,
        ``await .parse()``) instead of the parsed result, as in the official SDK."""
        from .._raw import AsyncRawResponses

        return AsyncRawResponses(self)

    @property
    def with_streaming_response(self) -> AsyncRawResponses:
        """As :attr:`with_raw_response`, each call used as ``async with ... as response:``."""
        from .._raw import AsyncRawResponses

        return AsyncRawResponses(self, streaming=True)

    def _list(
        self,
        cls: type[T],
        path: str,
        items_key: str,
        options: RequestOptions,
        /,
        **params: object,
    ) -> AsyncPager[T]:
        """The pager of every ``list``-like method: ``params`` checked now (see
        :func:`page_params`), each page fetched with them and structured as ``cls``."""
        from .._pager import AsyncPager  # with the first list call, not at import

        query = page_params(**params)
        core = self._core

        async def fetch(page_query: Mapping[str, object]) -> Page[T]:
            data = await core.request("GET", path, query=page_query, options=options)
            return build_page(data, cls, items_key, path=path)

        return AsyncPager(fetch, query)


def page_params(**params: object) -> dict[str, object]:
    """Query parameters of a list call, without NOT_GIVEN ones, each checked.

    Raises:
        InvalidArgumentError: ``limit`` outside 1..5000, a filter given as ``None``
            (leave it out instead: ``None`` would silently list everything), or a
            value of the wrong type (``123`` or a list where a str is expected).
    """
    given = {k: v for k, v in params.items() if not isinstance(v, NotGiven)}
    for key, value in given.items():
        check_query_value(value, key)
    if "limit" in given:
        check_limit(given["limit"])
    return given


def build_page(data: Any, cls: type[T], items_key: str, *, path: str) -> Page[T]:
    """Turn one decoded list answer into a :class:`Page` (pure apart from structuring)."""
    from .._converter import structure_list
    from .._pager import Page, next_cursor

    if not isinstance(data, dict) or not isinstance(data.get(items_key), list):
        raise APIResponseValidationError(
            f"expected an object with a list under {items_key!r}",
            json_path=f"$.{items_key}",
            method="GET",
            path=path,
            status_code=200,
        )
    has_more = data.get("has_more")
    total = data.get("total_count")
    try:
        items = structure_list(data[items_key], cls, items_key=items_key)
    except APIResponseValidationError as exc:
        exc.method, exc.path, exc.status_code = "GET", path, 200
        raise
    raw_items = data[items_key]
    last_id = raw_items[-1].get("id") if raw_items and isinstance(raw_items[-1], dict) else None
    return Page(
        items=items,
        has_more=has_more is not False,
        total_count=total if isinstance(total, int) and not isinstance(total, bool) else None,
        items_key=items_key,
        next_cursor=next_cursor(last_id, has_more, len(items)),
    )


def body(**fields: object) -> dict[str, object]:
    """A JSON body from keyword arguments: NOT_GIVEN keys are left out, None is null.

    attrs models are unstructured (wire names applied); mappings pass through, except
    that a ``run_profile`` mapping written with the official SDK's Python names
    (``env_vars``, ``launch_parameters``) is renamed to the wire keys.
    """
    from .._converter import unstructure

    out: dict[str, object] = {}
    for key, value in fields.items():
        if isinstance(value, NotGiven):
            continue
        if key == "runProfile" and isinstance(value, Mapping):
            value = {_RUN_PROFILE_ALIASES.get(k, k): v for k, v in value.items()}
        out[key] = value if _is_plain(value) else unstructure(value)
    return out


_SCALARS = (str, int, float, bool, type(None))


def _is_plain(value: object) -> bool:
    """A scalar, a flat dict of string values (metadata) or a list of scalars: nothing
    to unstructure, so it goes into the body as it is, not through the converter."""
    if value.__class__ in _SCALARS:
        return True
    if type(value) is list:
        return all(v.__class__ in _SCALARS for v in value)
    return type(value) is dict and all(v.__class__ is str for v in value.values())
