"""Pagination: limits, cursors, has_more, total_count, >5000 items."""

from __future__ import annotations

import pytest
from emu_helpers import Api

from runloop_async.testing import Emulator

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("limit", ["0", "5001", "-1", "abc", "1.5", ""])
async def test_bad_limits_are_400(api: Api, limit: str) -> None:
    status, body = await api.get("/v1/scenarios/runs", limit=limit)
    assert status == 400
    assert "limit" in body["error"]["message"]


async def test_default_limit_cursor_and_counts(emu: Emulator, api: Api) -> None:
    ids = emu.seed_runs(45)
    first = await api.ok("GET", "/v1/scenarios/runs")
    assert [r["id"] for r in first["runs"]] == ids[:20]
    assert (first["has_more"], first["total_count"]) == (True, 45)
    second = await api.ok("GET", "/v1/scenarios/runs", starting_after=ids[19])
    assert [r["id"] for r in second["runs"]] == ids[20:40]
    last = await api.ok("GET", "/v1/scenarios/runs", starting_after=ids[39], limit="10")
    assert [r["id"] for r in last["runs"]] == ids[40:]
    assert last["has_more"] is False
    exact = await api.ok("GET", "/v1/scenarios/runs", limit="45")
    assert exact["has_more"] is False
    none = await api.ok("GET", "/v1/scenarios/runs", include_total_count="false", limit="1")
    assert none.get("total_count") is None
    assert (await api.get("/v1/scenarios/runs", include_total_count="maybe"))[0] == 400
    assert (await api.get("/v1/scenarios/runs", starting_after="scr_unknown"))[0] == 400
    empty = await api.ok("GET", "/v1/scenarios/runs", starting_after=ids[-1])
    assert (empty["runs"], empty["has_more"]) == ([], False)


async def test_filters_with_cursor(emu: Emulator, api: Api) -> None:
    sa = emu.add_scenario("a")["id"]
    sb = emu.add_scenario("b")["id"]
    mixed: list[str] = []
    for _ in range(5):
        mixed += emu.seed_runs(1, scenario_id=sa, name="ra")
        mixed += emu.seed_runs(1, scenario_id=sb, state="completed", name="rb")
    page = await api.ok("GET", "/v1/scenarios/runs", scenario_id=sa, limit="2")
    assert [r["id"] for r in page["runs"]] == mixed[0:4:2]
    assert page["total_count"] == 5
    nxt = await api.ok(
        "GET", "/v1/scenarios/runs", scenario_id=sa, limit="2", starting_after=mixed[2]
    )
    assert [r["id"] for r in nxt["runs"]] == mixed[4:8:2]
    done = await api.ok("GET", "/v1/scenarios/runs", state="completed", limit="100")
    assert [r["id"] for r in done["runs"]] == mixed[1::2]
    assert (await api.ok("GET", "/v1/scenarios/runs", name="rb"))["total_count"] == 5
    assert (await api.ok("GET", "/v1/scenarios/runs", search=mixed[3]))["total_count"] == 1


async def test_more_than_5000_items(emu: Emulator, api: Api) -> None:
    ids = emu.seed_runs(5123)
    first = await api.ok("GET", "/v1/scenarios/runs", limit="5000")
    assert len(first["runs"]) == 5000
    assert (first["has_more"], first["total_count"]) == (True, 5123)
    rest = await api.ok("GET", "/v1/scenarios/runs", limit="5000", starting_after=ids[4999])
    assert [r["id"] for r in rest["runs"]] == ids[5000:]
    assert rest["has_more"] is False
