"""Pure parts of the outage handling: the gate's decisions, backoff, and options."""

from __future__ import annotations

import math

import anyio
import pytest
from hypothesis import given
from hypothesis import strategies as st

from runloop_async import Backoff, BadRequestError, InvalidArgumentError, RunnerOptions
from runloop_async._models import ScenarioRunView
from runloop_async._runner._gate import Gate, GateState
from runloop_async._runner._owner import Owner, owner_is_live
from runloop_async._steps import check_seconds, end_state_action, persist

B = Backoff(initial=1.0, maximum=8.0)


def test_the_gate_opens_after_a_run_of_failures_and_a_probe_closes_it() -> None:
    gate = GateState(backoff=B, threshold=3)
    gate.failed(0.0, rand=lambda: 1.0)
    gate.failed(0.1, rand=lambda: 1.0)
    assert gate.wait_for(0.2) == 0.0  # two failures: still closed
    gate.failed(0.2, rand=lambda: 1.0)
    assert gate.is_open
    assert gate.wait_for(0.5) == pytest.approx(0.7)  # open for 1 s
    gate.failed(0.6, rand=lambda: 1.0)  # a straggler: does not extend it
    assert gate.wait_for(1.3) == 0.0  # the pause is over: this caller probes
    assert gate.wait_for(1.3) > 0  # everyone else waits for the probe
    gate.failed(1.4, rand=lambda: 1.0)  # the probe failed: reopen, twice as long
    assert gate.wait_for(1.4) == pytest.approx(2.0)
    assert gate.outage(10.0, limit=10.0)  # failing since t=0
    assert not gate.outage(9.9, limit=10.0)
    gate.succeeded()
    assert (gate.is_open, gate.wait_for(20.0), gate.outage(100.0, limit=1.0)) == (False, 0.0, False)


@given(st.integers(0, 200), st.floats(0, 1))
def test_backoff_stays_within_its_bounds(failures: int, r: float) -> None:
    delay = B.delay(failures, rand=lambda: r)
    assert 0.5 * min(B.maximum, B.initial) <= delay <= B.maximum


@pytest.mark.parametrize("bad", [math.nan, math.inf, -1, 0, "10", True, None])
def test_check_seconds_rejects_nonsense(bad: object) -> None:
    with pytest.raises(InvalidArgumentError):
        check_seconds("t", bad, optional=False)


@pytest.mark.parametrize(
    "field", ["env_ready_timeout", "scoring_timeout", "agent_timeout", "cleanup_timeout",
              "outage_timeout", "agent_grace", "lease"],
)  # fmt: skip
@pytest.mark.parametrize("bad", [math.nan, -1.0, 0, "5"])
def test_options_reject_bad_deadlines(field: str, bad: object) -> None:
    with pytest.raises(InvalidArgumentError, match=field):
        RunnerOptions(benchmark_id="bmd_1", **{field: bad})


def test_options_defaults_and_checks() -> None:
    opts = RunnerOptions(benchmark_id="bmd_1")
    assert (opts.concurrency, opts.env_ready_timeout, opts.scoring_timeout) == (50, 600.0, 1800.0)
    assert (opts.cleanup_timeout, opts.outage_timeout, opts.agent_timeout) == (120.0, 600.0, None)
    assert opts.lease_seconds() == 24 * 3600  # no agent_timeout: no bound from the deadlines
    assert (
        RunnerOptions(benchmark_id="b", agent_timeout=60).lease_seconds()
        == 600 + 60 + 1800 + 120 + 300
    )
    with pytest.raises(InvalidArgumentError, match="unknown runner option"):
        RunnerOptions.build(None, {"benchmark_id": "b", "concurency": 3})
    for bad in ({}, {"scenario_ids": "scn_1"}, {"benchmark_id": "b", "concurrency": 0},
                {"benchmark_id": "b", "env_retries": -1}, {"benchmark_id": ""},
                {"benchmark_id": "b", "metadata": {"a": 1}}):  # fmt: skip
        with pytest.raises(InvalidArgumentError):
            RunnerOptions(**bad)  # type: ignore[arg-type]


def _run(meta: dict[str, str]) -> ScenarioRunView:
    return ScenarioRunView(id="r", scenario_id="s", devbox_id="d", state="running", metadata=meta)


def test_ownership_rule() -> None:
    me = Owner(runner_id="me", host="h1", pid=1, lease_until=1e12)
    other = Owner(runner_id="them", host="h1", pid=2, lease_until=100.0)
    remote = Owner(runner_id="far", host="h2", pid=2, lease_until=100.0)
    alive = {2: True}
    live = lambda o, now: owner_is_live(_run(o.metadata()), me, now=now,  # noqa: E731
                                        pid_alive=lambda pid: alive.get(pid, False))  # fmt: skip
    assert live(other, 50.0)
    assert live(remote, 50.0)
    assert not live(other, 100.0)
    assert not live(remote, 100.0)
    alive[2] = False
    assert not live(other, 50.0)  # same host, its process is gone
    assert live(remote, 50.0)  # another host: only the lease tells
    assert not live(me, 50.0)  # my own runs are not "another runner's"
    assert not owner_is_live(_run({}), me, now=0.0)  # no owner keys: nobody holds it
    assert Owner.of(other.metadata()) == Owner(
        runner_id="them", host="h1", pid=2, lease_until=100.0
    )


def test_end_state_action() -> None:
    assert end_state_action("scored", failed=True, keep_on_error=True) == "complete"
    assert end_state_action("running", failed=False, keep_on_error=True) == "cancel"
    assert end_state_action("running", failed=True, keep_on_error=True) is None
    assert end_state_action("canceled", failed=False, keep_on_error=False) is None


def test_a_cancelled_probe_lets_another_caller_probe() -> None:
    gate = GateState(backoff=B, threshold=1)
    gate.failed(0.0, rand=lambda: 1.0)
    assert gate.wait_for(1.0) == 0.0  # the probe
    assert gate.wait_for(1.0) > 0
    gate.released()  # its caller was cancelled
    assert gate.wait_for(1.0) == 0.0


@pytest.mark.anyio
@pytest.mark.parametrize(
    "refusal",
    [BadRequestError("run is completed", status_code=400), TimeoutError("the call's own deadline")],
)
async def test_a_probe_that_ends_without_a_transient_failure_lets_another_caller_probe(
    refusal: Exception,
) -> None:
    # The probe's call is answered for good (a 400) or ends on an error of its own: it
    # tells nothing about the outage, so the next caller probes at once, not after
    # PROBE_LIMIT (30 s) during which no step of any scenario would go through.
    gate = Gate(Backoff(initial=0.01, maximum=0.01), threshold=1)
    gate.failed()  # open
    await anyio.sleep(0.03)  # its pause is over: the next caller is the probe

    async def refused() -> None:
        raise refusal

    with pytest.raises(type(refusal)):
        await persist(refused, timeout=5.0, what="probe", gate=gate)
    assert gate.state.wait_for(anyio.current_time()) == 0.0  # another caller probes now


def test_runs_are_tagged_with_the_attempt_key_the_results_loader_reads() -> None:
    from runloop_async._eval._rows import ATTEMPT_METADATA_KEY, PLANNED_ATTEMPTS_METADATA_KEY
    from runloop_async._runner._attempts import attempt_metadata

    assert attempt_metadata(2, 3) == {ATTEMPT_METADATA_KEY: "2", PLANNED_ATTEMPTS_METADATA_KEY: "3"}


@pytest.mark.anyio
async def test_a_step_waits_out_the_retry_after_it_was_given() -> None:
    import anyio

    from runloop_async import RateLimitError
    from runloop_async._steps import persist

    calls: list[float] = []

    async def call() -> str:
        calls.append(anyio.current_time())
        if len(calls) == 1:
            raise RateLimitError("slow down", status_code=429, headers={"retry-after": "0.6"})
        return "ok"

    assert await persist(call, timeout=5, what="x", backoff=Backoff(initial=0.01)) == "ok"
    assert calls[1] - calls[0] >= 0.6
