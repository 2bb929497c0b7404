"""The base every model shares (``to_dict`` / ``to_json``) and the ``NULL`` sentinel."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final, Literal

import attrs

from .._attrs_methods import AttrsMethods

__all__ = ["EXTRA", "NULL", "Model", "Null", "dump", "extra_field", "redacted_values"]

#: ``attrs`` metadata key marking a model's ``extra`` field (see ``extra_field``).
EXTRA = "runloop_async.extra"


def extra_field() -> Any:
    """The ``extra`` field of a top-level view: JSON keys this version does not know.

    A newer server may add fields; they are kept here (``{}`` when there are none)
    instead of being dropped, and never sent back. Not part of ``==`` or ``repr``.
    """
    return attrs.field(factory=dict, repr=False, eq=False, metadata={EXTRA: True})


def redacted_values(value: dict[str, str] | None) -> str:
    """``repr`` of a secrets mapping: the keys (env var names), never the values."""
    if value is None:
        return "None"
    return "{" + ", ".join(f"{key!r}: '<redacted>'" for key in value) + "}"


class Null:
    """Type of :data:`NULL`: "send JSON ``null`` here" in a request model.

    Model fields default to ``None``, which request bodies leave out (the server then
    keeps or defaults the value). To send an explicit ``null`` for a nested field,
    pass ``NULL``: ``RunProfile(launch_parameters=NULL)`` sends
    ``{"launchParameters": null}``. (At the top level of a call, ``None`` is already
    sent as ``null``; ``NOT_GIVEN`` leaves the key out.)
    """

    __slots__ = ()

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NULL"


#: Send JSON ``null`` for this field of a request model (see :class:`Null`). Typed as
#: ``Any`` so that it fits any optional field of a model.
NULL: Final[Any] = Null()


def dump(
    value: Any, *, api_names: bool, drop_unset: bool, drop_defaults: bool, drop_none: bool
) -> Any:
    """A model (or list/dict of models) as plain JSON data (pure).

    ``drop_unset`` leaves out optional fields that are ``None`` in models you built;
    a view from the server (a model with ``extra``) and everything in it is taken as
    fully set (the API sends every key, ``null`` included), so its ``None`` fields stay.
    Unknown fields a newer server sent (``extra``) are included, under their own keys.
    """
    opts = {
        "api_names": api_names, "drop_unset": drop_unset,
        "drop_defaults": drop_defaults, "drop_none": drop_none,
    }  # fmt: skip
    if isinstance(value, Null):
        return None
    if attrs.has(type(value)):
        return _dump_model(value, opts)
    if isinstance(value, (list, tuple)):
        return [dump(v, **opts) for v in value]
    if isinstance(value, Mapping):
        return {k: dump(v, **opts) for k, v in value.items()}
    return value


def _dump_model(model: Any, opts: dict[str, bool]) -> dict[str, Any]:
    from .._converter import wire_names

    fields = attrs.fields(type(model))
    if any(f.metadata.get(EXTRA) for f in fields):
        opts = {**opts, "drop_unset": False}  # a server view: every field was sent
    renames = wire_names(type(model)) if opts["api_names"] else {}
    out: dict[str, Any] = {}
    extra: Mapping[str, Any] = {}
    for field in fields:
        value = getattr(model, field.name)
        if field.metadata.get(EXTRA):
            extra = value
        elif not _dropped(field, value, opts):
            out[renames.get(field.name, field.name)] = dump(value, **opts)
    for key, value in extra.items():
        out.setdefault(key, value)
    return out


def _dropped(field: attrs.Attribute[Any], value: Any, opts: dict[str, bool]) -> bool:
    if isinstance(value, Null):
        return False  # an explicit null is always kept
    if value is None and (opts["drop_none"] or (opts["drop_unset"] and field.default is None)):
        return True
    if not opts["drop_defaults"] or field.default is attrs.NOTHING:
        return False
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        default = default.factory()
    return bool(value == default)


class Model(AttrsMethods):
    """Base of every model: ``to_dict()`` / ``to_json()``, as in the official SDK.

    Models are declared with ``eq=False, repr=False`` and take ``==``, ``hash()`` and
    ``repr()`` from :class:`AttrsMethods` (see :mod:`.._attrs_methods`): attrs compiled
    those methods for every class as it was defined, a third of the time ``import
    runloop_async`` spent building models (benchmarks/RESULTS.md).
    """

    __slots__ = ()

    def to_dict(
        self,
        *,
        mode: Literal["json", "python"] = "python",
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> dict[str, object]:
        """This model as a dict of JSON values, keyed as the API sends them.

        Args:
            mode: ``"python"`` or ``"json"``; the same here (every value is already
                JSON-compatible). Default ``"python"``.
            use_api_names: Wire keys (``scenarioIds``, ``envVars``) rather than
                attribute names. Default True.
            exclude_unset: Leave out the ``None`` fields of models you built (a view
                from the server counts as fully set: the API sends every key).
                Default True.
            exclude_defaults: Leave out fields equal to their default. Default False.
            exclude_none: Leave out every ``None`` value. Default False.
            warnings: Accepted for compatibility; ignored. Default True.

        Unknown fields a newer server sent (``extra``) are included under their keys.
        """
        del mode, warnings  # accepted for ports; nothing to do
        data = dump(
            self, api_names=use_api_names, drop_unset=exclude_unset,
            drop_defaults=exclude_defaults, drop_none=exclude_none,
        )  # fmt: skip
        return dict(data)

    def to_json(
        self,
        *,
        indent: int | None = 2,
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> str:
        """This model as a JSON string (the options of :meth:`to_dict`).

        Args:
            indent: Spaces per level; ``None`` for compact output. Default 2.
            use_api_names: As :meth:`to_dict`. Default True.
            exclude_unset: As :meth:`to_dict`. Default True.
            exclude_defaults: As :meth:`to_dict`. Default False.
            exclude_none: As :meth:`to_dict`. Default False.
            warnings: Accepted for compatibility; ignored. Default True.
        """
        data = self.to_dict(
            mode="json", use_api_names=use_api_names, exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults, exclude_none=exclude_none, warnings=warnings,
        )  # fmt: skip
        separators = (",", ":") if indent is None else (",", ": ")
        return json.dumps(data, indent=indent, separators=separators, ensure_ascii=False)
