"""aiohttp timeouts of one attempt (_http._client_timeout): a wait's time left caps
each part; when it caps nothing, the cached whole timeout is used."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from runloop_async import Timeout
from runloop_async._config import cap_seconds
from runloop_async._http import _aiohttp_timeout, _client_timeout, _whole_timeout

_part = st.none() | st.floats(min_value=0.001, max_value=1000)


@given(connect=_part, read=_part, total=_part, left=st.floats(min_value=-5, max_value=2000))
def test_capped_by_the_time_left_exactly(
    connect: float | None, read: float | None, total: float | None, left: float
) -> None:
    timeout = Timeout(connect=connect, read=read, total=total)
    expected = _aiohttp_timeout(
        cap_seconds(connect, left), cap_seconds(read, left), cap_seconds(total, left)
    )
    assert _client_timeout(timeout, left) == expected


def test_outside_a_wait_and_with_time_to_spare_the_cached_one_is_used() -> None:
    timeout = Timeout()
    assert _client_timeout(timeout, None) is _whole_timeout(timeout)
    assert _client_timeout(timeout, 600.0) is _whole_timeout(timeout)
    capped = _client_timeout(timeout, 10.0)
    assert capped is not _whole_timeout(timeout)
    assert (capped.total, capped.sock_connect, capped.sock_read) == (10.0, 5.0, None)
