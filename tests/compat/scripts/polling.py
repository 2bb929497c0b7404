"""Polling: PollingConfig sets how long a wait lasts; PollingTimeout when it runs out."""
# corpus: devbox_boot_delay=1.5 scoring_delay=1.5

from corpus_helpers import FAST, scenario_fields
from runloop_api_client import Runloop
from runloop_api_client.lib.polling import PollingConfig, PollingTimeout

client = Runloop()
scenario = client.scenarios.create(**scenario_fields("polling"))
run = client.scenarios.start_run(scenario_id=scenario.id)

short = PollingConfig(interval_seconds=0.1, max_attempts=3)
try:
    client.devboxes.await_running(run.devbox_id, polling_config=short)
except PollingTimeout:
    pass
else:
    raise AssertionError("the devbox cannot be up within 0.3 s")

devbox = client.devboxes.await_running(run.devbox_id, polling_config=FAST)
assert devbox.status == "running"

client.scenarios.runs.score(run.id)
try:
    client.scenarios.runs.await_scored(run.id, polling_config=short)
except PollingTimeout as exc:
    assert exc.last_value.state == "scoring", exc.last_value
else:
    raise AssertionError("scoring takes 1.5 s")

scored = client.scenarios.runs.await_scored(
    run.id, polling_config=PollingConfig(interval_seconds=0.1, max_attempts=100, timeout_seconds=30)
)
assert scored.state == "scored"
client.close()
print("OK polling")
