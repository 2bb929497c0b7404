"""A wait's deadline carried to the requests inside it (_scope.deadline_scope)."""

from __future__ import annotations

import asyncio

import pytest

from runloop_async._scope import deadline_scope, time_left


def test_scopes_only_shorten_and_restore_on_exit() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        assert time_left() is None
        with deadline_scope(None):
            assert time_left() is None
        end = loop.time() + 100
        with deadline_scope(end):
            assert 99 < (time_left() or 0) <= 100
            with deadline_scope(end + 50):  # later: the outer deadline stays
                assert (time_left() or 0) <= 100
            with deadline_scope(end - 90):  # earlier: it wins inside
                assert (time_left() or 100) <= 10
                with deadline_scope(None):
                    assert (time_left() or 100) <= 10
            assert 10 < (time_left() or 0) <= 100
        assert time_left() is None

    asyncio.run(main())


def test_restored_when_the_block_raises() -> None:
    async def main() -> None:
        with pytest.raises(RuntimeError), deadline_scope(asyncio.get_running_loop().time() + 5):
            raise RuntimeError
        assert time_left() is None

    asyncio.run(main())
