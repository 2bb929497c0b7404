"""The control surface shared by ``Emulator`` and ``EmulatorThread``.

Every method here is safe to call from any thread: state lives behind a lock and
change notifications reach the server loop with ``call_soon_threadsafe``.
"""

from __future__ import annotations

from typing import Any

from ._config import EmulatorConfig
from ._faults import Faults
from ._h_benchmarks import new_benchmark
from ._h_scenarios import new_scenario
from ._outcomes import check_fraction
from ._records import Run
from ._runs import TERMINAL_RUN_STATES, new_run, scoring_result, shutdown_devbox
from ._server import EmulatorCore, RequestRecord
from ._state import DEVBOX_OUTCOMES, JOB_OUTCOMES, SCORING_OUTCOMES

__all__ = ["EmulatorControls", "scenario_body"]

_SEED_STATES = frozenset({"running", "scored", *TERMINAL_RUN_STATES})


def scenario_body(name: str, command: str = "true", **fields: Any) -> dict[str, Any]:
    """A minimal ScenarioCreateParameters body with one command scorer."""
    body: dict[str, Any] = {
        "name": name,
        "input_context": {"problem_statement": f"Solve {name}."},
        "scoring_contract": {
            "scoring_function_parameters": [
                {
                    "name": "main",
                    "scorer": {"type": "command_scorer", "command": command},
                    "weight": 1.0,
                },
            ]
        },
    }
    body.update(fields)
    return body


class EmulatorControls:
    """Controls and inspection for a running emulator."""

    _core: EmulatorCore

    @property
    def api_key(self) -> str:
        """The bearer token the emulator accepts."""
        return self._core.state.config.api_key

    @property
    def config(self) -> EmulatorConfig:
        """The configuration in force (after any ``configure``)."""
        return self._core.state.config

    @property
    def faults(self) -> Faults:
        """The fault registry: ``faults.add(...)``, ``faults.clear()``."""
        return self._core.faults

    @property
    def requests(self) -> list[RequestRecord]:
        """A snapshot of every request received since the last reset."""
        return self._core.requests()

    def clear_requests(self) -> None:
        """Forget the request log only."""
        self._core.clear_requests()

    def reset(self) -> None:
        """Drop all state, faults, forced outcomes and the request log; undo ``configure``."""
        self._core.reset()

    def configure(self, **changes: Any) -> EmulatorConfig:
        """Change delays etc. until the next ``reset`` (``api_key``/``host``/``port`` too)."""
        state = self._core.state
        with state.lock:
            state.config = state.config.replace(**changes)
            return state.config

    def tick(self) -> None:
        """Fire due timers now (reads do this on their own)."""
        self._core.state.tick()

    # -- forced outcomes ----------------------------------------------------

    def force_scoring_outcome(self, target: str, outcome: str) -> None:
        """Make scoring of ``target`` end ``scored`` (default), ``failed``, ``timeout``
        or ``stuck`` (stays ``scoring``). ``target``: a run id, scenario id or name."""
        self._force(self._core.state.scoring_forces, SCORING_OUTCOMES, target, outcome)

    def force_devbox_outcome(self, target: str, outcome: str) -> None:
        """Make the devbox boot of ``target`` end ``running`` (default), ``failure``
        (the run fails too) or ``stuck`` (stays booting). ``target``: a devbox id,
        run id, scenario id or scenario name."""
        self._force(self._core.state.devbox_forces, DEVBOX_OUTCOMES, target, outcome)

    def force_job_outcome(self, target: str, outcome: str) -> None:
        """Make the benchmark job ``target`` (id or name) end ``completed``, ``failed``,
        ``timeout`` or ``cancelled``."""
        self._force(self._core.state.job_forces, JOB_OUTCOMES, target, outcome)

    def _force(self, table: dict[str, str], allowed: frozenset[str], key: str, value: str) -> None:
        if value not in allowed:
            raise ValueError(f"outcome must be one of {sorted(allowed)}, not {value!r}")
        with self._core.state.lock:
            table[key] = value

    # -- chosen scores ------------------------------------------------------

    def set_score(self, target: str, score: float | None) -> None:
        """Make every later scoring of ``target`` (a scenario id or name) score ``score``
        (1.0 passes), e.g. to turn a pass into a regression between two runs. ``None``
        hands the choice back to the pass probability or the scoring contract.

        Raises:
            ValueError: ``score`` is not a number in [0, 1].
        """
        self._choose(self._core.state.scoring_plan.scores, target, score, "score")

    def set_pass_probability(self, target: str, probability: float | None) -> None:
        """Make each later scoring of ``target`` (a scenario id or name) pass (score 1.0)
        with ``probability``, else score below 1.0. Draws are seeded by ``config.seed``
        and the scenario's name: the same runs give the same mixed outcomes. The scenario
        metadata key ``emulator_pass_probability`` does the same from the API. ``None``
        removes the choice.

        Raises:
            ValueError: ``probability`` is not a number in [0, 1].
        """
        table = self._core.state.scoring_plan.probabilities
        self._choose(table, target, probability, "probability")

    def _choose(self, table: dict[str, float], key: str, value: float | None, what: str) -> None:
        checked = None if value is None else check_fraction(value, what)
        with self._core.state.lock:
            if checked is None:
                table.pop(key, None)
            else:
                table[key] = checked

    # -- seeding --------------------------------------------------------------

    def add_scenario(self, name: str = "scenario", **fields: Any) -> dict[str, Any]:
        """Create a scenario directly (``fields`` as in the create body)."""
        return self._add_scenario(name, False, fields)

    def add_public_scenario(self, name: str = "public-scenario", **fields: Any) -> dict[str, Any]:
        """Create a public scenario (listed by ``/v1/scenarios/list_public``)."""
        return self._add_scenario(name, True, fields)

    def _add_scenario(self, name: str, public: bool, fields: dict[str, Any]) -> dict[str, Any]:
        command = fields.pop("command", "true")
        with self._core.state.lock:
            body = scenario_body(name, command, **fields)
            return dict(new_scenario(self._core.state, body, public=public))

    def add_benchmark(self, name: str = "benchmark", **fields: Any) -> dict[str, Any]:
        """Create a benchmark directly (``fields`` as in the create body)."""
        with self._core.state.lock:
            return dict(new_benchmark(self._core.state, {"name": name, **fields}))

    def add_public_benchmark(self, name: str = "public-benchmark", **fields: Any) -> dict[str, Any]:
        """Create a public benchmark (listed by ``/v1/benchmarks/list_public``)."""
        with self._core.state.lock:
            return dict(new_benchmark(self._core.state, {"name": name, **fields}, public=True))

    def archive_benchmark(self, benchmark_id: str) -> None:
        """Mark a benchmark archived (the API has no endpoint for it)."""
        with self._core.state.lock:
            self._core.state.benchmark(benchmark_id)["status"] = "archived"

    def seed_runs(
        self,
        n: int,
        *,
        scenario_id: str | None = None,
        state: str = "running",
        benchmark_run_id: str | None = None,
        name: str | None = None,
    ) -> list[str]:
        """Create ``n`` scenario runs fast (devboxes already running); return their ids.

        Without ``scenario_id`` the runs belong to one shared ``seeded`` scenario.
        ``state`` may be any run state; scored/completed runs carry a result.
        """
        if state not in _SEED_STATES:
            raise ValueError(f"state must be one of {sorted(_SEED_STATES)}")
        core = self._core.state
        with core.lock:
            scenario = self._seed_scenario(scenario_id)
            ids: list[str] = []
            for _ in range(n):
                run = new_run(
                    core, scenario, benchmark_run_id=benchmark_run_id, name=name, booted=True
                )
                self._settle(run, state, scenario)
                ids.append(run.id)
        core.changed()
        return ids

    def _seed_scenario(self, scenario_id: str | None) -> dict[str, Any]:
        core = self._core.state
        if scenario_id is not None:
            return core.scenario(scenario_id)
        for existing in core.scenarios.values():
            if existing["name"] == "seeded" and existing["metadata"].get("emulator") == "seed":
                return existing
        body = scenario_body("seeded", metadata={"emulator": "seed"})
        return new_scenario(core, body)

    def _settle(self, run: Run, target: str, scenario: dict[str, Any]) -> None:
        if target in ("scored", "completed"):
            run.result = scoring_result(self._core.state, scenario)
        run.state = target
        if target in TERMINAL_RUN_STATES:
            run.duration_ms = 0
            devbox = self._core.state.devbox(run.devbox_id)
            shutdown_devbox(self._core.state, devbox, run.start_ms)

    # -- inspection -----------------------------------------------------------

    def run_view(self, run_id: str) -> dict[str, Any]:
        """The current ScenarioRunView of a run (KeyError if unknown)."""
        core = self._core.state
        core.tick()
        with core.lock:
            run = core.runs.get(run_id)
            if run is None:
                raise KeyError(run_id)
            return run.view()

    def devbox_view(self, devbox_id: str) -> dict[str, Any]:
        """The current DevboxView of a devbox (KeyError if unknown)."""
        core = self._core.state
        core.tick()
        with core.lock:
            devbox = core.devboxes.get(devbox_id)
            if devbox is None:
                raise KeyError(devbox_id)
            return devbox.view()
