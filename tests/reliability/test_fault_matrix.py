"""Every fault kind of the emulator, end to end through the client.

Each case injects one fault and checks the outcome the docs promise
(docs/reliability.md): success after a known number of retries, or the documented
typed error after a known number of attempts. Attempts are counted on the server
side (the emulator's request log), so hidden resends would show up.

The POST cases check the other half of the promise: a retried POST carries the
same idempotency key on every attempt, and the emulator applies it once.
"""

from __future__ import annotations

import email.utils
import time
from typing import Any

import pytest

from runloop_async import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncRunloop,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    Timeout,
    UnprocessableEntityError,
    WaitTimeoutError,
)

pytestmark = pytest.mark.anyio

RUN_ROUTE = "GET /v1/scenarios/runs/{id}"
START_ROUTE = "POST /v1/scenarios/start_run"
MAX_ATTEMPTS = 4  # FAST_RETRY: 3 retries
#: Per-call timeout for the delay faults: the read timeout is well under the delay.
SHORT_READ = Timeout(connect=5.0, read=0.2)


def _http_date(offset: float) -> str:
    return email.utils.formatdate(time.time() + offset, usegmt=True)


def attempts(emulator: Any, method: str, path: str) -> list[Any]:
    return [r for r in emulator.requests if r.method == method and r.path == path]


async def a_run(emulator: Any) -> str:
    return str(emulator.seed_runs(1)[0])


# --- faults that pass: success after exactly N retries -----------------------------------

TRANSIENT: list[tuple[str, dict[str, Any]]] = [
    ("status-429-retry-after-seconds", {"kind": "status", "status": 429,
                                        "headers": {"Retry-After": "0"}}),
    ("status-429-retry-after-ms", {"kind": "status", "status": 429,
                                   "headers": {"retry-after-ms": "20"}}),
    ("status-429-retry-after-http-date", {"kind": "status", "status": 429,
                                          "headers": {"Retry-After": _http_date(-5)}}),
    ("status-429-bad-retry-after", {"kind": "status", "status": 429,
                                    "headers": {"Retry-After": "soon-ish"}}),
    ("status-408", {"kind": "status", "status": 408}),
    ("status-409", {"kind": "status", "status": 409}),
    ("status-500", {"kind": "status", "status": 500}),
    ("status-502", {"kind": "status", "status": 502}),
    ("status-503", {"kind": "status", "status": 503}),
    ("status-504", {"kind": "status", "status": 504}),
    ("status-400-x-should-retry-true", {"kind": "status", "status": 400,
                                        "headers": {"x-should-retry": "true"}}),
    ("html-502", {"kind": "html"}),
    ("html-503", {"kind": "html", "status": 503}),
    ("close", {"kind": "close"}),
    ("reset", {"kind": "reset"}),
    ("truncate", {"kind": "truncate"}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "fault"), TRANSIENT, ids=[n for n, _ in TRANSIENT])
@pytest.mark.parametrize("failures", [1, 3])
async def test_transient_fault_on_get_ends_in_success(
    client: AsyncRunloop, runloop_emulator: Any, name: str, fault: dict[str, Any], failures: int
) -> None:
    run_id = await a_run(runloop_emulator)
    handle = runloop_emulator.faults.add(route=RUN_ROUTE, times=failures, **fault)
    view = await client.scenarios.runs.retrieve(run_id)
    assert view.id == run_id
    assert handle.fired == failures
    seen = attempts(runloop_emulator, "GET", f"/v1/scenarios/runs/{run_id}")
    assert len(seen) == failures + 1  # no hidden resend, no extra attempt
    assert [r.headers["x-stainless-retry-count"] for r in seen] == [
        str(i) for i in range(failures + 1)
    ]


async def test_delay_under_the_read_timeout_is_not_a_failure(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    run_id = await a_run(runloop_emulator)
    runloop_emulator.faults.add(route=RUN_ROUTE, kind="delay", delay=0.1, times=1)
    view = await client.scenarios.runs.retrieve(run_id, timeout=Timeout(read=5.0))
    assert view.id == run_id
    assert len(attempts(runloop_emulator, "GET", f"/v1/scenarios/runs/{run_id}")) == 1


async def test_delay_over_the_read_timeout_is_retried_then_succeeds(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    run_id = await a_run(runloop_emulator)
    runloop_emulator.faults.add(route=RUN_ROUTE, kind="delay", delay=1.0, times=2)
    view = await client.scenarios.runs.retrieve(run_id, timeout=SHORT_READ)
    assert view.id == run_id
    assert len(attempts(runloop_emulator, "GET", f"/v1/scenarios/runs/{run_id}")) == 3


async def test_unknown_fields_enum_values_and_scorer_types_pass(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    scenario = runloop_emulator.add_scenario("future")
    runloop_emulator.faults.add(route="GET /v1/scenarios/{id}", kind="unknown_fields", times=1)
    view = await client.scenarios.retrieve(scenario["id"])
    assert view.id == scenario["id"]
    names = [f.name for f in view.scoring_contract.scoring_function_parameters]
    assert "emulator_future_scorer" in names  # the unknown scorer type is kept, not dropped
    assert view.extra == {"emulator_unknown_field": {"nested": [1, "two", None]}}  # kept too
    assert len(attempts(runloop_emulator, "GET", f"/v1/scenarios/{scenario['id']}")) == 1


# --- faults that stay: the documented typed error after a known number of attempts --------

PERSISTENT: list[tuple[str, dict[str, Any], type[Exception], int]] = [
    ("status-429", {"kind": "status", "status": 429, "headers": {"Retry-After": "0"}},
     RateLimitError, MAX_ATTEMPTS),
    ("status-429-retry-after-over-cap", {"kind": "status", "status": 429,
                                         "headers": {"Retry-After": _http_date(3600)}},
     RateLimitError, 1),
    ("status-500", {"kind": "status", "status": 500}, InternalServerError, MAX_ATTEMPTS),
    ("status-503-x-should-retry-false", {"kind": "status", "status": 503,
                                         "headers": {"x-should-retry": "false"}},
     InternalServerError, 1),
    ("status-400", {"kind": "status", "status": 400}, BadRequestError, 1),
    ("status-401", {"kind": "status", "status": 401}, AuthenticationError, 1),
    ("status-403", {"kind": "status", "status": 403}, PermissionDeniedError, 1),
    ("status-404", {"kind": "status", "status": 404}, NotFoundError, 1),
    ("status-422", {"kind": "status", "status": 422}, UnprocessableEntityError, 1),
    ("status-418", {"kind": "status", "status": 418}, APIStatusError, 1),
    ("html-502", {"kind": "html"}, InternalServerError, MAX_ATTEMPTS),
    ("close", {"kind": "close"}, APIConnectionError, MAX_ATTEMPTS),
    ("reset", {"kind": "reset"}, APIConnectionError, MAX_ATTEMPTS),
    ("truncate", {"kind": "truncate"}, APIConnectionError, MAX_ATTEMPTS),
    ("delay-over-read-timeout", {"kind": "delay", "delay": 1.0}, APITimeoutError, MAX_ATTEMPTS),
    ("wrong-types", {"kind": "wrong_types"}, APIResponseValidationError, 1),
    ("wrong-types-nested", {"kind": "wrong_types", "field": "scoring_contract_result"},
     APIResponseValidationError, 1),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "fault", "error", "expected_attempts"), PERSISTENT, ids=[p[0] for p in PERSISTENT]
)
async def test_persistent_fault_on_get_ends_in_its_typed_error(
    client: AsyncRunloop,
    runloop_emulator: Any,
    name: str,
    fault: dict[str, Any],
    error: type[Exception],
    expected_attempts: int,
) -> None:
    run_id = await a_run(runloop_emulator)
    runloop_emulator.faults.add(route=RUN_ROUTE, **fault)
    with pytest.raises(error) as info:
        await client.scenarios.runs.retrieve(run_id, timeout=SHORT_READ)
    err = info.value
    assert type(err) is error  # exactly the documented class, not a parent or a sibling
    assert (err.method, err.path) == ("GET", f"/v1/scenarios/runs/{run_id}")  # type: ignore[attr-defined]
    assert err.__cause__ is None  # no aiohttp/cattrs exception is chained for callers
    seen = attempts(runloop_emulator, "GET", f"/v1/scenarios/runs/{run_id}")
    assert len(seen) == expected_attempts


async def test_validation_error_names_the_bad_field(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    run_id = await a_run(runloop_emulator)
    runloop_emulator.faults.add(route=RUN_ROUTE, kind="wrong_types", field="metadata")
    with pytest.raises(APIResponseValidationError) as info:
        await client.scenarios.runs.retrieve(run_id)
    assert info.value.json_path == "$.metadata"
    assert info.value.status_code == 200


async def test_wrong_types_in_a_list_page_name_the_item(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    runloop_emulator.seed_runs(3)
    runloop_emulator.faults.add(route="GET /v1/scenarios/runs", kind="wrong_types")
    with pytest.raises(APIResponseValidationError) as info:
        await client.scenarios.runs.list(limit=2).to_list()
    assert info.value.json_path.startswith("$.runs[0]")


# --- POST: same idempotency key on every attempt, applied once ------------------------------

POST_FAULTS: list[tuple[str, dict[str, Any]]] = [
    ("status-429", {"kind": "status", "status": 429, "headers": {"retry-after-ms": "10"}}),
    ("status-500", {"kind": "status", "status": 500}),
    ("status-503", {"kind": "status", "status": 503}),
    ("html-502", {"kind": "html"}),
    ("close", {"kind": "close"}),
    ("reset-after-applying", {"kind": "reset"}),
    ("truncate-after-applying", {"kind": "truncate"}),
    ("delay-over-read-timeout", {"kind": "delay", "delay": 1.0}),
    ("unknown-fields", {"kind": "unknown_fields"}),
]


@pytest.mark.parametrize(("name", "fault"), POST_FAULTS, ids=[n for n, _ in POST_FAULTS])
async def test_retried_post_keeps_its_key_and_is_applied_once(
    client: AsyncRunloop, runloop_emulator: Any, name: str, fault: dict[str, Any]
) -> None:
    scenario = runloop_emulator.add_scenario(f"once-{name}")
    runloop_emulator.faults.add(route=START_ROUTE, times=2, **fault)
    run = await client.scenarios.start_run(scenario_id=scenario["id"], timeout=SHORT_READ)
    runs = await client.scenarios.runs.list(scenario_id=scenario["id"]).to_list()
    assert [r.id for r in runs] == [run.id]  # created exactly once
    seen = attempts(runloop_emulator, "POST", "/v1/scenarios/start_run")
    expected = 1 if fault["kind"] == "unknown_fields" else 3
    assert len(seen) == expected
    keys = {r.headers["x-request-id"] for r in seen}
    assert len(keys) == 1
    assert keys.pop().startswith("runloop-async-")


async def test_post_with_wrong_types_is_applied_once_and_not_retried(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    scenario = runloop_emulator.add_scenario("once-wrong-types")
    runloop_emulator.faults.add(route=START_ROUTE, kind="wrong_types", times=1)
    key = "my-own-key-1"
    with pytest.raises(APIResponseValidationError):
        await client.scenarios.start_run(scenario_id=scenario["id"], idempotency_key=key)
    # The caller retries with the same key: the stored answer is replayed, nothing new runs.
    run = await client.scenarios.start_run(scenario_id=scenario["id"], idempotency_key=key)
    runs = await client.scenarios.runs.list(scenario_id=scenario["id"]).to_list()
    assert [r.id for r in runs] == [run.id]
    seen = attempts(runloop_emulator, "POST", "/v1/scenarios/start_run")
    assert [r.headers["x-request-id"] for r in seen] == [key, key]


async def test_score_under_resets_scores_once(client: AsyncRunloop, runloop_emulator: Any) -> None:
    run_id = await a_run(runloop_emulator)
    runloop_emulator.faults.add(route="POST /v1/scenarios/runs/{id}/score", kind="reset", times=3)
    view = await client.scenarios.runs.score_and_await(run_id, timeout=30)
    assert view.state == "scored"
    seen = attempts(runloop_emulator, "POST", f"/v1/scenarios/runs/{run_id}/score")
    assert len(seen) == 4
    assert len({r.headers["x-request-id"] for r in seen}) == 1
    # Only the first attempt ran the handler; the others were replays, so no 400
    # ("not running") ever came back even though the run had left ``running``.
    assert all(r.status == 200 for r in seen)


# --- waits: faults between polls do not end a wait early, bad answers do ------------------

WAIT_ROUTE = "POST /v1/devboxes/{id}/wait_for_status"


async def test_devbox_wait_rides_out_drops_and_5xx_between_long_polls(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    runloop_emulator.configure(devbox_boot_delay=0.3)
    scenario = runloop_emulator.add_scenario("boot-under-faults")
    runloop_emulator.faults.add(route=START_ROUTE, kind="status", status=503, times=1)
    # each long-poll is sent once (max_retries=0); a failed one starts the next
    runloop_emulator.faults.add(route=WAIT_ROUTE, kind="close", times=1)
    run = await client.scenarios.start_run_and_await_env_ready(scenario["id"], timeout=30)
    assert runloop_emulator.devbox_view(run.devbox_id)["status"] == "running"
    polls = [r for r in runloop_emulator.requests if r.path.endswith("/wait_for_status")]
    assert polls[0].fault == "close"
    assert polls[-1].status == 200
    assert {r.headers["x-stainless-retry-count"] for r in polls} == {"0"}


async def test_devbox_wait_stops_at_a_non_retryable_error(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    run_id = await a_run(runloop_emulator)
    devbox_id = runloop_emulator.run_view(run_id)["devbox_id"]
    runloop_emulator.faults.add(route=WAIT_ROUTE, kind="status", status=404)
    with pytest.raises(NotFoundError):
        await client.devboxes.await_running(devbox_id, timeout=30)
    assert sum(r.path.endswith("/wait_for_status") for r in runloop_emulator.requests) == 1


async def test_scoring_wait_rides_out_faults_on_its_polls(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    run_id = await a_run(runloop_emulator)
    for kind in ("close", "reset", "truncate"):  # 3 in a row: within max_retries=3
        runloop_emulator.faults.add(route=RUN_ROUTE, kind=kind, times=1)
    score = "POST /v1/scenarios/runs/{id}/score"
    runloop_emulator.faults.add(route=score, kind="html", times=1)
    runloop_emulator.faults.add(route=score, kind="status", status=503, times=1)
    view = await client.scenarios.runs.score_and_await(run_id, timeout=30)
    assert view.state == "scored"
    assert sum(h.fired for h in runloop_emulator.faults.list()) == 5


async def test_a_failure_burst_longer_than_one_polls_retries_does_not_end_the_scoring_wait(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    # Two polls' worth of 503s: each poll fails after its own retries, the wait polls on.
    run_id = await a_run(runloop_emulator)
    runloop_emulator.faults.add(route=RUN_ROUTE, kind="status", status=503, times=2 * MAX_ATTEMPTS)
    view = await client.scenarios.runs.score_and_await(run_id, timeout=30)
    assert view.state == "scored"
    polls = [r for r in runloop_emulator.requests if r.path == f"/v1/scenarios/runs/{run_id}"]
    assert len(polls) > 2 * MAX_ATTEMPTS


async def test_a_scoring_wait_failing_until_its_deadline_raises_wait_timeout_with_the_cause(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    run_id = await a_run(runloop_emulator)
    runloop_emulator.faults.add(route=RUN_ROUTE, kind="status", status=503)
    with pytest.raises(WaitTimeoutError) as info:
        await client.scenarios.runs.score_and_await(run_id, timeout=1.0)
    assert isinstance(info.value.__cause__, InternalServerError)


async def test_a_poll_answered_404_ends_the_scoring_wait_at_once(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    run_id = await a_run(runloop_emulator)
    runloop_emulator.faults.add(route=RUN_ROUTE, kind="status", status=404)
    with pytest.raises(NotFoundError):
        await client.scenarios.runs.score_and_await(run_id, timeout=30)
    polls = [r for r in runloop_emulator.requests if r.path == f"/v1/scenarios/runs/{run_id}"]
    assert len(polls) == 1


async def test_scoring_wait_raises_a_bad_answer_instead_of_polling_on(
    client: AsyncRunloop, runloop_emulator: Any
) -> None:
    run_id = await a_run(runloop_emulator)
    runloop_emulator.faults.add(route=RUN_ROUTE, kind="wrong_types", times=1)
    with pytest.raises(APIResponseValidationError) as info:
        await client.scenarios.runs.score_and_await(run_id, timeout=30)
    assert info.value.json_path == "$.state"
