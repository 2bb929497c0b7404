"""``async with client.scenarios.managed_run(...) as run:``: a run that always ends.

Starting a scenario run boots a devbox that keeps running (and costing) until the run
is completed or canceled. Scripts forget, or crash before they get there. A managed
run starts the run and waits for its devbox on entry; on exit, whatever happened
inside, it completes the run if it was scored and cancels it otherwise, so the devbox
always shuts down.

The context manager is a class with plain ``__aenter__``/``__aexit__`` coroutines
(not an async generator) so the blocking client can drive each half as its own call
on the loop thread; no cancel scope spans the two.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any

from .._models import ScenarioRunView
from .._steps import CLEANUP_TIMEOUT, end_run, end_state_action

if TYPE_CHECKING:
    from .scenarios import AsyncScenarios

__all__ = ["CLEANUP_TIMEOUT", "AsyncManagedRun", "end_state_action"]


class AsyncManagedRun:
    """The context manager :meth:`AsyncScenarios.managed_run` returns.

    Entering starts the run and waits for its devbox (``start_run_and_await_env_ready``)
    and gives the :class:`ScenarioRunView`. Leaving retrieves the run and completes it
    if ``scored``, cancels it if still live (see :func:`end_state_action`), shielded
    from cancellation, retried through transient failures until :data:`CLEANUP_TIMEOUT`
    (120 s); a failure to clean up is logged, never raised over the block's own
    exception. ``final`` is the run's view after exit (``None`` if the cleanup could
    not read it).
    """

    def __init__(
        self, scenarios: AsyncScenarios, start: dict[str, Any], *, keep_on_error: bool
    ) -> None:
        self._scenarios = scenarios
        self._start = start
        self._keep_on_error = keep_on_error
        self.run: ScenarioRunView | None = None
        self.final: ScenarioRunView | None = None

    async def __aenter__(self) -> ScenarioRunView:
        if self.run is not None:
            raise RuntimeError("a managed run can be entered once")
        # start_run_and_await_env_ready already cancels the run if the wait fails.
        self.run = await self._scenarios.start_run_and_await_env_ready(**self._start)
        return self.run

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.run is None:
            return
        self.final = await end_run(
            self._scenarios.runs, self.run.id, failed=exc is not None,
            keep_on_error=self._keep_on_error,
        )  # fmt: skip
