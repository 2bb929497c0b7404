"""Module attributes loaded on first use (PEP 562), for the package's ``__init__`` files.

A name in a lazy table is imported from its module the first time it is looked up,
then stored in the package's namespace so later lookups are plain dict hits. What a
script never touches (the runner, the blocking facade, every model module but the
scenario runs') then costs nothing at ``import runloop_async``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, MutableMapping

__all__ = ["lazy_attributes"]


def lazy_attributes(
    namespace: MutableMapping[str, object], table: Mapping[str, str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for a package whose ``globals()`` is ``namespace``.

    ``table`` maps a public name to the module (relative to the package) it lives in.
    The ``__getattr__`` raises ``AttributeError`` for any other name.
    """
    package = str(namespace["__name__"])

    def getattr_(name: str) -> object:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value  # later lookups skip this function
        return value

    def dir_() -> list[str]:
        return sorted({*namespace, *table})

    return getattr_, dir_
