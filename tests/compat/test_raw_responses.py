"""``with_raw_response`` / ``with_streaming_response`` on every resource (issue 12, item 4).

Over loopback against the emulator, for the async client and the blocking one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from runloop_async import (
    APIResponse,
    AsyncAPIResponse,
    AsyncRunloop,
    NotFoundError,
    Page,
    RetryConfig,
    Runloop,
    ScenarioView,
    SyncPage,
)
from runloop_async._raw import raw_method_names
from runloop_async._resources._base import Resource
from runloop_async._sync import SyncResource

FAST = RetryConfig(max_retries=3, initial_delay=0.01, max_delay=0.02)


@pytest.fixture
def client(runloop_emulator: Any) -> Iterator[Runloop]:
    with Runloop(runloop_emulator.api_key, runloop_emulator.base_url, retry=FAST) as c:
        yield c


def _resources(obj: object, kind: type) -> Iterator[object]:
    for name in dir(obj):
        value = getattr(obj, name, None)
        if not name.startswith("_") and isinstance(value, kind):
            yield value
            yield from _resources(value, kind)


def test_every_resource_has_both_wrappers_with_every_method(client: Runloop) -> None:
    resources = list(_resources(client, SyncResource))
    assert len(resources) == 7
    for resource in resources:
        for wrapper in (resource.with_raw_response, resource.with_streaming_response):  # type: ignore[attr-defined]
            names = dir(wrapper)
            assert names == raw_method_names(resource._async)  # type: ignore[attr-defined]
            assert "retrieve" in names or "list" in names
            assert all(callable(getattr(wrapper, n)) for n in names)
    async_resources = list(_resources(client._async, Resource))
    assert len(async_resources) == 7
    for resource in async_resources:
        assert dir(resource.with_raw_response) == raw_method_names(resource)  # type: ignore[attr-defined]


def test_sync_raw_response(client: Runloop, runloop_emulator: Any) -> None:
    scenario = runloop_emulator.add_scenario("raw")
    response = client.scenarios.with_raw_response.retrieve(scenario["id"])
    assert isinstance(response, APIResponse)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["x-request-id"]
    assert response.method == "GET"
    assert response.url == f"{runloop_emulator.base_url}/v1/scenarios/{scenario['id']}"
    assert response.http_request.url == response.url
    assert "authorization" not in response.http_request.headers
    assert response.retries_taken == 0
    assert response.elapsed.total_seconds() >= 0
    parsed = response.parse()
    assert isinstance(parsed, ScenarioView)
    assert parsed == client.scenarios.retrieve(scenario["id"])
    assert json.loads(response.read()) == response.json()
    assert response.text() == response.read().decode()
    assert response.parse(to=dict)["name"] == "raw"
    assert response.parse(to=ScenarioView) == parsed
    assert b"".join(response.iter_bytes(7)) == response.read()
    assert "".join(response.iter_text(5)) == response.text()
    assert list(response.iter_lines()) == response.text().splitlines()


def test_sync_raw_post_list_and_sub_resources(client: Runloop, runloop_emulator: Any) -> None:
    scorer = client.scenarios.scorers.with_raw_response.create(
        bash_script="echo 1", type="my_scorer"
    )
    assert scorer.method == "POST"
    assert json.loads(scorer.http_request.content) == {"bash_script": "echo 1", "type": "my_scorer"}
    assert scorer.parse().type == "my_scorer"
    runloop_emulator.seed_runs(3)
    listed = client.scenarios.runs.with_raw_response.list(limit=2)
    page = listed.parse()
    assert isinstance(page, SyncPage)
    assert len(page.runs) == 2
    assert len(list(page)) == 3  # still pages on
    assert "limit=2" in listed.url


def test_retries_taken_counts_retried_attempts(client: Runloop, runloop_emulator: Any) -> None:
    scenario = runloop_emulator.add_scenario("flaky")
    runloop_emulator.faults.add(route="GET /v1/scenarios/{id}", kind="status", status=503, times=2)
    response = client.scenarios.with_raw_response.retrieve(scenario["id"])
    assert response.status_code == 200
    assert response.retries_taken == 2


def test_errors_raise_as_without_the_wrapper(client: Runloop) -> None:
    with pytest.raises(NotFoundError):
        client.scenarios.with_raw_response.retrieve("scn_missing")
    with pytest.raises(NotFoundError), client.scenarios.with_streaming_response.retrieve("scn_x"):
        pass
    with pytest.raises(AttributeError):
        client.scenarios.with_raw_response.managed_run  # noqa: B018
    with pytest.raises(AttributeError):
        client.scenarios.with_raw_response.no_such_method  # noqa: B018


def test_sync_streaming_response_and_logs_to_file(
    client: Runloop, runloop_emulator: Any, tmp_path: Path
) -> None:
    (run_id,) = runloop_emulator.seed_runs(1, state="completed")
    with client.scenarios.runs.with_streaming_response.download_logs(run_id) as response:
        assert response.status_code == 200
        assert not response.is_closed
        chunks = list(response.iter_bytes(100))
        response.stream_to_file(tmp_path / "logs.zip")
    assert response.is_closed
    body = b"".join(chunks)
    assert body.startswith(b"PK")  # a zip
    assert (tmp_path / "logs.zip").read_bytes() == body
    raw = client.scenarios.runs.with_raw_response.download_logs(run_id)
    raw.write_to_file(tmp_path / "again.zip")
    assert (tmp_path / "again.zip").read_bytes() == body
    assert raw.parse().read() == body


@pytest.mark.anyio
async def test_async_raw_and_streaming(runloop_emulator: Any) -> None:
    scenario = runloop_emulator.add_scenario("araw")
    runloop_emulator.seed_runs(3)
    async with AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url) as client:
        response = await client.scenarios.with_raw_response.retrieve(scenario["id"])
        assert isinstance(response, AsyncAPIResponse)
        assert response.status_code == 200
        assert (await response.parse()).name == "araw"
        assert (await response.json())["id"] == scenario["id"]  # type: ignore[index]
        assert (await response.text()).startswith("{")
        assert await response.read() == (await response.text()).encode()
        listed = await client.scenarios.runs.with_raw_response.list(limit=1)
        page = await listed.parse()
        assert isinstance(page, Page)
        assert len([run async for run in page]) == 3
        async with client.benchmarks.with_streaming_response.list() as streamed:
            lines = [line async for line in streamed.iter_lines()]
            chunks = [chunk async for chunk in streamed.iter_bytes(4)]
            text = [t async for t in streamed.iter_text()]
        assert streamed.is_closed
        assert json.loads(lines[0]) == {"benchmarks": [], "has_more": False, "total_count": 0}
        assert b"".join(chunks).decode() == "".join(text) == lines[0]
        with pytest.raises(NotFoundError):
            await client.scenarios.runs.with_raw_response.retrieve("scr_missing")
