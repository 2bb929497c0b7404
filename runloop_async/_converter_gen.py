"""Generated structure functions for attrs models, used by the fast converter only.

cattrs' generated functions call one hook per field (``str`` fields included), collect
optional fields in a dict and unpack it into the constructor; on a large page of runs
those calls show up in the profile. The function generated here checks scalar fields
inline, reads optional ``None``-default fields with ``dict.get`` and passes every
argument by keyword, which saves them (figures in benchmarks/RESULTS.md).

Acceptance is the same as the detailed cattrs converter's for every JSON value (the
unit tests compare both on arbitrary JSON); on any rejection the caller re-runs the
data through the detailed converter, which names the bad value. A class this module
cannot handle (generic, or with ``init=False`` fields) gets ``None`` and keeps cattrs'
own generated function.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import cattrs

from ._models._base import EXTRA

__all__ = ["generate_structure", "optional_inner", "Hook"]

Hook = Callable[[Any, Any], Any]

#: Inline checks for scalar fields; ``{v}`` is the variable. A failure raises.
_CHECKS: dict[Any, str] = {
    str: "if {v}.__class__ is not str: raise TypeError",
    float: "if {v}.__class__ is not float and {v}.__class__ is not int: raise TypeError",
    bool: "if {v} is not True and {v} is not False: raise TypeError",
    # Integral floats become ints in the int hook; the common case stays inline.
    int: "if {v}.__class__ is not int: {v} = _int({v}, int)",
    Any: "",
}


def optional_inner(t: Any) -> Any:
    """``X`` for ``X | None``, else ``None``."""
    args = typing.get_args(t)
    if typing.get_origin(t) not in (typing.Union, types.UnionType) or len(args) != 2:
        return None
    if types.NoneType not in args:
        return None
    return args[0] if args[1] is types.NoneType else args[1]


#: Classes whose function is being generated (a model that contains itself).
_GENERATING: set[Any] = set()


#: Inline lines for containers: ``dict[str, str]`` (checked, then copied as cattrs
#: copies) and lists of another type, each item through its hook ``{h}``: no hook
#: call for the map, no list hook and cattrs' list function per list field. The map
#: is checked by key (``v[k]``: no ``items()`` tuples) and copied with ``.copy()``; the
#: list is built by a loop, as a comprehension is a function made and called per
#: list on Python 3.11 (about 5 % of structuring a page of runs, RESULTS.md).
_STR_MAP = [
    "if {v}.__class__ is not dict: raise TypeError",
    "for _k in {v}:",
    "    if _k.__class__ is not str or {v}[_k].__class__ is not str: raise TypeError",
    "{v} = {v}.copy()",
]
_LIST = [
    "if {v}.__class__ is not list: raise TypeError",
    "_l = []",
    "for _e in {v}: _l.append({h}(_e, {t}))",
    "{v} = _l",
]


def _container_lines(
    conv: cattrs.Converter, t: Any, v: str, env: dict[str, Any]
) -> list[str] | None:
    """Inline lines for a ``dict[str, str]`` or ``list[X]`` of ``v``; ``None`` otherwise."""
    origin, args = typing.get_origin(t), typing.get_args(t)
    if origin is dict and args == (str, str):
        return [line.format(v=v) for line in _STR_MAP]
    if origin is not list or len(args) != 1 or args[0] in _CHECKS:
        return None
    hook, typ = f"_h_{v}", f"_t_{v}"
    env[hook] = conv.structure if args[0] in _GENERATING else conv.get_structure_hook(args[0])
    env[typ] = args[0]
    return [line.format(v=v, h=hook, t=typ) for line in _LIST]


def _value_lines(conv: cattrs.Converter, t: Any, v: str, env: dict[str, Any]) -> list[str]:
    """Lines that check or structure variable ``v`` (non-``None``) of type ``t`` in place."""
    if t in _CHECKS:
        check = _CHECKS[t].format(v=v)
        if t is int:
            env["_int"] = conv.get_structure_hook(int)
        return [check] if check else []
    container = _container_lines(conv, t, v, env)
    if container is not None:
        return container
    hook, typ = f"_h_{v}", f"_t_{v}"
    # A class still being generated has no hook yet: look it up at call time.
    env[hook] = conv.structure if t in _GENERATING else conv.get_structure_hook(t)
    env[typ] = t
    return [f"{v} = {hook}({v}, {typ})"]


def _unless_none(v: str, lines: list[str]) -> list[str]:
    return [f"if {v} is not None:", *("    " + ln for ln in lines)] if lines else []


def _checked(conv: cattrs.Converter, t: Any, v: str, env: dict[str, Any]) -> list[str]:
    inner = optional_inner(t)
    if inner is None:
        return _value_lines(conv, t, v, env)
    return _unless_none(v, _value_lines(conv, inner, v, env))


def _field_lines(
    conv: cattrs.Converter, field: attrs.Attribute[Any], key: str, v: str, env: dict[str, Any]
) -> tuple[list[str], bool]:
    """(lines that set ``v``, whether ``v`` is always passed to the constructor)."""
    checked = _checked(conv, field.type, v, env)
    if field.default is attrs.NOTHING:
        return [f"{v} = o[{key!r}]", *checked], True
    if field.default is None and optional_inner(field.type) is not None:
        # Missing and null both mean None, the default: one dict.get covers both.
        return [f"{v} = o.get({key!r})", *checked], True
    # Any other default must stay the class's own when the key is missing.
    value = [f"{v} = o[{key!r}]", *checked, f"res[{field.alias!r}] = {v}"]
    return [f"if {key!r} in o:", *("    " + ln for ln in value)], False


def generate_structure(
    conv: cattrs.Converter, cls: Any, renames: Mapping[str, str], strict: bool
) -> Hook | None:
    """A structure function for attrs class ``cls``, or ``None`` to keep cattrs' own."""
    if typing.get_origin(cls) is not None or getattr(cls, "__parameters__", None):
        return None
    attrs.resolve_types(cls)
    fields = attrs.fields(cls)
    if any(not f.init for f in fields):
        return None
    _GENERATING.add(cls)
    try:
        return _generate(conv, cls, fields, renames, strict)
    finally:
        _GENERATING.discard(cls)


def _generate(
    conv: cattrs.Converter,
    cls: Any,
    fields: tuple[attrs.Attribute[Any], ...],
    renames: Mapping[str, str],
    strict: bool,
) -> Hook:
    env: dict[str, Any] = {"_cls": cls}
    lines = ["if o.__class__ is not dict: raise TypeError"]
    extra = next((f for f in fields if f.metadata.get(EXTRA)), None)
    fields = tuple(f for f in fields if f is not extra)
    keys = [renames.get(f.name, f.name) for f in fields]
    if strict:
        env["_allowed"] = frozenset(keys)
        lines.append("if not _allowed.issuperset(o): raise TypeError")
    args, has_res = [], False
    if extra is not None:
        # Keys a newer server added are kept, not dropped: one set difference per view.
        env["_known"] = frozenset(keys)
        lines.append("vx = {} if _known.issuperset(o) else {k: o[k] for k in o if k not in _known}")
        args.append(f"{extra.alias}=vx")
    for i, (field, key) in enumerate(zip(fields, keys, strict=True)):
        field_lines, always = _field_lines(conv, field, key, f"v{i}", env)
        lines += field_lines
        if always:
            args.append(f"{field.alias}=v{i}")
        else:
            has_res = True
    if has_res:
        lines.insert(0, "res = {}")
        args.append("**res")
        lines.append(f"return _cls({', '.join(args)})")
    else:
        lines += _construct_lines(cls, args, env)
    source = "def structure(o, _=None):\n" + "".join(f"    {ln}\n" for ln in lines)
    exec(compile(source, f"<runloop_async structure {cls.__qualname__}>", "exec"), env)
    return typing.cast(Hook, env["structure"])


def _construct_lines(cls: Any, args: list[str], env: dict[str, Any]) -> list[str]:
    """Lines that build the instance from ``args`` (``name=variable``, every field).

    When ``__init__`` would only store the values (no validator, converter or
    init hook), each slot is set through its descriptor: what the frozen class's
    ``__init__`` does, without parsing keywords and looking the setter up per field.
    """
    setters = _slot_setters(cls, [arg.partition("=")[0] for arg in args])
    if setters is None:
        return [f"return _cls({', '.join(args)})"]
    env["_new"] = object.__new__
    lines = ["obj = _new(_cls)"]
    for i, (arg, setter) in enumerate(zip(args, setters, strict=True)):
        env[f"_set{i}"] = setter
        lines.append(f"_set{i}(obj, {arg.partition('=')[2]})")
    return [*lines, "return obj"]


def _slot_setters(cls: Any, names: list[str]) -> list[Callable[[Any, Any], None]] | None:
    """The slot setters of ``names`` (every field of ``cls``), or ``None`` when its
    ``__init__`` does more than store them."""
    fields = attrs.fields(cls)
    slots = {slot for klass in cls.__mro__ for slot in getattr(klass, "__slots__", ())}
    init = getattr(cls.__init__, "__code__", None)
    if (
        len(fields) != len(names)
        or any(f.validator is not None or f.converter is not None for f in fields)
        or any(f.alias != f.name for f in fields)
        or hasattr(cls, "__attrs_pre_init__")
        or hasattr(cls, "__attrs_post_init__")
        # attrs' own __init__ (not a hand-written one), and no slot it fills itself
        # (cache_hash's) beside the fields
        or init is None
        or not init.co_filename.startswith("<attrs generated")
        or not slots <= {*names, "__weakref__"}
    ):
        return None
    setters = []
    for name in names:
        slot = getattr(cls, name, None)
        if type(slot) is not types.MemberDescriptorType:
            return None
        setters.append(slot.__set__)
    return setters
