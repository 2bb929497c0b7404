"""One scenario run, start to score, with the blocking client."""

from corpus_helpers import FAST, scenario_fields
from runloop_api_client import Runloop

client = Runloop()

scenario = client.scenarios.create(**scenario_fields("scored-run"))
run = client.scenarios.start_run_and_await_env_ready(
    scenario_id=scenario.id, run_name="first try", polling_config=FAST
)
assert run.scenario_id == scenario.id
assert run.name == "first try"
devbox = client.devboxes.retrieve(run.devbox_id)
assert devbox.status == "running", devbox.status

scored = client.scenarios.runs.score_and_await(run.id, polling_config=FAST)
assert scored.state == "scored", scored.state
assert scored.scoring_contract_result is not None
assert scored.scoring_contract_result.score == 1.0
assert scored.scoring_contract_result.scoring_function_results[0].score == 1.0

done = client.scenarios.runs.complete(run.id)
assert done.state == "completed"
assert client.scenarios.runs.retrieve(run.id).state == "completed"
print("OK scored_run")
