"""``with_raw_response`` / ``with_streaming_response`` of the blocking resources.

Each call forwards to the async wrapper (:func:`call_raw`) on the client's loop thread
and converts the answer: an async page becomes a :class:`SyncPage`.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .._pager import Page
from .._raw import call_raw, raw_method_names, sub_resource
from .._response import APIResponse, AsyncAPIResponse
from ._portal import LoopThread

if TYPE_CHECKING:
    from ._base import SyncResource

__all__ = ["RawResponses", "ResponseContextManager", "to_sync"]


def to_sync(loop: LoopThread, response: AsyncAPIResponse[Any]) -> APIResponse[Any]:
    """The blocking twin of an async raw response (pages become ``SyncPage``)."""
    from ._pager import SyncPage

    parsed = response._parsed
    if isinstance(parsed, Page):
        parsed = SyncPage(loop, parsed)
    return APIResponse(
        raw=response._raw,
        request=response.http_request,
        parsed=parsed,
        retries_taken=response.retries_taken,
    )


class ResponseContextManager:
    """``with resource.with_streaming_response.method(...) as response:``.

    The request is made on entry; the response is closed on exit.
    """

    def __init__(self, make: Callable[[], APIResponse[Any]]) -> None:
        self._make = make
        self._response: APIResponse[Any] | None = None

    def __enter__(self) -> APIResponse[Any]:
        self._response = self._make()
        return self._response

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._response is not None:
            self._response.close()


class RawResponses:
    """``resource.with_raw_response`` of a blocking resource (or, with
    ``streaming=True``, ``with_streaming_response``).

    ``client.scenarios.with_raw_response.retrieve(id)`` gives an :class:`APIResponse`
    (``status_code``, ``headers``, ``parse()``...); ``with
    client.scenarios.with_streaming_response.retrieve(id) as response:`` gives the
    same inside a block.
    """

    __slots__ = ("_resource", "_streaming")

    def __init__(self, resource: SyncResource[Any], *, streaming: bool = False) -> None:
        self._resource = resource
        self._streaming = streaming

    def __getattr__(self, name: str) -> Any:
        from ._base import SyncResource

        target = self._resource._async
        sub = sub_resource(self._resource, name, SyncResource, target)
        if sub is not None:
            return RawResponses(sub, streaming=self._streaming)
        loop = self._resource._loop

        def raw(*args: Any, **kwargs: Any) -> APIResponse[Any]:
            return to_sync(loop, loop.call(call_raw, target, name, args, kwargs))

        if self._streaming:
            return lambda *args, **kwargs: ResponseContextManager(lambda: raw(*args, **kwargs))
        return raw

    def __dir__(self) -> list[str]:
        return raw_method_names(self._resource._async)
