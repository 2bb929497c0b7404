"""The one cattrs converter factory: JSON <-> attrs models.

Two flavours, both built from a fresh :class:`cattrs.Converter` (never the global one):

* lenient (production): unknown keys are ignored, so a newer server can add fields;
* strict (tests only): unknown keys raise, to catch drift between models and fixtures.

Structuring first runs a converter built with ``detailed_validation=False`` (fast).
Only when that fails is the data run again through a detailed converter, whose
exception notes give the JSON path of the bad value; the failure is then raised as
:class:`~runloop_async._exceptions.APIResponseValidationError`. No cattrs, ``KeyError``
or ``TypeError`` leaks out of :func:`structure` / :func:`structure_list`.

Scalars are checked strictly, unlike cattrs' defaults (which would call ``str(5)``):

* ``str`` fields accept only strings;
* ``int`` fields accept integers and integral floats (``3.0`` becomes ``3``), never
  ``bool`` or strings;
* ``float`` fields accept integers and floats (an integer is kept as ``int``, which
  PEP 484 counts as a float, so round trips are exact), never ``bool`` or strings;
* ``bool`` fields accept only ``true``/``false``;
* ``list`` fields accept only JSON arrays, objects only JSON objects;
* ``Any`` fields (free JSON) take anything, and every optional field takes ``null``.

Unstructuring omits attributes whose value is ``None`` (a key left out is not sent),
applies the wire renames (``envVars``, ``launchParameters``, ``scenarioIds``), always
emits a tagged-union variant's ``type``, and gives back an ``Unknown*`` variant's raw
dict unchanged.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, TypeVar, cast

import attrs
import cattrs
from cattrs.cols import list_structure_factory
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from . import _models as m
from ._converter_fast import register_fast_hooks
from ._exceptions import APIResponseValidationError

__all__ = [
    "get_converter",
    "make_converter",
    "structure",
    "structure_list",
    "unstructure",
]

T = TypeVar("T")

_MAX_REPR = 200

#: Python attribute name -> JSON key, per class (used in both directions).
_RENAMES: dict[type, dict[str, str]] = {
    m.RunProfile: {"env_vars": "envVars", "launch_parameters": "launchParameters"},
    m.BenchmarkView: {"scenario_ids": "scenarioIds"},
}

#: Alternative JSON keys accepted when structuring: alternative -> canonical JSON key.
_ACCEPTED_ALIASES: dict[type, dict[str, str]] = {
    m.BenchmarkView: {"scenario_ids": "scenarioIds"},
}

#: Optional attributes always sent, as ``null`` when ``None`` (the API requires the key).
_ALWAYS_SENT: dict[type, frozenset[str]] = {
    m.AgentMount: frozenset({"agent_id", "agent_name"}),
}

#: Tagged unions on ``"type"``: (union alias, known variants, fallback for other tags).
_UNIONS: tuple[tuple[Any, tuple[type, ...], type], ...] = (
    (
        m.Scorer,
        (
            m.AstGrepScorer,
            m.BashScriptScorer,
            m.CommandScorer,
            m.CustomScorer,
            m.PythonScriptScorer,
            m.TestBasedScorer,
        ),
        m.UnknownScorer,
    ),
    (
        m.Mount,
        (m.ObjectMount, m.AgentMount, m.CodeMount, m.FileMount, m.BrokerMount),
        m.UnknownMount,
    ),
    (
        m.JobSource,
        (m.HarborJobSource, m.BenchmarkJobSource, m.ScenariosJobSource),
        m.UnknownJobSource,
    ),
    (m.AgentConfig, (m.ExternalApiAgentConfig, m.JobAgentConfig), m.UnknownAgentConfig),
    (
        m.JobCreateSpec,
        (m.HarborJobCreateSpec, m.BenchmarkJobCreateSpec, m.ScenariosJobCreateSpec),
        m.UnknownJobCreateSpec,
    ),
)


class _BadValue(TypeError):
    """A JSON value of the wrong kind; the message says what was expected."""


def _short_repr(value: Any) -> str:
    text = repr(value)
    if len(text) > _MAX_REPR:
        text = text[: _MAX_REPR - 3] + "..."
    return text


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return f"{type(value).__name__} {_short_repr(value)}"


# --- scalar hooks ---------------------------------------------------------------------


def _structure_str(value: Any, _: Any) -> str:
    if value.__class__ is str:
        return value
    raise _BadValue(f"expected a string, got {_describe(value)}")


def _structure_int(value: Any, _: Any) -> int:
    cls = value.__class__
    if cls is int:
        return value  # type: ignore[no-any-return]
    if cls is float and value.is_integer():
        return int(value)
    raise _BadValue(f"expected an integer, got {_describe(value)}")


def _structure_float(value: Any, _: Any) -> float:
    cls = value.__class__
    if cls is float or cls is int:
        return value  # type: ignore[no-any-return]
    raise _BadValue(f"expected a number, got {_describe(value)}")


def _structure_bool(value: Any, _: Any) -> bool:
    if value is True or value is False:
        return value
    raise _BadValue(f"expected a boolean, got {_describe(value)}")


def _missing_tag(union_name: str, cls: type) -> ClassValidationError:
    """A ClassValidationError pointing at the ``type`` key, so the path names it."""
    err = _BadValue(f"expected a string discriminator 'type' for {union_name}")
    err.__notes__ = [AttributeValidationNote(f"Structuring {union_name} @ type", "type", str)]
    return ClassValidationError(f"While structuring {union_name}", [err], cls)


# --- hook factories -------------------------------------------------------------------


def _class_structure_factory(conv: cattrs.Converter, strict: bool) -> Callable[[Any], Any]:
    def factory(cls: Any) -> Callable[[Any, Any], Any]:
        renames = _RENAMES.get(cls, {})
        overrides = {name: override(rename=wire) for name, wire in renames.items()}
        overrides_any = cast("dict[str, Any]", overrides)
        inner = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=strict, **overrides_any)
        aliases = _ACCEPTED_ALIASES.get(cls)
        if aliases:

            def hook_with_aliases(obj: Any, t: Any = cls) -> Any:
                if not isinstance(obj, dict):
                    raise _BadValue(f"expected an object, got {_describe(obj)}")
                for alt, canonical in aliases.items():
                    if alt in obj and canonical not in obj:
                        obj = dict(obj)
                        obj[canonical] = obj.pop(alt)
                return inner(obj, t)

            return hook_with_aliases

        def hook(obj: Any, t: Any = cls) -> Any:
            if not isinstance(obj, dict):
                raise _BadValue(f"expected an object, got {_describe(obj)}")
            return inner(obj, t)

        return hook

    return factory


def _class_unstructure_factory(conv: cattrs.Converter) -> Callable[[Any], Any]:
    def factory(cls: Any) -> Callable[[Any], Any]:
        renames = _RENAMES.get(cls, {})
        always = _ALWAYS_SENT.get(cls, frozenset())
        overrides = {}
        for field in attrs.fields(cls):
            kwargs: dict[str, Any] = {}
            if field.name in renames:
                kwargs["rename"] = renames[field.name]
            # Only ``None`` defaults mean "leave out"; a variant's fixed ``type`` tag
            # (a non-None default) is always emitted.
            if field.name in always or (
                field.default is not attrs.NOTHING and field.default is not None
            ):
                kwargs["omit_if_default"] = False
            if kwargs:
                overrides[field.name] = override(**kwargs)
        return make_dict_unstructure_fn(
            cls, conv, _cattrs_omit_if_default=True, **cast("dict[str, Any]", overrides)
        )

    return factory


def _list_structure_factory(conv: cattrs.Converter) -> Callable[[Any], Any]:
    def factory(list_type: Any) -> Callable[[Any, Any], Any]:
        inner = list_structure_factory(list_type, conv)

        def hook(obj: Any, t: Any = list_type) -> Any:
            if obj.__class__ is not list:
                raise _BadValue(f"expected an array, got {_describe(obj)}")
            return inner(obj, t)

        return hook

    return factory


def _register_union(
    conv: cattrs.Converter, union: Any, variants: tuple[type, ...], unknown: type
) -> None:
    union_name = unknown.__name__.removeprefix("Unknown")
    hooks: dict[str, tuple[Callable[[Any, Any], Any], type]] = {}
    for variant in variants:
        tag = cast(str, attrs.fields_dict(variant)["type"].default)
        hooks[tag] = (conv.get_structure_hook(variant), variant)

    def structure_unknown(obj: Any, _: Any = unknown) -> Any:
        if not isinstance(obj, dict):
            raise _BadValue(f"expected an object, got {_describe(obj)}")
        tag = obj.get("type")
        if not isinstance(tag, str):
            raise _missing_tag(union_name, unknown)
        return unknown(type=tag, raw=obj)

    def structure_union(obj: Any, _: Any = union) -> Any:
        if not isinstance(obj, dict):
            raise _BadValue(f"expected an object, got {_describe(obj)}")
        tag = obj.get("type")
        if not isinstance(tag, str):
            raise _missing_tag(union_name, unknown)
        found = hooks.get(tag)
        if found is None:
            return unknown(type=tag, raw=obj)
        return found[0](obj, found[1])

    def structure_optional(obj: Any, t: Any = union) -> Any:
        return None if obj is None else structure_union(obj, t)

    optional = union | None
    conv.register_structure_hook_func(lambda t: t == union, structure_union)
    conv.register_structure_hook_func(lambda t: t == optional, structure_optional)
    conv.register_structure_hook(unknown, structure_unknown)
    conv.register_unstructure_hook(unknown, lambda obj: dict(obj.raw))
    conv.register_unstructure_hook_func(
        lambda t: t in (union, optional),
        lambda obj: conv.unstructure(obj, obj.__class__),
    )


def make_converter(*, strict: bool = False, detailed: bool = False) -> cattrs.Converter:
    """Build a new converter with every model's hooks registered.

    Args:
        strict: Reject unknown keys (``forbid_extra_keys``); tests use this to catch
            drift. Production code leaves it off so newer servers can add fields.
        detailed: Build with ``detailed_validation`` (slower; errors carry paths).
    """
    conv = cattrs.Converter(
        detailed_validation=detailed,
        forbid_extra_keys=strict,
        omit_if_default=True,
    )
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook_factory(
        lambda t: getattr(t, "__origin__", None) is list, _list_structure_factory(conv)
    )
    if not detailed:
        register_fast_hooks(conv)
    conv.register_structure_hook_factory(attrs.has, _class_structure_factory(conv, strict))
    conv.register_unstructure_hook_factory(attrs.has, _class_unstructure_factory(conv))
    for union, variants, unknown in _UNIONS:
        _register_union(conv, union, variants, unknown)
    return conv


@functools.cache
def get_converter(strict: bool = False) -> cattrs.Converter:
    """The process-wide fast converter (no detailed validation), built once per flavour."""
    return make_converter(strict=strict)


@functools.cache
def _detailed_converter(strict: bool) -> cattrs.Converter:
    return make_converter(strict=strict, detailed=True)


# --- errors ---------------------------------------------------------------------------


def _wire_key(owner: Any, name: str) -> str:
    renames = _RENAMES.get(owner)
    return renames.get(name, name) if renames else name


def _locate(exc: BaseException) -> tuple[list[str | int], BaseException]:
    """Follow a detailed cattrs exception to its first leaf; return (path, leaf)."""
    path: list[str | int] = []
    while True:
        if isinstance(exc, ClassValidationError):
            with_notes, without = exc.group_exceptions()
            if with_notes:
                sub, note = with_notes[0]
                path.append(_wire_key(exc.cl, note.name))
                exc = sub
                continue
            if without:
                exc = without[0]
                continue
        elif isinstance(exc, IterableValidationError):
            with_items, rest = exc.group_exceptions()
            if with_items:
                sub, item = with_items[0]
                path.append(item.index)
                exc = sub
                continue
            if rest:
                exc = rest[0]
                continue
        if isinstance(exc, ForbiddenExtraKeysError):
            path.append(sorted(exc.extra_fields)[0])
        return path, exc


def _format_path(prefix: str, path: list[str | int]) -> str:
    parts = [prefix]
    for seg in path:
        if isinstance(seg, int):
            parts.append(f"[{seg}]")
        elif seg.isidentifier():
            parts.append(f".{seg}")
        else:
            parts.append(f"[{json.dumps(seg)}]")
    return "".join(parts)


def _describe_leaf(exc: BaseException) -> str:
    if isinstance(exc, _BadValue):
        return str(exc)
    if isinstance(exc, KeyError):
        return "missing required field"
    if isinstance(exc, ForbiddenExtraKeysError):
        return f"unexpected field(s): {_short_repr(sorted(exc.extra_fields))}"
    return f"invalid value ({type(exc).__name__}: {_short_repr(str(exc))})"


def _validation_error(
    data: Any, target: Any, name: str, prefix: str, strict: bool, fast_exc: Exception
) -> APIResponseValidationError:
    try:
        _detailed_converter(strict).structure(data, target)
    except Exception as exc:
        path, leaf = _locate(exc)
        json_path = _format_path(prefix, path)
        return APIResponseValidationError(
            f"response does not match {name}: {_describe_leaf(leaf)} at {json_path}",
            json_path=json_path,
        )
    # The detailed pass accepted what the fast pass refused; report the fast failure.
    return APIResponseValidationError(
        f"response does not match {name}: {_describe_leaf(fast_exc)}", json_path=prefix
    )


# --- public helpers -------------------------------------------------------------------


def structure(data: Any, cls: type[T], *, strict: bool = False) -> T:
    """Structure decoded JSON into ``cls``.

    Raises:
        APIResponseValidationError: the data does not fit; ``json_path`` names the bad
            value (``$.scoring_contract.scoring_function_parameters[0].scorer.pattern``).
    """
    try:
        return get_converter(strict).structure(data, cls)
    except Exception as exc:
        name = getattr(cls, "__name__", None) or _short_repr(cls)
        raise _validation_error(data, cls, name, "$", strict, exc) from None


def structure_list(
    items: Any, cls: type[T], *, items_key: str | None = None, strict: bool = False
) -> list[T]:
    """Structure a JSON array of ``cls`` (a page's items).

    ``items_key`` is the key the array sat under in the page body, used only for error
    paths: with ``items_key="runs"`` a bad state is reported at ``$.runs[3].state``.
    """
    target = list[cls]  # type: ignore[valid-type]
    try:
        return get_converter(strict).structure(items, target)
    except Exception as exc:
        prefix = "$" if items_key is None else _format_path("$", [items_key])
        name = f"list[{getattr(cls, '__name__', None) or _short_repr(cls)}]"
        raise _validation_error(items, target, name, prefix, strict, exc) from None


def unstructure(obj: Any) -> Any:
    """Turn a model (or list/dict of models) into JSON-ready data for a request body."""
    return get_converter().unstructure(obj)
