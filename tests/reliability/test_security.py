"""The API key never leaks; redirects are never followed; secrets are redacted.

``test_the_key_never_leaks`` drives one client through successes, retries of every
kind, errors of every kind and timeouts, with every logger captured at DEBUG, and
then searches every exception (str, repr, args, notes, attributes, the whole
cause/context chain, and the local variables of the frames in each traceback),
every log record, and the client's own reprs for the key.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import warnings
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import attrs
import pytest
from aiohttp import web
from reliability_support import full_listener, serve

from runloop_async import (
    APIError,
    APIStatusError,
    AsyncRunloop,
    ClientClosedError,
    InsecureTransportWarning,
    Limits,
    RetryConfig,
    Runloop,
    RunProfile,
    Timeout,
)
from runloop_async import _models as m

pytestmark = pytest.mark.anyio

SECRET = "sk-live-9f8e7d6c5b4a-DO-NOT-LEAK"
OTHER_SECRET = "sk-live-0000-WRONG-KEY-DO-NOT-LEAK"
FAST = RetryConfig(max_retries=2, initial_delay=0.001, max_delay=0.002)
RUN_ROUTE = "GET /v1/scenarios/runs/{id}"


# --- searching for the key ----------------------------------------------------------------


def _texts(obj: Any) -> Iterator[str]:
    with contextlib.suppress(Exception):
        yield repr(obj)
    with contextlib.suppress(Exception):
        yield str(obj)


def exception_texts(
    exc: BaseException, seen: set[int] | None = None, *, frames: bool = True
) -> Iterator[str]:
    """Everything an error handler, logger or crash reporter could print for ``exc``.

    That is its str/repr, args, notes and attributes (one level deep), the reprs of
    the local variables of every frame of its traceback (as Sentry, rich or
    ``pytest --showlocals`` show them), and the same for its cause and context. A
    context suppressed with ``raise ... from None`` is never printed by Python or by
    crash reporters, so only its own str/repr/args/attributes are searched.
    """
    seen = set() if seen is None else seen
    if id(exc) in seen:
        return
    seen.add(id(exc))
    yield from _texts(exc)
    for arg in exc.args:
        yield from _texts(arg)
    for note in getattr(exc, "__notes__", ()):
        yield str(note)
    for value in vars(exc).values():
        yield from _texts(value)
        for inner in vars(value).values() if hasattr(value, "__dict__") else ():
            yield from _texts(inner)  # e.g. aiohttp's request_info.headers
    tb = exc.__traceback__ if frames else None
    while tb is not None:
        for value in tb.tb_frame.f_locals.values():
            yield from _texts(value)
        tb = tb.tb_next
    if exc.__cause__ is not None:
        yield from exception_texts(exc.__cause__, seen)
    if exc.__context__ is not None:
        # Hidden (suppressed) contexts too, frames included: a debugger or a crash
        # reporter that walks __context__ must not find the key either.
        yield from exception_texts(exc.__context__, seen)


def record_texts(record: logging.LogRecord) -> Iterator[str]:
    yield record.getMessage()
    yield str(record.msg)
    yield repr(record.args)
    yield logging.Formatter().format(record)  # includes exc_info / stack_info if any
    yield repr(vars(record))


def assert_clean(texts: Any, *secrets: str) -> None:
    for text in texts:
        for secret in secrets:
            assert secret not in text, text[:500]


# --- servers ------------------------------------------------------------------------------


@pytest.fixture
async def other_origin() -> AsyncIterator[tuple[str, list[web.Request]]]:
    """A second loopback server (another origin) that records what reaches it."""
    hits: list[web.Request] = []

    async def handler(request: web.Request) -> web.Response:
        hits.append(request)
        return web.json_response({"stolen": request.headers.get("Authorization")})

    async with serve(handler) as url:
        yield url, hits


# --- the key ----------------------------------------------------------------------------


async def _collect(coro: Any, errors: list[BaseException]) -> Any:
    try:
        return await coro
    except Exception as exc:
        errors.append(exc)
        return None


async def test_the_key_never_leaks(runloop_emulator: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger: every logger, aiohttp's included
    for name in ("runloop_async", "aiohttp", "aiohttp.client", "asyncio"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    runloop_emulator.configure(api_key=SECRET)
    emu = runloop_emulator
    errors: list[BaseException] = []
    run_id = emu.seed_runs(1)[0]
    scenario = emu.add_scenario("leak-check")
    async with AsyncRunloop(SECRET, emu.base_url, retry=FAST) as client:
        runs = client.scenarios.runs
        # successes, with and without retries of every kind on the way
        assert (await runs.retrieve(run_id)).id == run_id
        await client.scenarios.start_run(scenario_id=scenario["id"], metadata={"k": "v"})
        await client.scenarios.runs.list(limit=1).to_list()
        for fault in (
            {"kind": "status", "status": 429, "headers": {"retry-after-ms": "1"}},
            {"kind": "status", "status": 503},
            {"kind": "html"},
            {"kind": "close"},
            {"kind": "reset"},
            {"kind": "truncate"},
        ):
            emu.faults.add(route=RUN_ROUTE, times=1, **fault)
            assert (await runs.retrieve(run_id)).id == run_id
        # every kind of error
        for fault in (
            *({"kind": "status", "status": status}
              for status in (400, 403, 404, 409, 422, 429, 500, 418, 301, 307)),
            *({"kind": kind} for kind in ("html", "close", "reset", "truncate", "wrong_types")),
            {"kind": "delay", "delay": 1.0},
        ):  # fmt: skip
            handle = emu.faults.add(route=RUN_ROUTE, **fault)
            await _collect(runs.retrieve(run_id, timeout=Timeout(read=0.05)), errors)
            handle.remove()
        handle = emu.faults.add(route="POST /v1/scenarios/start_run", kind="reset")
        await _collect(client.scenarios.start_run(scenario_id=scenario["id"]), errors)
        handle.remove()
        await _collect(runs.retrieve("no-such-run"), errors)
        await _collect(runs.await_scored(run_id, timeout=0.05), errors)  # WaitTimeoutError
    await _collect(client.scenarios.runs.retrieve(run_id), errors)  # ClientClosedError
    # a wrong key gets its 401 without either key being echoed
    async with AsyncRunloop(OTHER_SECRET, emu.base_url, retry=FAST) as wrong:
        await _collect(wrong.scenarios.runs.retrieve(run_id), errors)
        wrong_repr = [repr(wrong), str(wrong), repr(vars(wrong)), repr(wrong._core)]
    # connect timeout, refused connection, pool timeout
    with full_listener() as url:
        async with AsyncRunloop(SECRET, url, retry=FAST, timeout=Timeout(connect=0.05)) as c:
            await _collect(c.scenarios.runs.retrieve("x"), errors)
    with socket.socket() as closed_port:
        closed_port.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed_port.getsockname()[1]}"
        async with AsyncRunloop(SECRET, url, retry=FAST) as c:
            await _collect(c.scenarios.runs.retrieve("x"), errors)
    emu.faults.add(route=RUN_ROUTE, kind="delay", delay=0.5, times=1)
    async with AsyncRunloop(SECRET, emu.base_url, limits=Limits(max_connections=1)) as c:
        async with anyio.create_task_group() as tg:
            tg.start_soon(c.scenarios.runs.retrieve, run_id)
            await anyio.sleep(0.1)
            await _collect(c.scenarios.runs.retrieve(run_id, timeout=Timeout(pool=0.01)), errors)
        reprs = [repr(c), str(c), repr(vars(c)), repr(c._core), repr(c.with_options(timeout=1))]

    kinds = {type(e).__name__ for e in errors}
    assert kinds >= {
        "BadRequestError", "PermissionDeniedError", "NotFoundError", "ConflictError",
        "UnprocessableEntityError", "RateLimitError", "InternalServerError", "APIStatusError",
        "APIConnectionError", "APITimeoutError", "APIResponseValidationError",
        "WaitTimeoutError", "ClientClosedError", "AuthenticationError",
    }  # fmt: skip
    for exc in errors:
        assert_clean(exception_texts(exc), SECRET, OTHER_SECRET)
    assert any(r.name == "runloop_async" and r.levelno == logging.DEBUG for r in caplog.records)
    assert any("retrying" in r.getMessage() for r in caplog.records)
    for record in caplog.records:
        assert_clean(record_texts(record), SECRET, OTHER_SECRET)
    assert_clean(reprs + wrong_repr, SECRET, OTHER_SECRET)
    assert_clean((repr(r) for r in emu.requests), SECRET, OTHER_SECRET)


def test_the_blocking_client_repr_has_no_key(runloop_emulator: Any) -> None:
    with Runloop(SECRET, runloop_emulator.base_url) as client:
        texts = [repr(client), str(client), repr(client.with_options(max_retries=1))]
    assert_clean(texts, SECRET)


# --- redirects --------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_redirects_to_another_origin_are_never_followed(
    runloop_emulator: Any,
    other_origin: tuple[str, list[web.Request]],
    status: int,
    method: str,
) -> None:
    origin, hits = other_origin
    run_id = runloop_emulator.seed_runs(1)[0]
    path = f"/v1/scenarios/runs/{run_id}" + ("/score" if method == "POST" else "")
    runloop_emulator.faults.add(
        route=f"{method} {path}", kind="status", status=status,
        headers={"Location": origin + path},
    )  # fmt: skip
    runloop_emulator.configure(api_key=SECRET)
    async with AsyncRunloop(SECRET, runloop_emulator.base_url, retry=FAST) as c:
        call = c.scenarios.runs.retrieve if method == "GET" else c.scenarios.runs.score
        with pytest.raises(APIStatusError) as info:
            await call(run_id)
    err = info.value
    assert type(err) is APIStatusError
    assert err.status_code == status
    assert err.headers["location"] == origin + path  # the caller can see where it pointed
    assert hits == []  # the other origin saw nothing: no request, no key
    assert [r.path for r in runloop_emulator.requests] == [path]  # sent once, not retried


async def test_redirects_within_the_same_origin_are_not_followed_either(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    run_id = runloop_emulator.seed_runs(1)[0]
    runloop_emulator.faults.add(
        route=RUN_ROUTE, kind="status", status=302, headers={"Location": "/v1/scenarios/runs"}
    )
    with pytest.raises(APIStatusError) as info:
        await client.scenarios.runs.retrieve(run_id)
    assert info.value.status_code == 302
    assert [r.path for r in runloop_emulator.requests] == [f"/v1/scenarios/runs/{run_id}"]


# --- plain http ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://api.runloop.example", "http://10.0.0.8:8080", "http://[2001:db8::1]"]
)
async def test_plain_http_to_a_remote_host_warns(url: str) -> None:
    with pytest.warns(InsecureTransportWarning, match="unencrypted"):
        client = AsyncRunloop(SECRET, url)
    await client.close()
    assert_clean([repr(client)], SECRET)


@pytest.mark.parametrize(
    "url",
    ["https://api.runloop.example", "http://127.0.0.1:8080", "http://localhost", "http://[::1]:1"],
)
async def test_https_and_loopback_do_not_warn(url: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        client = AsyncRunloop(SECRET, url)
    await client.close()


# --- secrets mappings ---------------------------------------------------------------------

SECRET_NAME = "PROD_DATABASE_PASSWORD_NAME"


async def test_secrets_provided_are_redacted_in_reprs(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    scenario = runloop_emulator.add_scenario("with-secrets")
    benchmark = runloop_emulator.add_benchmark("bench", scenarioIds=[scenario["id"]])
    profile = RunProfile(secrets={"DB_PASS": SECRET_NAME}, env_vars={"MODE": "ci"})
    run = await client.scenarios.start_run(scenario_id=scenario["id"], run_profile=profile)
    bench_run = await client.benchmarks.start_run(benchmark_id=benchmark["id"], run_profile=profile)
    environment = m.AgentEnvironment(secrets={"TOKEN": SECRET_NAME})
    for model in (run, bench_run, profile, environment):
        text = repr(model)
        assert SECRET_NAME not in text
        assert "<redacted>" in text
        assert str(model) == text
    # the names of the env vars stay visible, and the values are still there to read
    assert "'DB_PASS'" in repr(run)
    assert run.secrets_provided == {"DB_PASS": SECRET_NAME}
    assert bench_run.secrets_provided == {"DB_PASS": SECRET_NAME}
    assert "'MODE': 'ci'" in repr(profile)  # plain env vars are not secrets
    # a model without secrets still shows None
    assert "secrets=None" in repr(RunProfile())
    # redaction is repr-only: equality and evolve work on the real values
    assert attrs.evolve(run, secrets_provided={"DB_PASS": "other"}) != run
    assert attrs.evolve(run) == run


# --- debug logging ------------------------------------------------------------------------


async def test_debug_log_has_method_path_status_request_id_and_timing_but_no_body(
    client: AsyncRunloop, runloop_emulator: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="runloop_async")
    marker = "body-marker-7d41"
    scenario = runloop_emulator.add_scenario(marker)
    runloop_emulator.faults.add(route="POST /v1/scenarios/start_run", kind="status", times=1)
    run = await client.scenarios.start_run(scenario_id=scenario["id"], metadata={"m": marker})
    await client.scenarios.retrieve(scenario["id"])
    ours = [r for r in caplog.records if r.name == "runloop_async"]
    answers = [r.getMessage() for r in ours if r.levelno == logging.DEBUG]
    start, get = runloop_emulator.requests[-2], runloop_emulator.requests[-1]
    assert any(
        "POST /v1/scenarios/start_run -> 200" in line and start.request_id in line and " ms" in line
        for line in answers
    ), answers
    assert any(
        f"GET /v1/scenarios/{scenario['id']} -> 200" in line and get.request_id in line
        for line in answers
    ), answers
    retries = [r.getMessage() for r in ours if r.levelno == logging.INFO]
    assert any("POST /v1/scenarios/start_run" in line and "500" in line for line in retries)
    for record in ours:  # neither the request body nor the answer body is logged
        assert_clean(record_texts(record), marker, run.devbox_id)


async def test_errors_carry_the_request_id_but_not_the_request(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    marker = "request-body-marker-55aa"
    scenario = runloop_emulator.add_scenario("s")
    runloop_emulator.faults.add(route="POST /v1/scenarios/start_run", kind="status", status=400)
    with pytest.raises(APIError) as info:
        await client.scenarios.start_run(scenario_id=scenario["id"], metadata={"m": marker})
    sent = runloop_emulator.requests[-1]
    assert info.value.request_id == sent.request_id
    assert sent.json["metadata"] == {"m": marker}  # it was sent...
    # ...but the error keeps the server's answer, not the request (frames aside: the
    # caller's own arguments are of course in the caller's frame)
    assert_clean(exception_texts(info.value, frames=False), marker)


async def test_closed_client_error_names_no_key(runloop_emulator: Any) -> None:
    client = AsyncRunloop(SECRET, runloop_emulator.base_url)
    await client.close()
    with pytest.raises(ClientClosedError) as info:
        await client.scenarios.runs.retrieve("x")
    assert_clean(exception_texts(info.value), SECRET)
