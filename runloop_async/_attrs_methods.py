"""``==``, ``hash()`` and ``repr()`` written once for attrs classes (pure).

attrs compiles these three methods for every class as it is defined: about 40 % of
the cost of defining a class, paid at ``import runloop_async`` for each model, config
object and page class. A class declared with ``eq=False, repr=False`` (or just
``repr=False``) that inherits :class:`AttrsMethods` gets methods that behave exactly
as attrs' generated ones (tests compare them field by field), for every class at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import attrs

__all__ = ["AttrsMethods"]

#: Per class: the names compared by ``==`` (and hashed), and the fields shown
#: by ``repr`` with their formatter (``None``: ``repr()``). Filled on first use.
_EQ_NAMES: dict[type, tuple[str, ...]] = {}
_REPR_FIELDS: dict[type, tuple[tuple[str, Callable[[Any], str] | None], ...]] = {}
#: Ids of the models being repr'd on this thread (a model that contains itself).
_REPRING = threading.local()


def _eq_names(cls: type) -> tuple[str, ...]:
    names = _EQ_NAMES.get(cls)
    if names is None:
        fields = attrs.fields(cls)
        if any(f.eq_key is not None for f in fields):
            raise TypeError(f"{cls.__name__}: eq=<callable> fields need attrs' own __eq__")
        names = _EQ_NAMES[cls] = tuple(f.name for f in fields if f.eq)
    return names


def _repr_fields(cls: type) -> tuple[tuple[str, Callable[[Any], str] | None], ...]:
    found = _REPR_FIELDS.get(cls)
    if found is None:
        found = tuple(
            (f.name, None if f.repr is True else f.repr)
            for f in attrs.fields(cls)
            if f.repr is not False
        )
        _REPR_FIELDS[cls] = found
    return found


class AttrsMethods:
    """``==``, ``hash()`` and ``repr()`` as attrs would generate them (see module doc).

    ``hash()`` is that of a frozen attrs class: a class whose instances change
    (``attrs.define``) keeps attrs' ``==`` (which makes it unhashable) and takes only
    ``repr()`` from here.
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        for name in _eq_names(self.__class__):
            if not getattr(self, name) == getattr(other, name):
                return False
        return True

    def __hash__(self) -> int:
        cls = self.__class__
        return hash((cls, *[getattr(self, name) for name in _eq_names(cls)]))

    def __repr__(self) -> str:
        repring: set[int] | None = getattr(_REPRING, "ids", None)
        if repring is None:
            repring = _REPRING.ids = set()
        if id(self) in repring:
            return "..."
        repring.add(id(self))
        try:
            parts = [
                f"{name}={repr(value) if show is None else show(value)}"
                for name, show in _repr_fields(self.__class__)
                for value in (getattr(self, name),)
            ]
        finally:
            repring.discard(id(self))
        return f"{self.__class__.__qualname__.rsplit('>.', 1)[-1]}({', '.join(parts)})"
