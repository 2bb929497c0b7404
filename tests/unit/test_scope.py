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


def test_bound_values_are_restored_on_exit_and_on_errors() -> None:
    from runloop_async import Timeout
    from runloop_async._scope import (
        poll_observer,
        reporting_polls,
        request_timeout_scope,
        scoped_timeout,
    )

    class Observer:
        def succeeded(self) -> None: ...

        def failed(self) -> None: ...

    outer, inner = Observer(), Observer()
    with reporting_polls(outer):
        assert poll_observer() is outer
        seen = []

        def fail_inside() -> None:
            with reporting_polls(inner):
                seen.append(poll_observer())
                raise RuntimeError

        with pytest.raises(RuntimeError):
            fail_inside()
        assert seen == [inner]
        assert poll_observer() is outer
    assert poll_observer() is None
    timeout = Timeout(read=1.0)
    with request_timeout_scope(None):
        assert scoped_timeout() is None
    with request_timeout_scope(timeout):
        assert scoped_timeout() is timeout
    assert scoped_timeout() is None
