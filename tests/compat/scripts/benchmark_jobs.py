"""Benchmark jobs: create one on a set of scenarios, follow it, list them."""
# corpus: job_step_delay=0.05

import time

from corpus_helpers import scenario_fields
from runloop_api_client import Runloop

client = Runloop()
ids = [client.scenarios.create(**scenario_fields(f"j{i}")).id for i in range(2)]
job = client.benchmark_jobs.create(
    name="nightly-agents",
    spec={
        "type": "scenarios",
        "scenario_ids": ids,
        "agent_configs": [{"type": "job_agent", "name": "aider", "model_name": "gpt-5"}],
    },
)
assert job.name == "nightly-agents"
deadline = time.monotonic() + 30
while job.state not in ("completed", "failed", "canceled", "timeout"):
    assert time.monotonic() < deadline, job.state
    time.sleep(0.05)
    job = client.benchmark_jobs.retrieve(job.id)
assert job.state == "completed", job.state

listed = client.benchmark_jobs.list(limit=10)
assert [j.id for j in listed.jobs] == [job.id]
assert listed.has_more is False
client.close()
print("OK benchmark_jobs")
