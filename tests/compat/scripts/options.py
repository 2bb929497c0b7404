"""Client options: max_retries, timeout, with_options, default and per-call headers/query."""

from corpus_helpers import scenario_fields
from runloop_api_client import Runloop

client = Runloop(max_retries=2, timeout=20.0, default_headers={"X-Team": "evals"})
scenario = client.scenarios.create(**scenario_fields("options"), idempotency_key="create-options-1")

fast = client.with_options(timeout=5.0, max_retries=0)
assert fast.scenarios.retrieve(scenario.id).id == scenario.id
assert client.scenarios.retrieve(scenario.id, timeout=3.0).name == "options"

raw = client.scenarios.with_raw_response.retrieve(
    scenario.id, extra_headers={"X-Trace-Id": "trace-123"}, extra_query={"probe": "1"}
)
sent = raw.http_request
assert sent.headers["x-trace-id"] == "trace-123"
assert sent.headers["x-team"] == "evals"
assert "probe=1" in str(sent.url)

again = client.scenarios.with_raw_response.create(
    **scenario_fields("options"), idempotency_key="create-options-2"
)
assert again.http_request.headers["x-request-id"] == "create-options-2"

updated = client.scenarios.update(scenario.id, name="renamed", extra_body={"metadata": {"k": "v"}})
assert updated.name == "renamed"
assert updated.metadata == {"k": "v"}
client.close()
print("OK options")
