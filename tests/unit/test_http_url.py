"""Request URLs (_http._Pool.url): the base URL with its path replaced, without a parse.

They must be exactly what parsing the joined, already percent-encoded string gives,
for any base URL the client accepts and any path built from encoded segments.
"""

from __future__ import annotations

import asyncio

import pytest
import yarl
from hypothesis import given, settings
from hypothesis import strategies as st

from runloop_async._http import _Pool
from runloop_async._request import normalize_base_url, path_segment

BASES = [
    "http://127.0.0.1:8080",
    "https://api.runloop.ai/",
    "https://Example.COM/prefix",
    "https://h/pre%20fix/x",
    "https://h/my api",
    "http://[::1]:9/a/",
]


def _urls(base: str, paths: list[str]) -> list[tuple[yarl.URL, yarl.URL]]:
    async def build() -> list[tuple[yarl.URL, yarl.URL]]:
        pool = _Pool(1, 1.0, base, {})
        try:
            parsed = [yarl.URL(str(yarl.URL(base)) + p, encoded=True) for p in paths]
            return [(pool.url(p), old) for p, old in zip(paths, parsed, strict=True)]
        finally:
            await pool.session.close()

    return asyncio.run(build())


@pytest.mark.parametrize("base", BASES)
@settings(max_examples=25, deadline=None)
@given(
    ids=st.lists(
        st.text(min_size=1, max_size=12).filter(lambda s: s not in (".", "..")), max_size=4
    )
)
def test_a_request_url_is_the_joined_encoded_string(base: str, ids: list[str]) -> None:
    paths = ["/v1/scenarios/runs"] + [f"/v1/scenarios/runs/{path_segment(i)}/score" for i in ids]
    for built, parsed in _urls(normalize_base_url(base), paths):
        assert built == parsed
        assert str(built) == str(parsed)
