"""``AttrsMethods``: the ``==``, ``hash()`` and ``repr()`` that config objects, pages
and internal value classes inherit instead of having attrs compile them."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from runloop_async import Limits, Page, PageInfo, PollingConfig, RetryConfig, Timeout
from runloop_async._response import Headers, RawRequest
from runloop_async._retry import RetryBudget
from runloop_async._steps import Backoff

#: A class, then two sets of valid arguments that differ in every field.
SAMPLES: list[tuple[type, dict[str, Any], dict[str, Any]]] = [
    (Timeout, {"connect": 1.0, "read": 2.0, "total": 3.0, "pool": None},
     {"connect": 4.0, "read": None, "total": 5.0, "pool": 6.0}),
    (RetryConfig, {"max_retries": 1, "initial_delay": 0.1, "max_delay": 2.0,
                   "max_retry_after": 3.0, "budget": None},
     {"max_retries": 2, "initial_delay": 0.2, "max_delay": 4.0, "max_retry_after": 6.0,
      "budget": 10}),
    (Limits, {"max_connections": 1, "max_wait_connections": 2, "keepalive_timeout": 3.0,
              "max_response_size": None},
     {"max_connections": 4, "max_wait_connections": 5, "keepalive_timeout": 6.0,
      "max_response_size": 7}),
    (PollingConfig, {"interval_seconds": 1.0, "max_attempts": 2, "timeout_seconds": None},
     {"interval_seconds": 3.0, "max_attempts": 4, "timeout_seconds": 5.0}),
    (PageInfo, {"params": {"starting_after": "a"}}, {"params": {"starting_after": "b"}}),
    (Page, {"items": [1], "has_more": True, "total_count": 1, "items_key": "runs",
            "next_cursor": "a", "fetch_after": None},
     {"items": [2], "has_more": False, "total_count": None, "items_key": "items",
      "next_cursor": None, "fetch_after": print}),
    (RawRequest, {"method": "GET", "url": "u", "headers": Headers({"a": "1"}), "content": b""},
     {"method": "POST", "url": "v", "headers": Headers({"b": "2"}), "content": b"{}"}),
    (Backoff, {"initial": 1.0, "maximum": 2.0}, {"initial": 3.0, "maximum": 4.0}),
]  # fmt: skip


def _attrs_reference(cls: type) -> type:
    """The same fields in a class whose ``==``, ``hash`` and ``repr`` attrs generates."""
    these = {
        f.name: attrs.field(default=f.default, repr=f.repr, eq=f.eq, kw_only=True, alias=f.alias)
        for f in attrs.fields(cls)
    }
    ref = attrs.frozen(these=these)(type(cls.__name__, (), {}))
    ref.__qualname__ = cls.__qualname__
    return ref


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


@pytest.mark.parametrize(
    ("cls", "first", "second"), SAMPLES, ids=lambda v: getattr(v, "__name__", "")
)
def test_eq_hash_and_repr_behave_as_attrs_generated_ones(
    cls: type, first: dict[str, Any], second: dict[str, Any]
) -> None:
    ref = _attrs_reference(cls)
    a, ref_a = cls(**first), ref(**first)
    assert repr(a) == repr(ref_a)
    for name in first:
        changed = {**first, name: second[name]}
        b, ref_b = cls(**changed), ref(**changed)
        assert (a == b) is (ref_a == ref_b), name
        assert (a != b) is (ref_a != ref_b), name
        assert repr(b) == repr(ref_b)
    assert _hashable(a) is _hashable(ref_a)  # a page's list, a dict: not, in both
    if _hashable(a):
        assert hash(a) == hash(cls(**first))
    assert a == cls(**first)
    assert a.__eq__(ref_a) is NotImplemented
    assert "__repr__" not in cls.__dict__  # inherited, not compiled for the class


def test_a_mutable_class_keeps_attrs_eq_and_stays_unhashable() -> None:
    budget = RetryBudget(capacity=10)
    assert repr(budget).startswith("RetryBudget(capacity=10, retry_cost=5, timeout_cost=10,")
    assert "_tokens=10" in repr(budget)
    assert "__eq__" in RetryBudget.__dict__
    assert RetryBudget.__hash__ is None
