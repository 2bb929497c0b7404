"""Custom scorers: create, retrieve, update, list, and a scenario scored by one."""

from corpus_helpers import FAST
from runloop_api_client import Runloop

client = Runloop()
scorer = client.scenarios.scorers.create(bash_script="echo 'score=1.0'", type="my_checker")
assert scorer.type == "my_checker"
assert client.scenarios.scorers.retrieve(scorer.id).bash_script == "echo 'score=1.0'"
updated = client.scenarios.scorers.update(scorer.id, bash_script="echo PARTIAL", type="my_checker")
assert updated.bash_script == "echo PARTIAL"
assert [s.id for s in client.scenarios.scorers.list()] == [scorer.id]

scenario = client.scenarios.create(
    name="custom-scored",
    input_context={"problem_statement": "Make the checker happy."},
    scoring_contract={
        "scoring_function_parameters": [
            {"name": "checker", "weight": 1.0,
             "scorer": {"type": "custom_scorer", "custom_scorer_type": "my_checker"}},
        ]
    },
)  # fmt: skip
run = client.scenarios.start_run_and_await_env_ready(scenario_id=scenario.id, polling_config=FAST)
scored = client.scenarios.runs.score_and_await(run.id, polling_config=FAST)
assert scored.scoring_contract_result.score == 0.5
client.scenarios.runs.complete(run.id)
client.close()
print("OK scorers")
