"""Value-level structure hooks that :mod:`._converter`'s factory registers.

* scalar hooks (strict ``str``/``int``/``float``/``bool``) and the error helpers;
* tagged unions on ``"type"``, with an ``Unknown*`` fallback for new tags;
* hooks for the fast converter only: inner hooks resolved once, ``str`` maps inline.

Why the last group: in the profile of a large page of runs, much of cattrs'
structuring time went to two generic paths (benchmarks/RESULTS.md). Every ``X | None``
field looked the hook of ``X`` up in the dispatch table again for every value, and
``dict[str, str]`` called the ``str`` hook for every key and every value. The fast
hooks look the inner hook up once, when the converter first meets the type, and check
``str`` values inline. For any JSON value they accept and reject exactly what the
detailed converter does, and a rejection is re-run through the detailed converter, so
error messages and paths are unchanged.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, cast, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote, ClassValidationError, ForbiddenExtraKeysError

from ._converter_gen import optional_inner

__all__ = [
    "BadValue",
    "describe",
    "describe_leaf",
    "format_path",
    "missing_tag",
    "model_name",
    "register_fast_hooks",
    "register_lazy_unions",
    "union_hooks",
    "short_repr",
    "structure_bool",
    "structure_float",
    "structure_int",
    "structure_str",
    "Hook",
]

_MAX_REPR = 200

Hook = Callable[[Any, Any], Any]


class BadValue(TypeError):
    """A JSON value of the wrong kind; the message says what was expected."""


def short_repr(value: Any) -> str:
    text = repr(value)
    if len(text) > _MAX_REPR:
        text = text[: _MAX_REPR - 3] + "..."
    return text


def describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return f"{type(value).__name__} {short_repr(value)}"


def format_path(prefix: str, path: list[str | int]) -> str:
    """A JSON path such as ``$.runs[3].state`` (keys that are not identifiers quoted)."""
    parts = [prefix]
    for seg in path:
        if isinstance(seg, int):
            parts.append(f"[{seg}]")
        elif seg.isidentifier():
            parts.append(f".{seg}")
        else:
            parts.append(f"[{json.dumps(seg)}]")
    return "".join(parts)


def describe_leaf(exc: BaseException) -> str:
    """What was wrong with the value a structuring error stopped at."""
    if isinstance(exc, BadValue):
        return str(exc)
    if isinstance(exc, KeyError):
        return "missing required field"
    if isinstance(exc, ForbiddenExtraKeysError):
        return f"unexpected field(s): {short_repr(sorted(exc.extra_fields))}"
    return f"invalid value ({type(exc).__name__}: {short_repr(str(exc))})"


# --- scalar hooks ---------------------------------------------------------------------


def structure_str(value: Any, _: Any) -> str:
    if value.__class__ is str:
        return value
    raise BadValue(f"expected a string, got {describe(value)}")


def structure_int(value: Any, _: Any) -> int:
    cls = value.__class__
    if cls is int:
        return value  # type: ignore[no-any-return]
    if cls is float and value.is_integer():
        return int(value)
    raise BadValue(f"expected an integer, got {describe(value)}")


def structure_float(value: Any, _: Any) -> float:
    cls = value.__class__
    if cls is float or cls is int:
        return value  # type: ignore[no-any-return]
    raise BadValue(f"expected a number, got {describe(value)}")


def structure_bool(value: Any, _: Any) -> bool:
    if value is True or value is False:
        return value
    raise BadValue(f"expected a boolean, got {describe(value)}")


def missing_tag(union_name: str, cls: type) -> ClassValidationError:
    """A ClassValidationError pointing at the ``type`` key, so the path names it."""
    err = BadValue(f"expected a string discriminator 'type' for {union_name}")
    err.__notes__ = [AttributeValidationNote(f"Structuring {union_name} @ type", "type", str)]
    return ClassValidationError(f"While structuring {union_name}", [err], cls)


def model_name(cls: Any) -> str | None:
    """``cls.__name__`` for a model class of this package, else None."""
    if str(getattr(cls, "__module__", "")).startswith("runloop_async._models."):
        return str(cls.__name__)
    return None


# --- tagged unions --------------------------------------------------------------------


def register_lazy_unions(
    conv: cattrs.Converter,
    module: str,
    unions: Callable[[], tuple[tuple[Any, tuple[type, ...], type], ...]],
) -> None:
    """Register the tagged unions of a model module that loads on first use.

    ``unions()`` (which imports ``module``) is called only once ``module`` is in
    ``sys.modules``: until then no type made of its classes can be asked for. The
    hooks are then those of :func:`union_hooks`, found by type.
    """
    tables: list[tuple[dict[Any, Any], dict[Any, Any]]] = []

    def lookup(t: Any, direction: int) -> Any:
        if not tables:
            if module not in sys.modules:
                return None
            structure: dict[Any, Any] = {}
            unstructure: dict[Any, Any] = {}
            for union, variants, unknown in unions():
                hooks = union_hooks(conv, union, variants, unknown)
                structure.update(hooks[0])
                unstructure.update(hooks[1])
            tables.append((structure, unstructure))
        try:
            return tables[0][direction].get(t)
        except TypeError:  # an unhashable type is none of them
            return None

    conv.register_structure_hook_factory(lambda t: lookup(t, 0) is not None, lambda t: lookup(t, 0))
    conv.register_unstructure_hook_factory(
        lambda t: lookup(t, 1) is not None, lambda t: lookup(t, 1)
    )


def union_hooks(
    conv: cattrs.Converter, union: Any, variants: tuple[type, ...], unknown: type
) -> tuple[dict[Any, Hook], dict[Any, Callable[[Any], Any]]]:
    """(structure, unstructure) hooks of a tagged union, by type: for ``union``,
    ``union | None`` and the ``unknown`` fallback class."""
    union_name = unknown.__name__.removeprefix("Unknown")
    by_tag = {cast(str, attrs.fields_dict(v)["type"].default): v for v in variants}
    # Each variant's hook is generated the first time its tag is seen, not here: that
    # would compile every variant's hook before a process's first answer is decoded.
    hooks: dict[str, tuple[Callable[[Any, Any], Any], type]] = {}

    def variant_hook(tag: str) -> tuple[Callable[[Any, Any], Any], type] | None:
        variant = by_tag.get(tag)
        if variant is None:
            return None
        found = hooks[tag] = (conv.get_structure_hook(variant), variant)
        return found

    def tag_of(obj: Any) -> str:
        if not isinstance(obj, dict):
            raise BadValue(f"expected an object, got {describe(obj)}")
        tag = obj.get("type")
        if not isinstance(tag, str):
            raise missing_tag(union_name, unknown)
        return tag

    def structure_unknown(obj: Any, _: Any = unknown) -> Any:
        return unknown(type=tag_of(obj), raw=obj)

    def structure_union(obj: Any, _: Any = union) -> Any:
        tag = tag_of(obj)
        found = hooks.get(tag) or variant_hook(tag)
        if found is None:
            return unknown(type=tag, raw=obj)
        return found[0](obj, found[1])

    def structure_optional(obj: Any, t: Any = union) -> Any:
        return None if obj is None else structure_union(obj, t)

    def unstructure_variant(obj: Any) -> Any:
        return conv.unstructure(obj, obj.__class__)

    def unstructure_unknown(obj: Any) -> Any:
        return dict(obj.raw)

    optional = union | None
    structure: dict[Any, Hook] = {union: structure_union, optional: structure_optional}
    structure[unknown] = structure_unknown
    unstructure: dict[Any, Callable[[Any], Any]] = {union: unstructure_variant}
    unstructure.update({optional: unstructure_variant, unknown: unstructure_unknown})
    return structure, unstructure


# --- fast-converter hooks -------------------------------------------------------------


def _is_optional(t: Any) -> bool:
    return optional_inner(t) is not None


def _is_str_keyed_dict(t: Any) -> bool:
    args = get_args(t)
    return get_origin(t) is dict and len(args) == 2 and args[0] is str


def _optional_str(obj: Any, _: Any) -> str | None:
    if obj is None or obj.__class__ is str:
        return obj
    raise TypeError("expected a string or null")


def _optional_factory(conv: cattrs.Converter) -> Callable[[Any], Hook]:
    def factory(t: Any) -> Hook:
        inner = optional_inner(t)
        if inner is str:
            return _optional_str
        hook = conv.get_structure_hook(inner)

        def structure_optional(obj: Any, _: Any = t) -> Any:
            return None if obj is None else hook(obj, inner)

        return structure_optional

    return factory


def _str_map(obj: Any, _: Any) -> dict[str, str]:
    if obj.__class__ is not dict:
        raise TypeError("expected an object")
    for key, value in obj.items():
        if key.__class__ is not str or value.__class__ is not str:
            raise TypeError("expected string keys and values")
    return dict(obj)


def _dict_factory(conv: cattrs.Converter) -> Callable[[Any], Hook]:
    def factory(t: Any) -> Hook:
        value_type = get_args(t)[1]
        if value_type is str:
            return _str_map
        hook = conv.get_structure_hook(value_type)

        def structure_map(obj: Any, _: Any = t) -> dict[str, Any]:
            if obj.__class__ is not dict:
                raise TypeError("expected an object")
            out = {}
            for key, value in obj.items():
                if key.__class__ is not str:
                    raise TypeError("expected string keys")
                out[key] = hook(value, value_type)
            return out

        return structure_map

    return factory


def register_fast_hooks(conv: cattrs.Converter) -> None:
    """Register the hooks on ``conv``; register tagged unions after, so theirs win."""
    conv.register_structure_hook_factory(_is_optional, _optional_factory(conv))
    conv.register_structure_hook_factory(_is_str_keyed_dict, _dict_factory(conv))
