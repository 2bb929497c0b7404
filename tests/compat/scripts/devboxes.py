"""The devbox of a scenario run: wait until it runs, look at it, and see it go.

The client is never closed, as in many 1.x scripts.
"""
# corpus: devbox_boot_delay=0.5

import asyncio

from corpus_helpers import FAST, scenario_fields
from runloop_api_client import AsyncRunloop

client = AsyncRunloop()


async def main() -> None:
    scenario = await client.scenarios.create(**scenario_fields("devbox"))
    run = await client.scenarios.start_run(scenario_id=scenario.id)
    early = await client.devboxes.retrieve(run.devbox_id)
    assert early.status in ("provisioning", "initializing"), early.status
    devbox = await client.devboxes.await_running(run.devbox_id, polling_config=FAST)
    assert devbox.status == "running"
    assert devbox.id == run.devbox_id
    await client.scenarios.runs.cancel(run.id)
    gone = await client.devboxes.retrieve(run.devbox_id)
    assert gone.status == "shutdown", gone.status
    print("OK devboxes")


asyncio.run(main())
