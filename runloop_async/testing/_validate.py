"""Small checks for JSON request bodies; each raises a 400 ``ApiError``."""

from __future__ import annotations

import re
from typing import Any

from ._errors import bad_request

__all__ = [
    "MISSING",
    "body_object",
    "opt_bool",
    "opt_int",
    "opt_number",
    "opt_object",
    "opt_str",
    "opt_str_list",
    "opt_str_map",
    "req_str",
    "scoring_functions",
]

MISSING: Any = object()
_FN_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_SCORER_REQUIRED: dict[str, tuple[str, ...]] = {
    "ast_grep_scorer": ("pattern", "search_directory"),
    "bash_script_scorer": (),
    "command_scorer": (),
    "custom_scorer": ("custom_scorer_type",),
    "python_script_scorer": ("python_script",),
    "test_based_scorer": (),
}


def body_object(body: Any) -> dict[str, Any]:
    """The body as a JSON object; a missing body counts as ``{}``."""
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise bad_request("request body must be a JSON object")
    return body


def _type_error(path: str, expected: str) -> Exception:
    return bad_request(f"{path}: expected {expected}")


def req_str(obj: dict[str, Any], key: str, path: str = "", *, blank: bool = False) -> str:
    """A required string (non-blank unless ``blank``)."""
    value = obj.get(key)
    where = f"{path}{key}"
    if value is None:
        raise bad_request(f"{where}: field required")
    if not isinstance(value, str):
        raise _type_error(where, "string")
    if not blank and not value.strip():
        raise bad_request(f"{where}: cannot be blank")
    return value


def opt_str(obj: dict[str, Any], key: str, path: str = "") -> Any:
    """``MISSING`` when absent, ``None`` when null, else the string."""
    value = obj.get(key, MISSING)
    if value is MISSING or value is None or isinstance(value, str):
        return value
    raise _type_error(f"{path}{key}", "string")


def opt_int(obj: dict[str, Any], key: str, path: str = "") -> Any:
    """``MISSING``/``None``/an integer (booleans are refused)."""
    value = obj.get(key, MISSING)
    if value is MISSING or value is None:
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise _type_error(f"{path}{key}", "integer")
    return value


def opt_number(obj: dict[str, Any], key: str, path: str = "") -> Any:
    """``MISSING``/``None``/an int or float (booleans are refused)."""
    value = obj.get(key, MISSING)
    if value is MISSING or value is None:
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _type_error(f"{path}{key}", "number")
    return value


def opt_bool(obj: dict[str, Any], key: str, path: str = "") -> Any:
    """``MISSING``/``None``/a boolean."""
    value = obj.get(key, MISSING)
    if value is MISSING or value is None or isinstance(value, bool):
        return value
    raise _type_error(f"{path}{key}", "boolean")


def opt_object(obj: dict[str, Any], key: str, path: str = "") -> Any:
    """``MISSING``/``None``/a JSON object."""
    value = obj.get(key, MISSING)
    if value is MISSING or value is None or isinstance(value, dict):
        return value
    raise _type_error(f"{path}{key}", "object")


def opt_str_list(obj: dict[str, Any], key: str, path: str = "") -> Any:
    """``MISSING``/``None``/a list of strings."""
    value = obj.get(key, MISSING)
    if value is MISSING or value is None:
        return value
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _type_error(f"{path}{key}", "array of strings")
    return list(value)


def opt_str_map(obj: dict[str, Any], key: str, path: str = "") -> Any:
    """``MISSING``/``None``/a map of string to string."""
    value = obj.get(key, MISSING)
    if value is MISSING or value is None:
        return value
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise _type_error(f"{path}{key}", "map of string to string")
    return dict(value)


def scoring_functions(value: Any, path: str) -> list[dict[str, Any]]:
    """Check a ``scoring_function_parameters`` list (names, scorers, weights)."""
    if not isinstance(value, list):
        raise _type_error(path, "array")
    for index, fn in enumerate(value):
        where = f"{path}[{index}]."
        if not isinstance(fn, dict):
            raise _type_error(f"{path}[{index}]", "object")
        name = req_str(fn, "name", where)
        if not _FN_NAME.match(name):
            raise bad_request(f"{where}name: only [a-zA-Z0-9_-] allowed")
        weight = opt_number(fn, "weight", where)
        if weight is MISSING or weight is None:
            raise bad_request(f"{where}weight: field required")
        _check_scorer(fn.get("scorer"), f"{where}scorer")
    return value


def _check_scorer(scorer: Any, where: str) -> None:
    if not isinstance(scorer, dict):
        raise bad_request(f"{where}: expected object")
    kind = req_str(scorer, "type", f"{where}.")
    required = _SCORER_REQUIRED.get(kind)
    if required is None:
        raise bad_request(f"{where}.type: unknown scorer type {kind!r}")
    for key in required:
        req_str(scorer, key, f"{where}.", blank=True)
