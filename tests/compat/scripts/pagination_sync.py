"""Sync pagination: the first page's attributes, page by page, and auto-iteration."""

from corpus_helpers import scenario_fields
from runloop_api_client import Runloop

client = Runloop()
scenario = client.scenarios.create(**scenario_fields("paged"))
ids = {client.scenarios.start_run(scenario_id=scenario.id).id for _ in range(7)}

page = client.scenarios.runs.list(scenario_id=scenario.id, limit=3, include_total_count=True)
assert len(page.runs) == 3
assert page.has_more is True
assert page.total_count == 7
assert page.has_next_page()
info = page.next_page_info()
assert info is not None and info.params == {"starting_after": page.runs[-1].id}

second = page.get_next_page()
assert len(second.runs) == 3
assert not {r.id for r in page.runs} & {r.id for r in second.runs}
sizes = [len(p.runs) for p in page.iter_pages()]
assert sizes == [3, 3, 1], sizes

# Iterating the page object walks every page.
assert {run.id for run in page} == ids
assert {run.id for run in client.scenarios.runs.list(scenario_id=scenario.id, limit=2)} == ids
assert len(list(client.scenarios.list(limit=1))) == 1
last = list(page.iter_pages())[-1]
assert not last.has_next_page()
print("OK pagination_sync")
