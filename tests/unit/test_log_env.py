"""``RUNLOOP_LOG`` turns on the package's logging, as in the official SDK."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from runloop_async import AsyncRunloop
from runloop_async._client import log_level_from_env


@pytest.mark.parametrize(
    ("value", "level"),
    [("debug", logging.DEBUG), (" INFO ", logging.INFO), ("", None), (None, None), ("x", None)],
)
def test_log_level_from_env(value: str | None, level: int | None) -> None:
    assert log_level_from_env(value) == level


@pytest.fixture
def pristine_logger() -> Iterator[logging.Logger]:
    logger = logging.getLogger("runloop_async")
    handlers, level = list(logger.handlers), logger.level
    logger.handlers.clear()
    yield logger
    logger.handlers[:] = handlers
    logger.setLevel(level)


def test_runloop_log_sets_level_and_one_handler(
    pristine_logger: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUNLOOP_LOG", "debug")
    AsyncRunloop("k", base_url="http://127.0.0.1:1")
    AsyncRunloop("k", base_url="http://127.0.0.1:1")
    assert pristine_logger.level == logging.DEBUG
    assert len(pristine_logger.handlers) == 1


def test_without_runloop_log_nothing_changes(
    pristine_logger: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RUNLOOP_LOG", raising=False)
    pristine_logger.setLevel(logging.NOTSET)
    AsyncRunloop("k", base_url="http://127.0.0.1:1")
    assert pristine_logger.handlers == []
    assert pristine_logger.level == logging.NOTSET


def test_an_unknown_runloop_log_value_warns_once_naming_the_allowed_ones(
    pristine_logger: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUNLOOP_LOG", "loud")
    with pytest.warns(RuntimeWarning, match="RUNLOOP_LOG='loud'.*'info' or 'debug'"):
        AsyncRunloop("k", base_url="http://127.0.0.1:1")
    AsyncRunloop("k", base_url="http://127.0.0.1:1")  # once per value: no second warning
    assert pristine_logger.handlers == []
