"""``resource.with_raw_response`` / ``with_streaming_response`` for every async resource.

One wrapper serves every method of every resource: it runs the resource's own method
on a copy of the resource whose transport is tapped (each attempt is forwarded and
the last answer kept), then hands back the answer with the parsed result. Errors
raise as they do without the wrapper. The blocking twin is in ``_sync/_raw.py``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

import attrs

from ._http import RawResponse
from ._request import PreparedRequest
from ._response import AsyncAPIResponse, RawRequest

if TYPE_CHECKING:
    from ._http import Transport
    from ._resources._base import Resource

__all__ = [
    "AsyncRawResponses",
    "AsyncResponseContextManager",
    "Tap",
    "call_raw",
    "raw_method_names",
    "sub_resource",
    "NOT_WRAPPED",
]

#: Methods that make no single request to return raw (``managed_run`` is a context).
NOT_WRAPPED = frozenset({"managed_run"})


class Tap:
    """A transport stand-in for one raw call: forwards every attempt, keeps the last.

    Anything else is looked up on the real transport, so it follows that class's
    changes without edits here.
    """

    def __init__(self, parent: Transport) -> None:
        self._parent = parent
        self.last: tuple[PreparedRequest, RawResponse, int] | None = None

    async def send(self, request: PreparedRequest, *args: Any, **kwargs: Any) -> RawResponse:
        """Send one attempt through the real transport and remember its answer."""
        raw = await self._parent.send(request, *args, **kwargs)
        self.last = (request, raw, int(kwargs.get("retries", 0)))
        return raw

    def __getattr__(self, name: str) -> Any:
        return getattr(self._parent, name)


def raw_method_names(resource: object) -> list[str]:
    """The public methods of ``resource`` that have a raw twin (pure)."""
    return sorted(
        name
        for name in dir(type(resource))
        if not name.startswith("_")
        and name not in NOT_WRAPPED
        and callable(getattr(type(resource), name))
    )


def sub_resource(resource: object, name: str, sub_type: type, methods_of: object) -> Any:
    """What ``<wrapper>.<name>`` resolves to: a sub-resource of ``resource`` (returned),
    or a method of ``methods_of`` with a raw twin (``None``).

    Raises:
        AttributeError: any other name.
    """
    if name.startswith("_"):
        raise AttributeError(name)
    attr = getattr(resource, name)
    if isinstance(attr, sub_type):
        return attr
    if name not in raw_method_names(methods_of):
        raise AttributeError(f"{name!r} has no raw-response form")
    return None


async def call_raw(
    resource: Resource, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> AsyncAPIResponse[Any]:
    """Run ``resource.<name>(*args, **kwargs)`` and return its last answer, parsed.

    Raises:
        APIError: whatever the method raises (non-2xx answers included).
    """
    core = resource._core
    tap = Tap(core.transport)
    tapped = type(resource)(attrs.evolve(core, transport=cast("Transport", tap)))
    # A coroutine, or an AsyncPager for lists (awaiting it fetches the first page).
    parsed = await getattr(tapped, name)(*args, **kwargs)
    if tap.last is None:  # pragma: no cover - every wrapped method sends a request
        raise RuntimeError(f"{name} sent no request")
    request, raw, retries = tap.last
    base_url = str(getattr(core.transport, "base_url", ""))
    return AsyncAPIResponse(
        raw=raw, request=RawRequest.of(request, base_url), parsed=parsed, retries_taken=retries
    )


class AsyncResponseContextManager:
    """``async with resource.with_streaming_response.method(...) as response:``.

    The request is made on entry; the response is closed on exit.
    """

    def __init__(self, make: Callable[[], Awaitable[AsyncAPIResponse[Any]]]) -> None:
        self._make = make
        self._response: AsyncAPIResponse[Any] | None = None

    async def __aenter__(self) -> AsyncAPIResponse[Any]:
        self._response = await self._make()
        return self._response

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            await self._response.close()

    def __await__(self) -> Generator[Any, None, AsyncAPIResponse[Any]]:
        # Not in the official SDK (there it must be a context manager); harmless.
        return self._make().__await__()


class AsyncRawResponses:
    """``resource.with_raw_response`` (or, with ``streaming=True``,
    ``with_streaming_response``): the resource's methods and sub-resources, returning
    raw responses.

    ``await client.scenarios.with_raw_response.retrieve(id)`` gives an
    :class:`AsyncAPIResponse` (``status_code``, ``headers``, ``await .parse()``...);
    ``async with client.scenarios.with_streaming_response.retrieve(id) as response:``
    gives the same inside a block.
    """

    __slots__ = ("_resource", "_streaming")

    def __init__(self, resource: Resource, *, streaming: bool = False) -> None:
        self._resource = resource
        self._streaming = streaming

    def __getattr__(self, name: str) -> Any:
        from ._resources._base import Resource

        resource = self._resource
        sub = sub_resource(resource, name, Resource, resource)
        if sub is not None:
            return AsyncRawResponses(sub, streaming=self._streaming)

        if self._streaming:

            def streamed(*args: Any, **kwargs: Any) -> AsyncResponseContextManager:
                return AsyncResponseContextManager(lambda: call_raw(resource, name, args, kwargs))

            return streamed

        async def raw(*args: Any, **kwargs: Any) -> AsyncAPIResponse[Any]:
            return await call_raw(resource, name, args, kwargs)

        return raw

    def __dir__(self) -> list[str]:
        return raw_method_names(self._resource)
