"""Errors: classes, status codes and attributes a 1.x script catches."""

from corpus_helpers import scenario_fields
from runloop_api_client import (
    APIConnectionError,
    APIError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    Runloop,
    RunloopError,
)

client = Runloop(max_retries=0)

try:
    client.scenarios.retrieve("scn_does_not_exist")
except NotFoundError as exc:
    assert exc.status_code == 404
    assert isinstance(exc, APIStatusError) and isinstance(exc, APIError)
    assert isinstance(exc, RunloopError)
    assert str(exc).startswith("Error code: 404")
    assert exc.body is not None
    assert "404" in exc.message
else:
    raise AssertionError("expected NotFoundError")

scenario = client.scenarios.create(**scenario_fields("errors"))
run = client.scenarios.start_run(scenario_id=scenario.id)
client.scenarios.runs.cancel(run.id)
try:
    client.scenarios.runs.complete(run.id)  # already canceled
except BadRequestError as exc:
    assert exc.status_code == 400
else:
    raise AssertionError("expected BadRequestError")

stranger = Runloop(bearer_token="not-the-key", max_retries=0)
try:
    stranger.scenarios.list()
except AuthenticationError as exc:
    assert exc.status_code == 401
else:
    raise AssertionError("expected AuthenticationError")

nowhere = Runloop(base_url="http://127.0.0.1:9", max_retries=0)
try:
    nowhere.benchmarks.retrieve("bmd_1")
except APIConnectionError as exc:
    assert not isinstance(exc, APIStatusError)
else:
    raise AssertionError("expected APIConnectionError")

try:
    client.scenarios.retrieve("")
except ValueError:
    pass  # an empty id is refused before any request
else:
    raise AssertionError("expected ValueError")

for c in (client, stranger, nowhere):
    c.close()
print("OK errors")
