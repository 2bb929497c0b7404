"""Raw responses: ``with_raw_response`` / ``with_streaming_response`` results, as in 1.32.

One class holds what the answer was (status, headers, body, the request that got it,
the parsed result); the async and blocking responses only expose it, with ``await``
or without. Bodies are read in full before the response is handed out (every answer
of this API is a JSON document or the logs zip), so "streaming" iterates over bytes
already received; to stream the logs zip to disk, use ``download_logs_to_file``.
"""

from __future__ import annotations

import codecs
import datetime
import os
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any, Generic, TypeVar

import attrs

from ._attrs_methods import AttrsMethods
from ._http import RawResponse
from ._jsonlib import loads
from ._request import PreparedRequest

__all__ = [
    "APIResponse",
    "AsyncAPIResponse",
    "BaseAPIResponse",
    "Headers",
    "RawRequest",
    "DEFAULT_CHUNK",
]

R = TypeVar("R")
_T = TypeVar("_T")

#: Chunk size of ``iter_bytes()`` when none is given.
DEFAULT_CHUNK = 64 * 1024


class Headers(Mapping[str, str]):
    """Response headers, looked up case-insensitively (``headers["X-Request-Id"]``)."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, str]) -> None:
        self._items = {k.lower(): v for k, v in items.items()}

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Headers({self._items!r})"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class RawRequest(AttrsMethods):
    """The request that got a raw response (the official ``http_request``, in short).

    Attributes:
        method: ``GET`` or ``POST``.
        url: The full URL, query string included.
        headers: The headers sent, except ``Authorization`` (never kept).
        content: The JSON body sent (``b""`` when none).
    """

    method: str
    url: str
    headers: Headers
    content: bytes

    @classmethod
    def of(cls, request: PreparedRequest, base_url: str) -> RawRequest:
        """Describe a prepared request sent to ``base_url`` (pure)."""
        from urllib.parse import urlencode

        from ._jsonlib import dumps

        query = f"?{urlencode(request.query)}" if request.query else ""
        return cls(
            method=request.method,
            url=f"{base_url}{request.path}{query}",
            headers=Headers(request.headers),
            content=dumps(request.json_body) if request.has_body else b"",
        )


class BaseAPIResponse(Generic[R]):
    """What both raw responses hold: the answer, its request and the parsed result.

    Attributes:
        http_request: The :class:`RawRequest` of the last attempt.
        retries_taken: How many retries it took (``0`` if the first attempt answered).
    """

    def __init__(
        self, *, raw: RawResponse, request: RawRequest, parsed: R, retries_taken: int
    ) -> None:
        self._raw = raw
        self._parsed = parsed
        self.http_request = request
        self.retries_taken = retries_taken
        self._closed = False

    @property
    def status_code(self) -> int:
        """The HTTP status (2xx: other statuses raise the usual ``APIStatusError``)."""
        return self._raw.status

    @property
    def headers(self) -> Headers:
        """The response headers (case-insensitive mapping)."""
        return Headers(self._raw.headers)

    @property
    def url(self) -> str:
        """The URL the request went to."""
        return self.http_request.url

    @property
    def method(self) -> str:
        """The request's HTTP method."""
        return self.http_request.method

    @property
    def http_version(self) -> str:
        """Always ``HTTP/1.1`` (the transport speaks nothing else)."""
        return "HTTP/1.1"

    @property
    def elapsed(self) -> datetime.timedelta:
        """Time from sending the last attempt to its last byte."""
        return datetime.timedelta(seconds=self._raw.elapsed)

    @property
    def is_closed(self) -> bool:
        """Whether the response was closed (a streaming block left, or ``close()``)."""
        return self._closed

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] type={type(self._parsed).__name__}>"

    def _parse_as(self, to: type[_T] | None) -> Any:
        if to is None:
            return self._parsed
        if to is bytes:
            return self._raw.body
        if to is str:
            return self._text()
        if attrs.has(to):
            from ._core import Core

            return Core.structure(self._json(), to, method=self.method, path=self.url)
        return self._json()

    def _text(self) -> str:
        return self._raw.body.decode(_charset(self._raw.headers), "replace")

    def _json(self) -> object:
        return loads(self._raw.body) if self._raw.body else None

    def _chunks(self, chunk_size: int | None) -> Iterator[bytes]:
        body, size = self._raw.body, chunk_size or DEFAULT_CHUNK
        for start in range(0, len(body), size):
            yield body[start : start + size]

    def _text_chunks(self, chunk_size: int | None) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(_charset(self._raw.headers))("replace")
        for chunk in self._chunks(chunk_size):
            text = decoder.decode(chunk)
            if text:
                yield text
        tail = decoder.decode(b"", final=True)
        if tail:
            yield tail

    def _lines(self) -> Iterator[str]:
        yield from self._text().splitlines()

    def write_to_file(self, file: str | os.PathLike[str]) -> None:
        """Write the body to ``file`` (the official ``BinaryAPIResponse.write_to_file``)."""
        with open(file, "wb") as handle:
            handle.write(self._raw.body)

    def stream_to_file(
        self, file: str | os.PathLike[str], *, chunk_size: int | None = None
    ) -> None:
        """Write the body to ``file`` chunk by chunk (the official name).

        The body was already received in full; for logs too big for memory, use
        ``client.scenarios.runs.download_logs_to_file`` instead.
        """
        with open(file, "wb") as handle:
            for chunk in self._chunks(chunk_size):
                handle.write(chunk)


class APIResponse(BaseAPIResponse[R]):
    """A raw response from the blocking client (``client.x.with_raw_response.y(...)``)."""

    def parse(self, *, to: type[_T] | None = None) -> Any:
        """The result the method returns normally (a model, a page, ...).

        Args:
            to: Parse into this type instead: an attrs model class, ``dict``/``list``
                (the JSON), ``str`` (the text) or ``bytes``. Default ``None``.

        Raises:
            APIResponseValidationError: the body does not fit ``to``.
        """
        return self._parse_as(to)

    def read(self) -> bytes:
        """The body's bytes."""
        return self._raw.body

    def text(self) -> str:
        """The body decoded as text (the charset of ``Content-Type``, else UTF-8)."""
        return self._text()

    def json(self) -> object:
        """The body decoded as JSON (``None`` for an empty body).

        Raises:
            ValueError: the body is not JSON.
        """
        return self._json()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body in chunks of ``chunk_size`` bytes (default 64 KiB)."""
        return self._chunks(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        """The body as text, decoded chunk by chunk."""
        return self._text_chunks(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        """The body's text, line by line (without line endings)."""
        return self._lines()

    def close(self) -> None:
        """Mark the response closed (the connection was released when it was read)."""
        self._closed = True


class AsyncAPIResponse(BaseAPIResponse[R]):
    """A raw response from the async client (``await client.x.with_raw_response.y(...)``)."""

    async def parse(self, *, to: type[_T] | None = None) -> Any:
        """The result the method returns normally (a model, a page, ...).

        Args:
            to: As for :meth:`APIResponse.parse`. Default ``None``.

        Raises:
            APIResponseValidationError: the body does not fit ``to``.
        """
        return self._parse_as(to)

    async def read(self) -> bytes:
        """The body's bytes."""
        return self._raw.body

    async def text(self) -> str:
        """The body decoded as text (the charset of ``Content-Type``, else UTF-8)."""
        return self._text()

    async def json(self) -> object:
        """The body decoded as JSON (``None`` for an empty body).

        Raises:
            ValueError: the body is not JSON.
        """
        return self._json()

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The body in chunks of ``chunk_size`` bytes (default 64 KiB)."""
        for chunk in self._chunks(chunk_size):
            yield chunk

    async def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        """The body as text, decoded chunk by chunk."""
        for chunk in self._text_chunks(chunk_size):
            yield chunk

    async def iter_lines(self) -> AsyncIterator[str]:
        """The body's text, line by line (without line endings)."""
        for line in self._lines():
            yield line

    async def close(self) -> None:
        """Mark the response closed (the connection was released when it was read)."""
        self._closed = True


def _charset(headers: Mapping[str, str]) -> str:
    content_type = headers.get("content-type", "")
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            try:
                return codecs.lookup(value.strip('"')).name
            except LookupError:
                break
    return "utf-8"
