"""Pure answer-body decoding with a size limit counted on the decoded bytes.

The transport reads bodies itself (aiohttp's automatic decompression is off) so that
a limit holds on what the body *becomes*: a 1 MB gzip body that inflates to 1 GiB
is stopped once the decoded bytes pass the limit, and never more than the limit
(plus one read chunk) is held, whatever the compression ratio. Each ``zlib`` step
is given ``max_length`` so a single highly compressed chunk cannot inflate past it
either.
"""

from __future__ import annotations

import zlib

__all__ = ["BodyTooLarge", "CorruptBody", "Decoder", "DECODED"]

#: Content codings decoded here. Only these are asked for (``Accept-Encoding``).
DECODED = frozenset({"gzip", "x-gzip", "deflate"})


class BodyTooLarge(Exception):
    """The decoded body passed the limit (``size`` bytes decoded when it stopped)."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


class CorruptBody(Exception):
    """The compressed body could not be decoded."""


def _inflater(encoding: str, first: bytes) -> zlib._Decompress:
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    # "deflate" is meant to be a zlib stream, but some servers send raw deflate:
    # a zlib stream starts with a header whose 16-bit value is a multiple of 31.
    zlib_header = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
    return zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)


class Decoder:
    """Decodes one body chunk by chunk; raises :class:`BodyTooLarge` past ``limit``.

    ``encoding`` is the ``Content-Encoding`` header (lower-cased); codings not in
    :data:`DECODED` (``identity``, or one we never asked for) pass through as they
    are, still counted against the limit. ``limit=None`` counts nothing.
    """

    def __init__(self, encoding: str, limit: int | None) -> None:
        self._encoding = encoding if encoding in DECODED else ""
        self._limit = limit
        self._size = 0
        self._inflate: zlib._Decompress | None = None
        # Bytes held back until a deflate stream's 2-byte header can be told apart.
        self._head = b""

    @property
    def size(self) -> int:
        """Decoded bytes so far."""
        return self._size

    def feed(self, chunk: bytes) -> bytes:
        """Decode ``chunk``; return the decoded bytes it gave."""
        if not self._encoding:
            return self._count(chunk)
        out: list[bytes] = []
        data = self._head + chunk
        if self._inflate is None and len(data) < 2:
            self._head = data
            return b""
        self._head = b""
        while data:
            if self._inflate is None or self._inflate.eof:
                # A new gzip member (concatenated members are legal) or the first one.
                self._inflate = _inflater(self._encoding, data)
            data = self._step(self._inflate, data, out)
        return b"".join(out)

    def _step(self, inflate: zlib._Decompress, data: bytes, out: list[bytes]) -> bytes:
        """Inflate what ``data`` holds within the limit; return input still to feed."""
        room = 0 if self._limit is None else self._limit - self._size + 1
        try:
            piece = inflate.decompress(data, room)
        except zlib.error as exc:
            raise CorruptBody(str(exc)) from None
        out.append(self._count(piece))
        if inflate.unconsumed_tail:
            return inflate.unconsumed_tail
        return inflate.unused_data if inflate.eof else b""

    def finish(self) -> bytes:
        """Flush the decoder at the end of the body; raises if it was cut short."""
        inflate = self._inflate
        if inflate is None:
            if self._head:
                raise CorruptBody("the compressed body ended early")
            return b""
        if not inflate.eof:
            raise CorruptBody("the compressed body ended early")
        return b""

    def _count(self, piece: bytes) -> bytes:
        self._size += len(piece)
        if self._limit is not None and self._size > self._limit:
            raise BodyTooLarge(self._size)
        return piece
