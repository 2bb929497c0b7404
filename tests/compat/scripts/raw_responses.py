"""Raw and streamed responses: status, headers, the request, parse(), bytes/text/json."""

import asyncio
import json

from corpus_helpers import scenario_fields
from runloop_api_client import AsyncRunloop, Runloop

client = Runloop()
scenario = client.scenarios.create(**scenario_fields("raw"))

response = client.scenarios.with_raw_response.retrieve(scenario.id)
assert response.status_code == 200
assert response.headers["content-type"].startswith("application/json")
assert response.headers.get("X-Request-Id")
assert response.http_request.method == "GET"
assert str(response.http_request.url).endswith(f"/v1/scenarios/{scenario.id}")
parsed = response.parse()
assert parsed.id == scenario.id and parsed.name == "raw"
assert json.loads(response.text())["name"] == "raw"
assert response.json()["id"] == scenario.id
assert response.read() == response.text().encode()

created = client.scenarios.runs.with_raw_response.list(scenario_id=scenario.id)
assert created.status_code == 200
page = created.parse()
assert page.runs == [] and not page.has_next_page()

with client.scenarios.with_streaming_response.retrieve(scenario.id) as streamed:
    assert streamed.status_code == 200
    body = b"".join(streamed.iter_bytes())
    assert json.loads(body)["id"] == scenario.id
with client.benchmarks.with_streaming_response.list() as streamed:
    lines = list(streamed.iter_lines())
    assert json.loads("".join(lines))["benchmarks"] == []


async def main() -> None:
    async with AsyncRunloop() as aclient:
        raw = await aclient.scenarios.with_raw_response.retrieve(scenario.id)
        assert raw.status_code == 200
        assert (await raw.parse()).name == "raw"
        async with aclient.scenarios.with_streaming_response.retrieve(scenario.id) as streamed:
            chunks = [chunk async for chunk in streamed.iter_bytes()]
            assert json.loads(b"".join(chunks))["name"] == "raw"


asyncio.run(main())
client.close()
print("OK raw_responses")
