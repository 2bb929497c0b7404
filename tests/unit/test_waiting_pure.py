"""Pure decisions of the waits: which failed polls are ridden out."""

from __future__ import annotations

import pytest

from runloop_async import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
)
from runloop_async._waiting import is_transient


def _status(cls: type[APIStatusError], code: int, **headers: str) -> APIStatusError:
    return cls("x", status_code=code, headers=headers)


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (APIConnectionError("reset"), True),
        (APITimeoutError("slow"), True),
        (_status(InternalServerError, 503), True),
        (_status(RateLimitError, 429), True),
        (_status(APIStatusError, 408), True),
        (_status(NotFoundError, 404), False),
        (_status(InternalServerError, 500, **{"x-should-retry": "false"}), False),
        (_status(NotFoundError, 404, **{"x-should-retry": "true"}), True),
        (APIResponseValidationError("bad", json_path="$.state"), False),
    ],
)
def test_is_transient(exc: Exception, expected: bool) -> None:
    assert is_transient(exc) is expected


@pytest.mark.anyio
async def test_a_poll_cut_by_the_deadline_keeps_the_last_real_failure_as_cause() -> None:
    # Polls fail with 503 until the deadline; the last one is cut short by the wait's
    # own deadline. The WaitTimeoutError's cause must be the 503, not that timeout.
    import anyio

    from runloop_async import WaitTimeoutError
    from runloop_async._waiting import poll_until

    started = anyio.current_time()

    async def fetch() -> object:
        if anyio.current_time() - started < 0.3:
            raise _status(InternalServerError, 503)
        await anyio.sleep(0.55 - (anyio.current_time() - started))  # past the deadline
        raise APITimeoutError("the wait's deadline passed before this attempt")

    with pytest.raises(WaitTimeoutError) as info:
        await poll_until(fetch, lambda _: None, deadline=0.5, what="test", first_interval=0.05)
    assert isinstance(info.value.__cause__, InternalServerError)


@pytest.mark.anyio
async def test_polls_are_reported_to_the_observer_in_scope_and_only_there() -> None:
    # The runner's outage gate hears of every poll of its waits: an outage only the
    # waits meet (they ride it out) must still count towards outage_timeout.
    from runloop_async._scope import reporting_polls
    from runloop_async._waiting import poll_until

    heard: list[str] = []

    class Observer:
        def succeeded(self) -> None:
            heard.append("ok")

        def failed(self) -> None:
            heard.append("failed")

    def polls() -> object:
        answers = iter([_status(InternalServerError, 503), APIConnectionError("reset"), None, 1])

        async def fetch() -> object:
            answer = next(answers)
            if isinstance(answer, Exception):
                raise answer
            return answer

        return fetch

    with reporting_polls(Observer()):
        assert await poll_until(polls(), lambda v: v == 1, deadline=10, what="t",
                                first_interval=0.01) == 1  # fmt: skip
    assert heard == ["failed", "failed", "ok", "ok"]
    await poll_until(polls(), lambda v: v == 1, deadline=10, what="t", first_interval=0.01)
    assert heard == ["failed", "failed", "ok", "ok"]  # outside the scope: nobody told


@pytest.mark.anyio
async def test_a_fetch_hanging_past_the_deadline_is_cut_off_after_the_grace() -> None:
    # The requests of a wait end by its deadline on their own; the wait's cutoff
    # backs that up: a fetch that ignores the deadline is cut off DEADLINE_GRACE
    # after it, and the wait reports its deadline (no poll failed: no cause).
    import anyio

    from runloop_async import WaitTimeoutError
    from runloop_async._waiting import DEADLINE_GRACE, poll_until

    async def hang() -> object:
        await anyio.sleep_forever()

    started = anyio.current_time()
    with pytest.raises(WaitTimeoutError) as info:
        await poll_until(hang, lambda _: None, deadline=0.1, what="hung")
    assert anyio.current_time() - started >= 0.1 + DEADLINE_GRACE - 0.05
    assert info.value.__cause__ is None
    assert info.value.last is None


@pytest.mark.anyio
async def test_a_cancellation_from_outside_a_wait_is_not_taken_for_its_deadline() -> None:
    # The caller's cancel scope ends the wait as a cancellation (caught by that
    # scope), whether or not the wait's own cutoff has a deadline of its own.
    import anyio

    from runloop_async._waiting import poll_until

    async def hang() -> object:
        await anyio.sleep_forever()

    for deadline in (None, 0.05, 30.0):
        with anyio.move_on_after(0.2) as scope:
            await poll_until(hang, lambda _: None, deadline=deadline, what="hung")
        assert scope.cancelled_caught, deadline
    # A cancel scope inside the wait's cutoff that swallows its own cancellation
    # leaves the wait's outcome to the wait.
    answers = iter([None, 1])

    async def cut_then_answer() -> object:
        with anyio.move_on_after(0.01):
            await anyio.sleep_forever()
        return next(answers)

    assert await poll_until(cut_then_answer, lambda v: v == 1 or None, deadline=5,
                            what="t", first_interval=0.01) == 1  # fmt: skip
