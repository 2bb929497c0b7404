"""Async pagination: await the first page, then pages and items with async for."""

import asyncio

from corpus_helpers import scenario_fields
from runloop_api_client import AsyncRunloop


async def main() -> None:
    async with AsyncRunloop() as client:
        scenario = await client.scenarios.create(**scenario_fields("apaged"))
        ids = set()
        for _ in range(5):
            ids.add((await client.scenarios.start_run(scenario_id=scenario.id)).id)

        page = await client.scenarios.runs.list(scenario_id=scenario.id, limit=2)
        assert len(page.runs) == 2 and page.has_more
        assert page.next_page_info().params == {"starting_after": page.runs[-1].id}
        second = await page.get_next_page()
        assert len(second.runs) == 2
        sizes = [len(p.runs) async for p in page.iter_pages()]
        assert sizes == [2, 2, 1], sizes
        assert {run.id async for run in page} == ids

        seen = set()
        async for run in client.scenarios.runs.list(scenario_id=scenario.id, limit=2):
            seen.add(run.id)
        assert seen == ids
        benchmarks = await client.benchmarks.list()
        assert benchmarks.benchmarks == [] and not benchmarks.has_next_page()
    print("OK pagination_async")


asyncio.run(main())
