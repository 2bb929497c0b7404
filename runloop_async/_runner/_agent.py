"""What the benchmark runner hands the agent, and how it calls it (async or sync)."""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

import anyio
import anyio.to_thread
import attrs

from .._exceptions import InvalidArgumentError
from .._models import DevboxView, ScenarioRunView, ScenarioView

if TYPE_CHECKING:
    from .._client import AsyncRunloop

__all__ = [
    "Agent",
    "AgentContext",
    "agents_running",
    "call_agent",
    "check_agent",
    "is_async_callable",
    "wait_for_agents",
]


@attrs.frozen(kw_only=True)
class AgentContext:
    """Everything an agent gets for one scenario; the devbox is already ``running``.

    Attributes:
        client: The :class:`AsyncRunloop` the runner uses. An async agent may call it
            directly; a sync agent runs in a worker thread and must go through the
            loop, e.g. ``anyio.from_thread.run(ctx.client.devboxes.retrieve, ctx.devbox_id)``.
        scenario: The scenario (``scenario.input_context.problem_statement`` is the task).
        run: The scenario run as ``start_run`` returned it.
        devbox: The devbox as the readiness wait last saw it (``running``).
        benchmark_run_id: The benchmark run the scenario run belongs to, if any.
        stop: Set when the runner gives up on this agent call (its deadline passed,
            Ctrl-C, SIGTERM, an outage stop). A sync agent cannot be interrupted:
            a long one should check :attr:`cancelled` between its steps and return.
    """

    client: AsyncRunloop = attrs.field(repr=False)
    scenario: ScenarioView
    run: ScenarioRunView
    devbox: DevboxView
    benchmark_run_id: str | None = None
    stop: threading.Event = attrs.field(factory=threading.Event, repr=False, eq=False)

    @property
    def cancelled(self) -> bool:
        """Whether the runner gave up on this call (see ``stop``): return soon."""
        return self.stop.is_set()

    @property
    def devbox_id(self) -> str:
        """The id of the scenario run's devbox (where the agent does its work)."""
        return self.run.devbox_id

    @property
    def problem_statement(self) -> str:
        """The task: ``scenario.input_context.problem_statement``."""
        return self.scenario.input_context.problem_statement


Agent: TypeAlias = Callable[[AgentContext], Any]
"""An agent: ``async def agent(ctx)`` or ``def agent(ctx)``; the return value is ignored.

It works on ``ctx.devbox_id`` and returns when done; the runner then scores. Raising
marks the scenario ``errored`` (the run is canceled, the others go on).
"""


def is_async_callable(fn: object) -> bool:
    """Whether calling ``fn`` returns a coroutine (async def, partial of one, or an
    object whose ``__call__`` is async)."""
    while isinstance(fn, functools.partial):
        fn = fn.func
    if inspect.iscoroutinefunction(fn):
        return True
    call = getattr(type(fn), "__call__", None)  # noqa: B004 - we want the class attribute
    return inspect.iscoroutinefunction(call)


def check_agent(agent: object) -> None:
    """Reject what cannot be an agent before any run starts.

    Raises:
        InvalidArgumentError: ``None``, not callable, or not callable with one
            positional argument (the :class:`AgentContext`).
    """
    if agent is None or not callable(agent):
        raise InvalidArgumentError(f"agent must be a callable taking an AgentContext: {agent!r}")
    try:
        signature = inspect.signature(agent)
    except (TypeError, ValueError):
        return  # a builtin or C callable without a signature: trust it
    try:
        signature.bind(object())
    except TypeError:
        raise InvalidArgumentError(
            f"agent {getattr(agent, '__name__', agent)!r} must take exactly one argument "
            f"(an AgentContext); its signature is {signature}"
        ) from None


#: Sync agents' calls still running in worker threads (threads cannot be interrupted).
_running: set[threading.Event] = set()
_running_lock = threading.Lock()


def agents_running() -> int:
    """How many sync agent calls are still running in worker threads (this process)."""
    with _running_lock:
        return len(_running)


async def wait_for_agents(grace: float) -> int:
    """Wait up to ``grace`` seconds for sync agents' threads to return; return how
    many are still running (abandoned: they finish on their own)."""
    with anyio.move_on_after(grace):
        # Worker threads signal nothing to the loop; a short poll is the simple way.
        while agents_running():  # noqa: ASYNC110
            await anyio.sleep(0.05)
    return agents_running()


def _tracked(agent: Agent) -> Agent:
    def run(ctx: AgentContext) -> Any:
        done = threading.Event()
        with _running_lock:
            _running.add(done)
        try:
            return agent(ctx)
        finally:
            with _running_lock:
                _running.discard(done)

    return run


async def call_agent(agent: Agent, ctx: AgentContext, threads: anyio.CapacityLimiter) -> None:
    """Call ``agent(ctx)``: awaited if async, else in a worker thread from ``threads``.

    A sync agent's thread cannot be interrupted: when the runner is cancelled,
    ``ctx.stop`` is set and the thread is abandoned (it finishes on its own; its
    devbox is shut down under it). The runner waits ``agent_grace`` for such threads
    on its way out (:func:`wait_for_agents`).
    """
    try:
        if is_async_callable(agent):
            await agent(ctx)
            return
        result = await anyio.to_thread.run_sync(
            _tracked(agent), ctx, limiter=threads, abandon_on_cancel=True
        )
        if inspect.isawaitable(result):
            await result
    except BaseException:
        ctx.stop.set()  # tell a sync agent still running in its thread
        raise
