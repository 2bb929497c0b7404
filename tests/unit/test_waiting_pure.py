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
