"""The dependency floors in pyproject.toml are true: each is at least the first version
that has what the package uses. (`nox -s lowest` runs the whole suite on the floors;
this table says why each floor is where it is and stops a floor drifting back down.)
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: package -> (first version that works, what needs it)
NEEDED = {
    "aiohttp": ("3.13", "3.13.0's thread-safe header writer (test below): before it, every "
                "thread wrote request and response heads into one static C buffer, so a request "
                "could go out with bytes of another thread's head (the in-process emulator's "
                "answers, or an app's own aiohttp beside Runloop's loop thread), and another "
                "thread's head could carry our Authorization header; also "
                "ClientSession._retry_connection (3.11: turns off aiohttp's hidden resend "
                "of a GET on a dropped keep-alive connection; our retry layer counts retries), "
                "and 3.10.8's fix of a client timeout leaking its cancellation upwards"),
    "anyio": ("4.10", "start_blocking_portal(name=) and its daemon loop thread (older "
              "versions run the portal on a ThreadPoolExecutor that blocks interpreter exit)"),
    "cattrs": ("24.1", "cattrs.cols.list_structure_factory"),
    "attrs": ("23.1", "cattrs 24.1 needs attrs 23.1"),
    "orjson": ("3.9", "the speedups extra: orjson.dumps/loads"),
    "rich": ("13", "the cli extra: Live(get_renderable=), Table, Console(file=)"),
    "pytest": ("8", "the test extra"),
    "pytest-timeout": ("2.3", "the test extra: the timeout ini option"),
    "pytest-xdist": ("3.6.1", "the test extra (nox runs the suite with -n): 3.6 runs each "
                     "test in its worker's main thread, where the Ctrl-C tests need to be; "
                     "3.6.0 was yanked"),
    "hypothesis": ("6.100", "the test extra"),
}  # fmt: skip


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def floors() -> dict[str, str]:
    """``name -> floor`` of every ``name>=floor`` requirement in pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        specs.extend(extra)
    out: dict[str, str] = {}
    for spec in specs:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?>=([0-9.]+)", spec.strip())
        assert match, f"every requirement has a floor (name>=X.Y): {spec!r}"
        out.setdefault(match.group(1).lower(), match.group(2))
    return out


@pytest.mark.parametrize("name", sorted(NEEDED))
def test_each_floor_has_what_we_use(name: str) -> None:
    needed, why = NEEDED[name]
    floor = floors()[name]
    assert _version(floor) >= _version(needed), f"{name}>={floor} lacks {why}"


def test_the_runtime_dependencies_are_the_four_of_the_design() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {re.split(r"[<>=\[]", d)[0] for d in project["dependencies"]}
    assert names == {"aiohttp", "attrs", "cattrs", "anyio"}


def test_what_the_floors_promise_is_here() -> None:
    """On any install (the lowest included) the features the floors stand for exist."""
    import inspect

    import aiohttp
    import cattrs.cols
    from anyio.from_thread import start_blocking_portal

    assert callable(cattrs.cols.list_structure_factory)
    assert "name" in inspect.signature(start_blocking_portal).parameters
    assert "_retry_connection" in aiohttp.ClientSession.ATTRS


def test_aiohttp_writes_message_heads_safely_from_two_threads() -> None:
    """aiohttp < 3.13 serialized every HTTP head into one static C buffer shared by all
    threads. Our emulator serves on its own thread beside the client, and ``Runloop``
    runs its loop on a thread beside whatever else the process runs, so when one
    thread gave up the GIL mid-head the other's bytes replaced its start: the
    emulator then got ``HTTP/1.1 200 OK...`` as a request line and answered 400
    "Invalid method" (tests/reliability/test_load.py failed 2 runs in 40 on aiohttp
    3.11.0). Here a header value whose ``str()`` sleeps opens that window on purpose.
    """
    import threading
    import time

    from aiohttp.http_writer import _serialize_headers  # the C writer when built
    from multidict import CIMultiDict

    class Slow(str):
        def __str__(self) -> str:
            time.sleep(0.05)  # gives the GIL away mid-head
            return str.__str__(self)

    heads: dict[str, bytes] = {}

    def request() -> None:
        head = CIMultiDict({"x-slow": Slow("1"), "authorization": "Bearer key"})
        heads["request"] = _serialize_headers("GET /v1/scenarios HTTP/1.1", head)

    def answer() -> None:
        time.sleep(0.01)
        head = CIMultiDict({"x-request-id": "req_" + "z" * 40})
        heads["answer"] = _serialize_headers("HTTP/1.1 200 OK", head)

    threads = [threading.Thread(target=request), threading.Thread(target=answer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert heads["request"] == (
        b"GET /v1/scenarios HTTP/1.1\r\nx-slow: 1\r\nauthorization: Bearer key\r\n\r\n"
    )
    assert heads["answer"] == b"HTTP/1.1 200 OK\r\nx-request-id: req_" + b"z" * 40 + b"\r\n\r\n"
