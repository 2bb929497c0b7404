"""The one private aiohttp attribute we write, checked against the installed aiohttp.

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
    async with aiohttp.ClientSession() as session:
        assert session._retry_connection is True, importlib.metadata.version("aiohttp")
        assert disable_hidden_resend(session) is True
        assert session._retry_connection is False


def test_no_other_module_writes_private_aiohttp_attributes() -> None:
    import pathlib

    import runloop_async

    root = pathlib.Path(runloop_async.__file__).parent
    writers = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "._retry_connection" in path.read_text() and path.name != "_http.py"
    ]
    assert writers == []
