"""Models: attribute access, to_dict() and to_json() for logging results."""

import json

from corpus_helpers import FAST, scenario_fields
from runloop_api_client import Runloop

client = Runloop()
scenario = client.scenarios.create(**scenario_fields("models"), metadata={"team": "evals"})
as_dict = scenario.to_dict()
assert as_dict["id"] == scenario.id
assert as_dict["metadata"] == {"team": "evals"}
assert as_dict["input_context"]["problem_statement"] == "Solve models."
assert "reference_output" in as_dict  # sent by the API as null
assert "reference_output" not in scenario.to_dict(exclude_none=True)
assert json.loads(scenario.to_json()) == as_dict
assert "\n" not in scenario.to_json(indent=None)

benchmark = client.benchmarks.create(name="models-bench", scenario_ids=[scenario.id])
assert benchmark.to_dict()["scenarioIds"] == [scenario.id]  # the API's own key
assert benchmark.to_dict(use_api_names=False)["scenario_ids"] == [scenario.id]

run = client.scenarios.start_run_and_await_env_ready(scenario_id=scenario.id, polling_config=FAST)
scored = client.scenarios.runs.score_and_await(run.id, polling_config=FAST)
result = scored.to_dict()["scoring_contract_result"]
assert result["score"] == 1.0
assert result["scoring_function_results"][0]["scoring_function_name"] == "main"
log_line = json.dumps({"run": scored.id, "result": scored.scoring_contract_result.to_dict()})
assert '"score": 1.0' in log_line
client.close()
print("OK models")
