"""Download a run's logs: bytes in memory and written to a file."""

import io
import os
import tempfile
import zipfile

from corpus_helpers import FAST, scenario_fields
from runloop_api_client import Runloop

client = Runloop()
scenario = client.scenarios.create(**scenario_fields("logs"))
run = client.scenarios.start_run_and_await_env_ready(scenario_id=scenario.id, polling_config=FAST)
client.scenarios.runs.score_and_complete(run.id, polling_config=FAST)

logs = client.scenarios.runs.download_logs(run.id)
content = logs.read()
with zipfile.ZipFile(io.BytesIO(content)) as archive:
    names = archive.namelist()
    assert names, names
    text = archive.read(names[0]).decode()
    assert run.id in text

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "logs.zip")
    client.scenarios.runs.download_logs(run.id).write_to_file(path)
    with open(path, "rb") as handle:
        assert handle.read() == content
client.close()
print("OK logs")
