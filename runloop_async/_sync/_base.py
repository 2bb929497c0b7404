"""``SyncResource``: the base of every blocking resource (the async twin + the loop thread)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Generic, ParamSpec, Protocol, TypeVar

from ._managed import ManagedRun
from ._portal import LoopThread

if TYPE_CHECKING:
    # Annotations only: pages, managed runs (and their step helpers) and raw
    # responses load with their first use, not with the blocking client.
    from .._pager import AsyncPager
    from .._resources.managed import AsyncManagedRun
    from ._pager import SyncPage
    from ._raw import RawResponses

__all__ = ["SyncResource"]

T = TypeVar("T")
A = TypeVar("A")
P = ParamSpec("P")


class _Call(Protocol):
    def __call__(
        self, fn: Callable[P, Awaitable[T]], /, *args: P.args, **kwargs: P.kwargs
    ) -> T: ...


class SyncResource(Generic[A]):
    """Base of the blocking resources: the async twin plus the client's loop thread.

    Every method body is one call of ``_call`` (or :meth:`_paged` for lists).
    """

    __slots__ = ("_async", "_call", "_loop")

    def __init__(self, loop: LoopThread, async_resource: A) -> None:
        self._loop = loop
        self._async = async_resource
        #: Runs ``fn(*args, **kwargs)`` on the loop and blocks until it is done: the
        #: loop thread's own ``call``, with no method of ours around it (every call).
        self._call: _Call = loop.call

    @property
    def with_raw_response(self) -> RawResponses:
        """This resource's methods, returning an ``APIResponse`` (status, headers,
        ``parse()``) instead of the parsed result, as in the official SDK."""
        from ._raw import RawResponses

        return RawResponses(self)

    @property
    def with_streaming_response(self) -> RawResponses:
        """As :attr:`with_raw_response`, each call used as ``with ... as response:``."""
        from ._raw import RawResponses

        return RawResponses(self, streaming=True)

    def _paged(
        self, fn: Callable[P, AsyncPager[T]], /, *args: P.args, **kwargs: P.kwargs
    ) -> SyncPage[T]:
        # The arguments are checked here; the first page is fetched at the call, so a
        # bad key or filter (401, 404) raises where the call is, as in the official SDK.
        from ._pager import SyncPage  # with the first list call, not at import

        return SyncPage(self._loop, self._loop.call(fn(*args, **kwargs).fetch_page))

    def _managed(
        self, fn: Callable[P, AsyncManagedRun], /, *args: P.args, **kwargs: P.kwargs
    ) -> ManagedRun:
        return ManagedRun(self._loop, fn(*args, **kwargs))
