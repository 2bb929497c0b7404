"""How a loop thread's loop ends: its tasks cancelled, the loop closed, the threads of
its executor (file I/O off the loop) joined, so a closed client leaves none behind."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

__all__ = ["JoinableExecutor", "teardown"]


class JoinableExecutor(ThreadPoolExecutor):
    """The loop's default executor (file I/O off the loop), whose threads can be joined.

    It records each worker thread as it starts (the initializer runs in it), so the
    teardown can join them with a bound, which ``shutdown(wait=True)`` cannot.
    """

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        super().__init__(thread_name_prefix="runloop-io", initializer=self._started)

    def _started(self) -> None:
        self.threads.append(threading.current_thread())

    def join(self, timeout: float) -> None:
        """Stop taking work, drop what is queued, join the workers (within ``timeout``)."""
        self.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))


def teardown(loop: asyncio.AbstractEventLoop, executor: JoinableExecutor, *, grace: float) -> None:
    """Cancel what is left on the loop, close it, and join its executor's threads
    (within ``grace`` seconds).

    Without starting any thread: the ``shutdown_default_executor()`` of
    ``asyncio.run`` joins the executor from a new thread, which Python 3.12 refuses at
    interpreter exit, and ``loop.close()`` alone does not wait for the workers, so a
    closed client would leave a thread behind for a while.
    """
    try:
        tasks = asyncio.all_tasks(loop)
        for task in tasks:
            task.cancel()
        if tasks:
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
    finally:
        loop.close()
        executor.join(grace)
