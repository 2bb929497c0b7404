"""The transport of a ``with_options`` copy: the client's, behind its own close.

A copy does not own the connections. Closing it refuses further calls through the
copy; the client it was made from (and its other copies) keep working. Closing that
client closes the connections under every copy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from ._exceptions import ClientClosedError

if TYPE_CHECKING:
    from ._http import RawResponse, Transport
    from ._request import PreparedRequest

__all__ = ["CopyTransport", "copy_transport"]

_COPY_CLOSED = "this with_options() copy is closed; the client it was made from is still open"


class CopyTransport:
    """Forwards to the parent transport until :meth:`close` is called on the copy.

    Anything else is looked up on the parent, so it follows that class's changes.
    """

    def __init__(self, parent: Transport) -> None:
        self._parent = parent
        self._copy_closed = False

    @property
    def closed(self) -> bool:
        """Whether the copy, or the transport under it, was closed."""
        return self._copy_closed or self._parent.closed

    async def send(self, request: PreparedRequest, *args: Any, **kwargs: Any) -> RawResponse:
        """Send one attempt through the parent transport.

        Raises:
            ClientClosedError: this copy was closed.
        """
        if self._copy_closed:
            raise ClientClosedError(_COPY_CLOSED)
        return await self._parent.send(request, *args, **kwargs)

    async def close(self) -> None:
        """Close the copy only; the parent transport and its sessions stay open."""
        self._copy_closed = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._parent, name)


def copy_transport(parent: Transport) -> Transport:
    """A :class:`CopyTransport` over ``parent``, typed as the transport it stands for."""
    return cast("Transport", CopyTransport(parent))
