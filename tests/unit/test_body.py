"""The bounded body decoder (``_body``): round trips, limits, corrupt input."""

from __future__ import annotations

import gzip
import itertools
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runloop_async._body import BodyTooLarge, CorruptBody, Decoder


def _encode(data: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.compress(data)
    if encoding == "deflate":
        return zlib.compress(data)
    if encoding == "raw-deflate":
        packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        return packer.compress(data) + packer.flush()
    return data


def _chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    edges = [0, *points, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(edges)]


ENCODINGS = ["gzip", "deflate", "raw-deflate", "identity"]


@given(
    st.binary(max_size=5000),
    st.sampled_from(ENCODINGS),
    st.lists(st.integers(min_value=0), max_size=6),
)
def test_any_body_in_any_chunking_decodes_to_itself(
    data: bytes, encoding: str, cuts: list[int]
) -> None:
    wire = _encode(data, encoding)
    decoder = Decoder("deflate" if encoding == "raw-deflate" else encoding, limit=len(data))
    out = b"".join(decoder.feed(chunk) for chunk in _chunks(wire, cuts))
    decoder.finish()
    assert out == data
    assert decoder.size == len(data)


@given(
    st.integers(min_value=1, max_value=4000),
    st.integers(min_value=0, max_value=3999),
    st.sampled_from(ENCODINGS),
)
def test_a_body_over_the_limit_stops_at_the_limit(size: int, limit: int, encoding: str) -> None:
    limit = limit % size  # always under the body's size
    wire = _encode(b"x" * size, encoding)
    decoder = Decoder("deflate" if encoding == "raw-deflate" else encoding, limit=limit)
    with pytest.raises(BodyTooLarge) as info:  # noqa: PT012 - any chunk may be the one
        for chunk in _chunks(wire, [7, 300, 1000]):
            decoder.feed(chunk)
        decoder.finish()
    # never more than the limit plus one decoded byte before stopping (plus one
    # identity chunk, which arrives whole)
    assert info.value.size <= limit + (1 if encoding != "identity" else size)


def test_a_bomb_is_stopped_after_at_most_the_limit() -> None:
    bomb = gzip.compress(b"\0" * (64 << 20))  # 64 MiB of zeros in about 64 KB
    decoder = Decoder("gzip", limit=1 << 20)
    with pytest.raises(BodyTooLarge) as info:
        decoder.feed(bomb)  # one chunk that would inflate a thousandfold
    assert info.value.size == (1 << 20) + 1


def test_concatenated_gzip_members_are_all_decoded() -> None:
    decoder = Decoder("gzip", limit=None)
    out = decoder.feed(gzip.compress(b"ab") + gzip.compress(b"cd"))
    decoder.finish()
    assert out == b"abcd"


def test_corrupt_and_cut_bodies_are_reported() -> None:
    with pytest.raises(CorruptBody):
        Decoder("gzip", limit=None).feed(b"not gzip at all")
    decoder = Decoder("gzip", limit=None)
    decoder.feed(gzip.compress(b"hello world" * 100)[:20])
    with pytest.raises(CorruptBody, match="ended early"):
        decoder.finish()


def test_unknown_codings_pass_through_counted() -> None:
    decoder = Decoder("br", limit=3)
    assert decoder.feed(b"abc") == b"abc"
    with pytest.raises(BodyTooLarge):
        decoder.feed(b"d")
