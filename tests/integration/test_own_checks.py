"""Resource methods that check their own keywords (``_checked.own_checks``).

The hottest async methods are not wrapped by the keyword checker (one coroutine
fewer per call); they run the same checks first thing. Each must still refuse an
unknown keyword, a bad option value and a bad idempotency key with
:class:`InvalidArgumentError` when awaited, before any request.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest

from runloop_async import AsyncRunloop, InvalidArgumentError

pytestmark = pytest.mark.anyio

#: Bad keywords every method that checks itself refuses.
BAD_OPTIONS: list[dict[str, Any]] = [
    {"timout": 1},
    {"extra_header": {"x": "1"}},
    {"extra_headers": {"x": 1}},
    {"extra_query": ["x"]},
    {"max_retries": -1},
    {"timeout": 0},
]


def _calls(client: AsyncRunloop) -> dict[str, Callable[..., Any]]:
    runs, scenarios = client.scenarios.runs, client.scenarios
    return {
        "AsyncRuns.retrieve": lambda **kw: runs.retrieve("scr_1", **kw),
        "AsyncRuns.score": lambda **kw: runs.score("scr_1", **kw),
        "AsyncRuns.complete": lambda **kw: runs.complete("scr_1", **kw),
        "AsyncRuns.cancel": lambda **kw: runs.cancel("scr_1", **kw),
        "AsyncScenarios.retrieve": lambda **kw: scenarios.retrieve("scn_1", **kw),
        "AsyncScenarios.start_run": lambda **kw: scenarios.start_run(scenario_id="scn_1", **kw),
    }


#: Of those, the ones that take an idempotency key.
TAKE_A_KEY = [
    "AsyncRuns.score", "AsyncRuns.complete", "AsyncRuns.cancel", "AsyncScenarios.start_run",
]  # fmt: skip


def _self_checking() -> set[str]:
    import runloop_async._resources as package

    found = set()
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for cls in vars(module).values():
            if isinstance(cls, type) and cls.__module__ == module.__name__:
                found |= {
                    member.call_spec.call
                    for member in vars(cls).values()
                    if hasattr(member, "call_spec")
                }
    return found


def test_every_method_that_checks_itself_is_tested_here() -> None:
    assert _self_checking() == set(_calls(AsyncRunloop("k", "http://127.0.0.1:9")))


@pytest.mark.parametrize("bad", BAD_OPTIONS, ids=lambda bad: next(iter(bad)))
@pytest.mark.parametrize("name", sorted(_calls(AsyncRunloop("k", "http://127.0.0.1:9"))))
async def test_bad_keywords_raise_before_any_request(
    client: AsyncRunloop, runloop_emulator: Any, name: str, bad: dict[str, Any]
) -> None:
    runloop_emulator.clear_requests()
    call = _calls(client)[name](**bad)  # a coroutine: nothing is checked yet
    with pytest.raises(InvalidArgumentError) as info:
        await call
    if "timout" in bad or "extra_header" in bad:
        assert f"{name}()" in str(info.value)  # the wrapper's message, naming the method
    assert runloop_emulator.requests == []


@pytest.mark.parametrize("name", TAKE_A_KEY)
@pytest.mark.parametrize("options", [{}, {"max_retries": 1}])
async def test_a_bad_idempotency_key_raises_before_any_request(
    client: AsyncRunloop, runloop_emulator: Any, name: str, options: dict[str, Any]
) -> None:
    runloop_emulator.clear_requests()
    with pytest.raises(InvalidArgumentError, match="idempotency_key"):
        await _calls(client)[name](idempotency_key=123, **options)
    assert runloop_emulator.requests == []


def test_only_an_async_call_that_is_not_a_wait_may_check_itself() -> None:
    from runloop_async._config import RequestOptions, WaitOptions
    from runloop_async._resources._base import Resource
    from runloop_async._resources._checked import own_checks

    with pytest.raises(TypeError, match="checks itself"):

        class Waits(Resource):  # refused as it is created
            @own_checks
            async def await_it(self, id: str, *, timeout: float, **options: WaitOptions) -> None:
                """A wait."""

    with pytest.raises(TypeError, match="checks itself"):

        class Lists(Resource):
            @own_checks
            def list(self, **options: RequestOptions) -> None:
                """Not a coroutine."""
