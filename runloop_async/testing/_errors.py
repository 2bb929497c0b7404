"""The one error type handlers raise, and the JSON error body shape.

Every error the emulator answers has the body::

    {"error": {"type": "<kind>", "message": "<text>"}}

with ``type`` one of ``bad_request``, ``unauthorized``, ``not_found``,
``method_not_allowed``, ``request_timeout``, ``invalid_state`` or ``injected_fault``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ApiError", "bad_request", "error_body", "invalid_state", "not_found"]


class ApiError(Exception):
    """An HTTP error answer: status, a short machine type and a message."""

    def __init__(self, status: int, type_: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.type = type_
        self.message = message

    def body(self) -> dict[str, Any]:
        """The JSON body for this error."""
        return error_body(self.type, self.message)


def error_body(type_: str, message: str) -> dict[str, Any]:
    """The emulator's error body shape."""
    return {"error": {"type": type_, "message": message}}


def bad_request(message: str) -> ApiError:
    """A 400 for a malformed request (missing field, wrong type, bad query)."""
    return ApiError(400, "bad_request", message)


def invalid_state(message: str) -> ApiError:
    """A 400 for a transition the current state does not allow."""
    return ApiError(400, "invalid_state", message)


def not_found(kind: str, id_: str) -> ApiError:
    """A 404 for an unknown id."""
    return ApiError(404, "not_found", f"{kind} {id_!r} not found")
