"""The runner's raise of the young-generation GC threshold (_runner/_gc)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from runloop_async._runner._gc import RUN_THRESHOLD, fewer_collections, raised


@pytest.fixture(autouse=True)
def _keep_threshold() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


def test_raised_only_lowers_the_collection_rate() -> None:
    assert raised((700, 10, 10)) == (RUN_THRESHOLD, 10, 10)
    assert raised((2000, 10, 0)) == (RUN_THRESHOLD, 10, 0)
    assert raised((RUN_THRESHOLD, 10, 10)) is None
    assert raised((50_000, 10, 10)) is None
    assert raised((0, 10, 10)) is None  # automatic collection off: left off


def test_the_block_raises_then_restores() -> None:
    gc.set_threshold(700, 10, 10)
    with fewer_collections():
        assert gc.get_threshold() == (RUN_THRESHOLD, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_nested_blocks_restore_when_the_last_one_ends() -> None:
    gc.set_threshold(700, 10, 10)
    outer = fewer_collections()
    outer.__enter__()
    with fewer_collections():
        assert gc.get_threshold()[0] == RUN_THRESHOLD
    assert gc.get_threshold()[0] == RUN_THRESHOLD  # the outer run is still going
    outer.__exit__(None, None, None)
    assert gc.get_threshold() == (700, 10, 10)


def test_a_threshold_changed_during_the_run_is_left_as_set() -> None:
    gc.set_threshold(700, 10, 10)
    with fewer_collections():
        gc.set_threshold(1234, 5, 5)  # the app's own choice, made meanwhile
    assert gc.get_threshold() == (1234, 5, 5)


def test_restored_when_the_block_raises() -> None:
    gc.set_threshold(700, 10, 10)
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError
    assert gc.get_threshold() == (700, 10, 10)
