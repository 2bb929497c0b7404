"""Bad input gets a clear, typed error before any request (issue 12, "Bad input").

Every case was measured before the fix: unknown keywords were ignored (``runs.list(
scenario=a)`` listed every run), ``scenario_id=None`` dropped the filter, ``123`` was
sent as ``'123'``, and bad headers, keys, bodies and URLs escaped as ``TypeError``,
``AttributeError`` or aiohttp's ``ValueError``. Each test checks the typed error and
that the emulator received nothing.
"""

from __future__ import annotations

import functools
import gc
import math
import types
import warnings
from collections.abc import Callable
from typing import Any

import pytest

from runloop_async import (
    AsyncRunloop,
    ConfigurationError,
    InvalidArgumentError,
    NotFoundError,
    Runloop,
    RunloopError,
    Timeout,
)

pytestmark = pytest.mark.anyio


def httpx_like_timeout() -> Any:
    """The shape of ``httpx.Timeout(30, connect=5)`` (1.x code passes one), without httpx."""
    return types.SimpleNamespace(connect=5.0, read=30.0, write=30.0, pool=30.0)


def _calls(client: AsyncRunloop, run_id: str) -> dict[str, Callable[[], Any]]:
    runs = client.scenarios.runs
    return {
        "list with an unknown filter": lambda: runs.list(scenario="scn_1"),
        "list with a None filter": lambda: runs.list(scenario_id=None),
        "list with an int filter": lambda: runs.list(scenario_id=123),
        "list with a list filter": lambda: runs.list(state=["running", "scored"]),
        "list with a bad limit type": lambda: client.scenarios.list(limit="10"),
        "list with bad extra_headers": lambda: client.benchmarks.list(extra_headers={"x": 1}),
        "wait with a typo": lambda: runs.score_and_await(run_id, timout=0.5),
        "wait with a str timeout": lambda: runs.score_and_await(run_id, timeout="10"),
        "wait with a NaN timeout": lambda: runs.await_scored(run_id, timeout=math.nan),
        "call with a typo": lambda: runs.retrieve(run_id, extra_header={"x": "1"}),
        "int header value": lambda: runs.retrieve(run_id, extra_headers={"x": 1}),
        "list of headers": lambda: runs.retrieve(run_id, extra_headers=["x"]),
        "int idempotency key": lambda: runs.score(run_id, idempotency_key=123),
        "unserialisable body": lambda: client.scenarios.start_run(
            scenario_id="scn_1", metadata={"a": object()}
        ),
        "negative max_retries": lambda: runs.retrieve(run_id, max_retries=-1),
        "str max_retries": lambda: runs.retrieve(run_id, max_retries="3"),
        "zero timeout": lambda: runs.retrieve(run_id, timeout=0),
        "str statuses": lambda: client.devboxes.wait_for_status("dbx_1", statuses=[1]),
        "bad polling_config": lambda: runs.await_scored(run_id, polling_config={"x": 1}),
    }


CASES = [
    "list with an unknown filter", "list with a None filter", "list with an int filter",
    "list with a list filter", "list with a bad limit type", "list with bad extra_headers",
    "wait with a typo", "wait with a str timeout", "wait with a NaN timeout", "call with a typo",
    "int header value", "list of headers", "int idempotency key", "unserialisable body",
    "negative max_retries", "str max_retries", "zero timeout", "str statuses",
    "bad polling_config",
]  # fmt: skip


@pytest.mark.parametrize("case", CASES)
async def test_bad_arguments_raise_invalid_argument_before_any_request(
    client: AsyncRunloop, runloop_emulator: Any, case: str
) -> None:
    run_id = runloop_emulator.seed_runs(1)[0]
    runloop_emulator.clear_requests()
    call = _calls(client, run_id)[case]
    with pytest.raises(InvalidArgumentError) as info:  # noqa: PT012 - either step may raise
        result = call()  # lists raise here, at the call, not when iterated
        await result
    assert not isinstance(info.value, (TypeError, AttributeError))
    assert runloop_emulator.requests == []


async def test_the_unknown_keyword_error_names_it_and_the_allowed_ones(
    client: AsyncRunloop,
) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        client.scenarios.runs.list(scenario="scn_1")
    message = str(info.value)
    assert "'scenario'" in message
    for allowed in ("scenario_id", "benchmark_run_id", "limit", "extra_headers", "timeout"):
        assert allowed in message
    with pytest.raises(InvalidArgumentError, match=r"'timout'.*timeout"):
        await client.scenarios.runs.score_and_await("scr_1", timout=0.5)


async def test_the_unserialisable_value_is_located(client: AsyncRunloop) -> None:
    with pytest.raises(InvalidArgumentError, match=r"\$\.metadata\.a"):
        await client.scenarios.start_run(scenario_id="scn_1", metadata={"a": object()})


async def test_good_filters_still_pass(client: AsyncRunloop, runloop_emulator: Any) -> None:
    run_id = runloop_emulator.seed_runs(1, name="n")[0]
    page = await client.scenarios.runs.list(
        name="n", limit=5, include_total_count=True, extra_query={"x": 1}
    )
    assert [r.id for r in page] == [run_id]


def test_the_blocking_client_raises_at_the_call_too(runloop_emulator: Any) -> None:
    with Runloop(runloop_emulator.api_key, runloop_emulator.base_url) as client:
        with pytest.raises(InvalidArgumentError, match="'scenario'"):
            client.scenarios.runs.list(scenario="scn_1")
        with pytest.raises(InvalidArgumentError, match="timeout"):
            client.scenarios.runs.score_and_await("scr_1", timeout="10")


# --- timeouts shaped like httpx.Timeout ------------------------------------------------


async def test_httpx_like_timeouts_work_on_calls_and_waits(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    run_id = runloop_emulator.seed_runs(1, state="scored")[0]
    timeout = httpx_like_timeout()
    assert (await client.scenarios.runs.retrieve(run_id, timeout=timeout)).id == run_id
    scored = await client.scenarios.runs.await_scored(run_id, timeout=timeout)
    assert scored.state == "scored"
    derived = client.with_options(timeout=timeout)
    assert (await derived.scenarios.runs.retrieve(run_id)).id == run_id
    async with AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url,
                            timeout=timeout) as other:  # fmt: skip
        assert (await other.scenarios.runs.retrieve(run_id)).id == run_id


# --- client construction ---------------------------------------------------------------


def _no_unclosed_session_after(make: Callable[[], Any]) -> RunloopError:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(RunloopError) as info:
            make()
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []
    return info.value


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"base_url": ""}, ConfigurationError),
        ({"base_url": "http://127.0.0.1:99999"}, ConfigurationError),
        ({"base_url": "http://user:hunter2@127.0.0.1:1"}, ConfigurationError),
        ({"bearer_token": 123}, ConfigurationError),
        ({"bearer_token": "key\nwith-a-break"}, ConfigurationError),
        ({"max_retries": -1}, InvalidArgumentError),
        ({"max_retries": "3"}, InvalidArgumentError),
        ({"timeout": "30"}, InvalidArgumentError),
        ({"timeout": math.nan}, InvalidArgumentError),
        ({"default_headers": {"x": 1}}, InvalidArgumentError),
        ({"default_headers": ["x"]}, InvalidArgumentError),
        ({"retry": {"max_retries": 1}}, InvalidArgumentError),
    ],
    ids=lambda v: repr(v) if isinstance(v, dict) else v.__name__,
)
@pytest.mark.parametrize("cls", [AsyncRunloop, Runloop])
def test_bad_client_setup_is_a_typed_error_at_construction(
    cls: type, kwargs: dict[str, Any], error: type[Exception]
) -> None:
    args = {"bearer_token": "key", "base_url": "http://127.0.0.1:1", **kwargs}
    raised = _no_unclosed_session_after(functools.partial(cls, **args))
    assert isinstance(raised, error)
    assert "hunter2" not in str(raised)
    assert "hunter2" not in repr(raised)


async def test_a_key_with_a_trailing_newline_is_stripped(runloop_emulator: Any) -> None:
    async with AsyncRunloop(runloop_emulator.api_key + "\n", runloop_emulator.base_url) as c:
        await c.scenarios.list()  # the emulator checks the key: a 401 would raise


async def test_a_base_url_ending_in_v1_says_what_happened(runloop_emulator: Any) -> None:
    async with AsyncRunloop(
        runloop_emulator.api_key, runloop_emulator.base_url + "/v1", max_retries=0
    ) as client:
        with pytest.raises(NotFoundError, match="base_url ends in '/v1'") as info:
            await client.scenarios.list()
    assert info.value.path == "/v1/scenarios"


async def test_per_call_retry_and_timeout_overrides_are_checked(client: AsyncRunloop) -> None:
    with pytest.raises(InvalidArgumentError):
        client.with_options(max_retries=-1)
    with pytest.raises(InvalidArgumentError):
        client.with_options(timeout=-5)
    with pytest.raises(InvalidArgumentError):
        client.with_options(timeout=Timeout(read=math.nan))
