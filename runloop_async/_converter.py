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
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

import attrs
import cattrs
from cattrs.cols import list_structure_factory
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from . import _models as m
from ._collector import PAUSE_GC_FROM, CollectorPaused
from ._converter_gen import generate_structure, optional_inner
from ._converter_hooks import (
    BadValue,
    describe,
    describe_leaf,
    format_path,
    model_name,
    register_fast_hooks,
    register_lazy_unions,
    short_repr,
    structure_bool,
    structure_float,
    structure_int,
    structure_str,
)
from ._converter_unions import UNIONS
from ._exceptions import APIResponseValidationError
from ._models._base import EXTRA

__all__ = [
    "get_converter",
    "make_converter",
    "structure",
    "structure_list",
    "structurer",
    "unstructure",
    "wire_names",
]

T = TypeVar("T")

#: Python attribute name -> JSON key, per model class name (used in both directions);
#: by name, so that naming BenchmarkView here does not load its module.
_RENAMES: dict[str, dict[str, str]] = {
    "RunProfile": {"env_vars": "envVars", "launch_parameters": "launchParameters"},
    "BenchmarkView": {"scenario_ids": "scenarioIds"},
}

#: Alternative JSON keys accepted when structuring: alternative -> canonical JSON key.
_ACCEPTED_ALIASES: dict[str, dict[str, str]] = {
    "BenchmarkView": {"scenario_ids": "scenarioIds"},
}

#: Optional attributes always sent, as ``null`` when ``None`` (the API requires the key).
_ALWAYS_SENT: dict[str, frozenset[str]] = {
    "AgentMount": frozenset({"agent_id", "agent_name"}),
}

# --- hook factories -------------------------------------------------------------------


def _extra_fields(cls: Any) -> list[str]:
    return [f.name for f in attrs.fields(cls) if f.metadata.get(EXTRA)]


def _class_structure_factory(
    conv: cattrs.Converter, strict: bool, detailed: bool
) -> Callable[[Any], Any]:
    def factory(cls: Any) -> Callable[[Any, Any], Any]:
        renames = wire_names(cls)
        inner = None if detailed else generate_structure(conv, cls, renames, strict)
        generated = inner is not None
        if inner is None:
            overrides = {name: override(rename=wire) for name, wire in renames.items()}
            # cattrs' own function leaves ``extra`` to its default (only the fast
            # path fills it; this one runs to describe a rejection, or in tests).
            overrides.update({name: override(omit=True) for name in _extra_fields(cls)})
            inner = make_dict_structure_fn(
                cls, conv, _cattrs_forbid_extra_keys=strict, **cast("dict[str, Any]", overrides)
            )
        aliases = _ACCEPTED_ALIASES.get(model_name(cls) or "")
        if aliases:

            def hook_with_aliases(obj: Any, t: Any = cls) -> Any:
                if not isinstance(obj, dict):
                    raise BadValue(f"expected an object, got {describe(obj)}")
                for alt, canonical in aliases.items():
                    if alt in obj and canonical not in obj:
                        obj = dict(obj)
                        obj[canonical] = obj.pop(alt)
                return inner(obj, t)

            return hook_with_aliases
        if generated:
            # It rejects non-objects itself; no message is needed on the fast path, as
            # a rejection is re-run through the detailed converter, whose hook names it.
            return inner

        def hook(obj: Any, t: Any = cls) -> Any:
            if not isinstance(obj, dict):
                raise BadValue(f"expected an object, got {describe(obj)}")
            return inner(obj, t)

        return hook

    return factory


def _class_unstructure_factory(conv: cattrs.Converter) -> Callable[[Any], Any]:
    def factory(cls: Any) -> Callable[[Any], Any]:
        renames = wire_names(cls)
        always = _ALWAYS_SENT.get(model_name(cls) or "", frozenset())
        overrides = {}
        for field in attrs.fields(cls):
            kwargs: dict[str, Any] = {}
            if field.metadata.get(EXTRA):
                overrides[field.name] = override(omit=True)  # never sent back
                continue
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


def _optional_unstructure_factory(conv: cattrs.Converter) -> Callable[[Any], Any]:
    def factory(t: Any) -> Callable[[Any], Any]:
        inner = conv.get_unstructure_hook(optional_inner(t))

        def hook(value: Any) -> Any:
            return None if value is None or value.__class__ is m.Null else inner(value)

        return hook

    return factory


def _list_structure_factory(conv: cattrs.Converter) -> Callable[[Any], Any]:
    def factory(list_type: Any) -> Callable[[Any, Any], Any]:
        inner = list_structure_factory(list_type, conv)

        def hook(obj: Any, t: Any = list_type) -> Any:
            if obj.__class__ is not list:
                raise BadValue(f"expected an array, got {describe(obj)}")
            return inner(obj, t)

        return hook

    return factory


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
    conv.register_structure_hook(str, structure_str)
    conv.register_structure_hook(int, structure_int)
    conv.register_structure_hook(float, structure_float)
    conv.register_structure_hook(bool, structure_bool)
    conv.register_structure_hook_factory(
        lambda t: getattr(t, "__origin__", None) is list, _list_structure_factory(conv)
    )
    if not detailed:
        register_fast_hooks(conv)
    conv.register_structure_hook_factory(
        attrs.has, _class_structure_factory(conv, strict, detailed)
    )
    conv.register_unstructure_hook_factory(attrs.has, _class_unstructure_factory(conv))
    # NULL in a request model: the key is sent, as JSON null.
    conv.register_unstructure_hook(m.Null, lambda _: None)
    conv.register_unstructure_hook_factory(
        lambda t: optional_inner(t) is not None, _optional_unstructure_factory(conv)
    )
    for module, unions in UNIONS.items():
        register_lazy_unions(conv, module, unions)
    return conv


def get_converter(strict: bool = False) -> cattrs.Converter:
    """The process-wide fast converter (no detailed validation), built once per flavour."""
    # Through one cached function keyed on a bool, so get_converter() and
    # get_converter(False) share one converter instead of building two.
    return _fast_converter(bool(strict))


@functools.cache
def _fast_converter(strict: bool) -> cattrs.Converter:
    return make_converter(strict=strict)


@functools.cache
def _hook(cls: Any, strict: bool) -> Callable[[Any, Any], Any]:
    """The fast converter's structure hook for ``cls``, looked up once per class."""
    return get_converter(strict).get_structure_hook(cls)


@functools.cache
def _detailed_converter(strict: bool) -> cattrs.Converter:
    return make_converter(strict=strict, detailed=True)


# --- errors ---------------------------------------------------------------------------


def wire_names(cls: type) -> Mapping[str, str]:
    """Attribute name -> JSON key, for the attributes of ``cls`` that are renamed."""
    return _RENAMES.get(model_name(cls) or "", {})


def _wire_key(owner: Any, name: str) -> str:
    return wire_names(owner).get(name, name)


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


def _validation_error(
    data: Any, target: Any, name: str, prefix: str, strict: bool, fast_exc: Exception
) -> APIResponseValidationError:
    try:
        _detailed_converter(strict).structure(data, target)
    except Exception as exc:
        path, leaf = _locate(exc)
        json_path = format_path(prefix, path)
        return APIResponseValidationError(
            f"response does not match {name}: {describe_leaf(leaf)} at {json_path}",
            json_path=json_path,
        )
    # The detailed pass accepted what the fast pass refused; report the fast failure.
    return APIResponseValidationError(
        f"response does not match {name}: {describe_leaf(fast_exc)}", json_path=prefix
    )


# --- public helpers -------------------------------------------------------------------


def structure(data: Any, cls: type[T], *, strict: bool = False) -> T:
    """Structure decoded JSON into ``cls``.

    Raises:
        APIResponseValidationError: the data does not fit; ``json_path`` names the bad
            value (``$.scoring_contract.scoring_function_parameters[0].scorer.pattern``).
    """
    return structurer(cast(Any, cls), strict)(data)  # type: ignore[no-any-return]


@functools.cache
def structurer(cls: Any, strict: bool = False) -> Callable[[Any], Any]:
    """:func:`structure` into ``cls`` as a function of the data alone, made once per
    class: every answer of a call is structured with no hook lookup of its own."""
    hook = _hook(cls, strict)

    def run(data: Any) -> Any:
        try:
            return hook(data, cls)
        except Exception as exc:
            name = getattr(cls, "__name__", None) or short_repr(cls)
            raise _validation_error(data, cls, name, "$", strict, exc) from None

    return run


def structure_list(
    items: Any, cls: type[T], *, items_key: str | None = None, strict: bool = False
) -> list[T]:
    """Structure a JSON array of ``cls`` (a page's items).

    ``items_key`` is the key the array sat under in the page body, used only for error
    paths: with ``items_key="runs"`` a bad state is reported at ``$.runs[3].state``.
    """
    target = list[cls]  # type: ignore[valid-type]
    try:
        with CollectorPaused(isinstance(items, list) and len(items) >= PAUSE_GC_FROM):
            return _hook(target, strict)(items, target)  # type: ignore[no-any-return]
    except Exception as exc:
        prefix = "$" if items_key is None else format_path("$", [items_key])
        name = f"list[{getattr(cls, '__name__', None) or short_repr(cls)}]"
        raise _validation_error(items, target, name, prefix, strict, exc) from None


def unstructure(obj: Any) -> Any:
    """Turn a model (or list/dict of models) into JSON-ready data for a request body."""
    return get_converter().unstructure(obj)
