"""Scripts that never close their ``Runloop`` exit promptly and quietly (issue 12, item 1).

The same for an ``AsyncRunloop`` never closed inside ``asyncio.run()``: it is closed
when that loop shuts down.

Each script runs in a real subprocess against the session emulator, with warnings
turned into errors, and must exit 0 within a few seconds with nothing on stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

from runloop_async.testing import EmulatorThread

#: Generous: the scripts take well under a second on an idle machine; a hang is forever.
EXIT_BOUND = 20.0

NEVER_CLOSED = """
    from runloop_async import Runloop

    client = Runloop()
    print("listed", len(list(client.scenarios.list(limit=1))))
"""

DROPPED_MID_SCRIPT = """
    import gc
    import threading
    import time

    from runloop_async import Runloop

    for _ in range(3):
        client = Runloop()
        copy = client.with_options(timeout=5)
        del client  # the copy keeps the loop alive
        list(copy.benchmarks.list())
        del copy
        gc.collect()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(
        t.name.startswith("runloop-loop-") for t in threading.enumerate()
    ):
        time.sleep(0.02)
    print("loop threads", sum(t.name.startswith("runloop-loop-") for t in threading.enumerate()))
"""

MANY_CLIENTS = """
    import threading

    from runloop_async import Runloop

    clients = [Runloop() for _ in range(12)]

    def use(client):
        list(client.scenarios.runs.list(limit=1))

    workers = [threading.Thread(target=use, args=(c,)) for c in clients]
    for w in workers:
        w.start()
    # No join: the interpreter waits for these threads, and only then closes the clients.
    print("started", len(workers))
"""

CALL_IN_FLIGHT_FROM_DAEMON_THREAD = """
    import threading
    import time

    from runloop_async import Runloop

    client = Runloop()
    run = client.scenarios.start_run(scenario_id=next(iter(client.scenarios.list())).id)
    started = threading.Event()

    def wait_forever():
        started.set()
        client.scenarios.runs.await_scored(run.id, timeout=None)

    threading.Thread(target=wait_forever, daemon=True).start()
    started.wait()
    time.sleep(0.3)
    print("leaving with a wait in flight")
"""


ASYNC_NEVER_CLOSED = """
    import asyncio

    from runloop_async import AsyncRunloop

    client = AsyncRunloop()
    closed_one = AsyncRunloop()

    async def main():
        page = await client.scenarios.list()
        await closed_one.benchmarks.list()
        await closed_one.close()
        return len(page.items)

    print("listed", asyncio.run(main()))
    print("closed", client.is_closed)
"""


def _run_script(
    source: str, emulator: EmulatorThread
) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {
        **os.environ,
        "RUNLOOP_BASE_URL": emulator.base_url,
        "RUNLOOP_API_KEY": emulator.api_key,
    }
    env.pop("RUNLOOP_LOG", None)
    start = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, "-W", "error", "-c", textwrap.dedent(source)],
            env=env, capture_output=True, text=True, timeout=EXIT_BOUND,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail(f"the script did not exit within {EXIT_BOUND} s")
    return proc, time.monotonic() - start


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (NEVER_CLOSED, "listed 1"),
        (DROPPED_MID_SCRIPT, "loop threads 0"),
        (MANY_CLIENTS, "started 12"),
        (CALL_IN_FLIGHT_FROM_DAEMON_THREAD, "leaving with a wait in flight"),
        (ASYNC_NEVER_CLOSED, "closed True"),
    ],
    ids=["never-closed", "dropped-mid-script", "many-clients", "wait-in-flight", "async"],
)
def test_unclosed_clients_exit_promptly_and_quietly(
    runloop_emulator: EmulatorThread, source: str, expected: str
) -> None:
    runloop_emulator.add_scenario("exit")
    proc, elapsed = _run_script(source, runloop_emulator)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert expected in proc.stdout
    assert elapsed < EXIT_BOUND


def test_many_clients_were_all_used_before_exit(runloop_emulator: EmulatorThread) -> None:
    proc, _ = _run_script(MANY_CLIENTS, runloop_emulator)
    assert proc.returncode == 0, proc.stderr
    listed = [r for r in runloop_emulator.requests if r.route == "GET /v1/scenarios/runs"]
    assert len(listed) == 12  # every thread's call finished before the clients closed
