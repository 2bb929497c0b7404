"""The loop thread behind Runloop: lifecycle, interrupts, concurrency, close races.

These tests need no server: they run coroutines (``anyio.sleep``) through the same
forwarding helper every sync method uses, or call a refused loopback port.
"""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from collections.abc import Iterator

import anyio
import pytest

from runloop_async import (
    APIConnectionError,
    ClientClosedError,
    ConfigurationError,
    InsecureTransportWarning,
    Runloop,
    RunloopError,
)
from runloop_async._sync import LoopThread

KEY = "test-key"
#: Nothing listens on the discard port: calls fail fast with a refused connection.
DEAD_URL = "http://127.0.0.1:9"


def loop_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("runloop-loop-")]


async def _noop() -> None:
    return None


@pytest.fixture
def loop() -> Iterator[LoopThread]:
    lt = LoopThread(_noop, name="runloop-loop-test")
    try:
        yield lt
    finally:
        lt.close()


def test_missing_key_raises_before_any_thread_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RUNLOOP_API_KEY", raising=False)
    before = threading.active_count()
    with pytest.raises(ConfigurationError):
        Runloop()
    with pytest.raises(ConfigurationError):
        Runloop(KEY, "not a url")
    assert threading.active_count() == before


def test_insecure_url_warns_and_still_closes_cleanly() -> None:
    with pytest.warns(InsecureTransportWarning):
        client = Runloop(KEY, "http://runloop.example.com")
    client.close()


def test_context_manager_starts_and_joins_one_thread() -> None:
    before = loop_threads()
    with Runloop(KEY, DEAD_URL) as client:
        started = [t for t in loop_threads() if t not in before]
        assert len(started) == 1
        assert started[0].daemon
        assert not client.is_closed
        assert repr(client) == f"Runloop(base_url={DEAD_URL!r})"
    assert not started[0].is_alive()
    assert client.is_closed


def test_close_is_idempotent_and_calls_after_close_raise() -> None:
    client = Runloop(KEY, DEAD_URL, max_retries=0)
    with pytest.raises(APIConnectionError):
        client.scenarios.retrieve("scn_1")  # opens the sessions on the loop
    client.close()
    client.close()
    with pytest.raises(ClientClosedError, match="closed"):
        client.scenarios.runs.retrieve("run_1")
    with pytest.raises(ClientClosedError):
        client.benchmarks.list()
    with pytest.raises(ClientClosedError):
        list(client.benchmark_jobs.list())


def test_with_options_shares_the_loop_and_closing_a_copy_leaves_the_original_open() -> None:
    client = Runloop(KEY, DEAD_URL)
    fast = client.with_options(timeout=2.0, max_retries=0)
    assert fast.base_url == client.base_url
    assert len(loop_threads()) == 1
    with pytest.raises(APIConnectionError):
        fast.devboxes.retrieve("dbx_1")
    fast.close()
    assert fast.is_closed
    assert not client.is_closed
    with pytest.raises(ClientClosedError):
        fast.devboxes.retrieve("dbx_1")
    with pytest.raises(APIConnectionError):  # the original still calls out
        client.with_options(max_retries=0).devboxes.retrieve("dbx_1")
    again = client.with_options(max_retries=0)
    client.close()
    assert again.is_closed  # closing the original closes every copy
    with pytest.raises(ClientClosedError):
        again.devboxes.retrieve("dbx_1")
    assert loop_threads() == []


def test_a_call_from_the_loop_thread_raises_instead_of_deadlocking() -> None:
    with Runloop(KEY, DEAD_URL) as client:

        def on_loop() -> str:
            with pytest.raises(ClientClosedError, match="own event loop thread"):
                client.scenarios.retrieve("scn_1")
            with pytest.raises(ClientClosedError):
                client.close()
            return "ok"

        assert client._loop._portal.call(on_loop) == "ok"
        assert not client.is_closed


def test_errors_are_runloop_errors_and_keep_their_type(loop: LoopThread) -> None:
    async def boom() -> None:
        raise ValueError("from the loop")

    with pytest.raises(ValueError, match="from the loop"):
        loop.call(boom)
    assert issubclass(ClientClosedError, RunloopError)


def test_calls_from_many_threads_run_concurrently(loop: LoopThread) -> None:
    results: list[float] = []

    def worker() -> None:
        for _ in range(3):
            loop.call(anyio.sleep, 0.2)
        results.append(time.monotonic())

    start = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    elapsed = time.monotonic() - start
    assert len(results) == 16
    # 48 sleeps of 0.2 s: serialized they would take 9.6 s; concurrent, about 0.6 s.
    assert elapsed < 2.0


def test_works_from_a_thread_that_runs_an_event_loop() -> None:
    with Runloop(KEY, DEAD_URL, max_retries=0) as client:

        async def notebook_cell() -> str:
            # A blocking call inside a running loop (as in Jupyter) runs on the
            # client's own loop, not this one.
            with pytest.raises(APIConnectionError):
                client.scenarios.retrieve("scn_1")
            return "done"

        assert asyncio.run(notebook_cell()) == "done"


def test_ctrl_c_cancels_the_task_on_the_loop(loop: LoopThread) -> None:
    assert threading.current_thread() is threading.main_thread()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    started = threading.Event()
    cancelled = threading.Event()

    async def long_wait() -> None:
        started.set()
        try:
            await anyio.sleep(3600)
        except anyio.get_cancelled_exc_class():
            cancelled.set()
            raise

    def press_ctrl_c() -> None:
        started.wait(5)
        time.sleep(0.1)
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)

    timer = threading.Thread(target=press_ctrl_c)
    timer.start()
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        loop.call(long_wait)
    assert time.monotonic() - start < 3
    timer.join()
    assert cancelled.wait(2), "the task on the loop was not cancelled"
    # The loop is still usable after an interrupted call.
    loop.call(anyio.sleep, 0)


def test_close_while_calls_are_in_flight(loop: LoopThread) -> None:
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            loop.call(anyio.sleep, 3600)
            outcome = "finished"
        except ClientClosedError:
            outcome = "closed"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    start = time.monotonic()
    loop.close()
    for t in threads:
        t.join(5)
    assert time.monotonic() - start < 3
    assert outcomes == ["closed"] * 8


def _storm_then_close() -> list[str]:
    lt = LoopThread(_noop, name="runloop-loop-race")
    outcomes: list[str] = []
    stop = threading.Event()

    def worker() -> None:
        while True:
            try:
                lt.call(anyio.sleep, 0)
            except ClientClosedError:
                outcomes.append("closed")
                return
            if stop.is_set():
                outcomes.append("stopped")
                return

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    time.sleep(0.05)
    lt.close()
    stop.set()
    for t in threads:
        t.join(5)
        assert not t.is_alive()
    return outcomes


def test_close_racing_with_a_storm_of_calls_never_hangs() -> None:
    for _ in range(5):
        assert len(_storm_then_close()) == 8


def test_close_joins_the_loops_executor_threads() -> None:
    # File I/O (download_logs_to_file) runs on the loop's default executor. Its worker
    # is still busy as close begins: close must wait for it, not leave it running.
    before = set(threading.enumerate())
    lt = LoopThread(_noop, name="runloop-loop-executor")

    async def busy_worker() -> None:
        loop = asyncio.get_running_loop()
        loop.run_in_executor(None, time.sleep, 0.5)  # still running when close begins
        await loop.run_in_executor(None, lambda: None)

    lt.call(busy_worker)
    lt.close()
    assert set(threading.enumerate()) - before == set()
