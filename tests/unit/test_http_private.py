"""The private aiohttp attributes we write, checked against the installed aiohttp.

(The second, the connector's protocol factory for the lazy read timer, is checked in
``test_readtimer.py``; both are written only in ``_http.py``.)

aiohttp has no public switch for its silent resend of a request on a dead
kept-alive connection; ``_http.disable_hidden_resend`` flips the private one. If a
new aiohttp renames it, the helper returns False and this test fails, instead of
the resend coming back unnoticed (the behaviour itself is checked end to end by
``reliability/test_timeouts_and_pools.py::test_a_dropped_keepalive_connection_is_not_resent_behind_our_back``).
"""

from __future__ import annotations

import importlib.metadata

import aiohttp
import pytest

from runloop_async._http import disable_hidden_resend

pytestmark = pytest.mark.anyio


async def test_the_hidden_resend_switch_exists_and_is_turned_off() -> None:
    version = importlib.metadata.version("aiohttp")
    major_minor = tuple(int(part) for part in version.split(".")[:2])
    async with aiohttp.ClientSession() as session:
        if major_minor < (3, 10):
            # 3.9 never resends: there is nothing to turn off.
            assert disable_hidden_resend(session) is False
            return
        # 3.10 resends with no switch at all, so the floor must be 3.11.
        assert major_minor >= (3, 11), f"aiohttp {version} resends silently, unswitchable"
        assert session._retry_connection is True, version
        assert disable_hidden_resend(session) is True
        assert session._retry_connection is False


def test_no_other_module_writes_private_aiohttp_attributes() -> None:
    import pathlib

    import runloop_async

    root = pathlib.Path(runloop_async.__file__).parent
    writers = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if ("._retry_connection" in path.read_text() or "._factory =" in path.read_text())
        and path.name != "_http.py"
    ]
    assert writers == []
