"""A tiny router: path templates with ``{id}`` segments, literals win over params.

Routing is done by hand (instead of aiohttp's router) so the emulator knows the
template of each request (``GET /v1/scenarios/runs/{id}``): faults match on it.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from ._state import State

__all__ = ["Answer", "ChangeSignal", "Ctx", "Route", "Router", "SyncHandler", "AsyncHandler"]


@dataclass(slots=True)
class Answer:
    """A fully built answer: status, body bytes, content type, extra headers."""

    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    json: Any = None


class ChangeSignal:
    """Wakes long-poll waiters when state changes (owned by the server loop)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def current(self) -> asyncio.Event:
        """The event the next change will set (take it before checking state)."""
        return self._event

    def fire(self) -> None:
        """Wake everyone waiting now; later waiters get a fresh event."""
        event, self._event = self._event, asyncio.Event()
        event.set()


@dataclass(slots=True)
class Ctx:
    """What a handler gets: state, path params, query, parsed JSON body."""

    state: State
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    signal: ChangeSignal


SyncHandler = Callable[[Ctx], Any]
AsyncHandler = Callable[[Ctx], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class Route:
    """One ``METHOD /template`` and its handler."""

    method: str
    template: str
    segments: tuple[str, ...]
    handler: Callable[[Ctx], Any]
    is_async: bool

    @property
    def name(self) -> str:
        """``"GET /v1/scenarios/{id}"``: what faults match against."""
        return f"{self.method} {self.template}"

    def match(self, parts: list[str]) -> dict[str, str] | None:
        """Path params if ``parts`` fits this template."""
        if len(parts) != len(self.segments):
            return None
        params: dict[str, str] = {}
        for seg, part in zip(self.segments, parts, strict=True):
            if seg.startswith("{"):
                if not part:
                    return None
                params[seg[1:-1]] = part
            elif seg != part:
                return None
        return params

    def rank(self) -> tuple[int, ...]:
        """Literal segments outrank parameters, position by position."""
        return tuple(0 if seg.startswith("{") else 1 for seg in self.segments)


class Router:
    """Routes by method and path."""

    def __init__(self) -> None:
        self._routes: list[Route] = []

    def add(self, method: str, template: str, handler: Callable[[Ctx], Any]) -> None:
        """Register ``handler`` for ``method template``."""
        segments = tuple(template.strip("/").split("/"))
        is_async = inspect.iscoroutinefunction(handler)
        self._routes.append(Route(method, template, segments, handler, is_async))
        self._routes.sort(key=Route.rank, reverse=True)

    def resolve(self, method: str, raw_path: str) -> tuple[Route | None, dict[str, str], bool]:
        """(route, params, path_known).

        The best-ranked template that fits the path wins; if it has no handler for
        ``method`` the answer is (None, {}, True), i.e. a 405.
        """
        parts = [unquote(p) for p in raw_path.split("?", 1)[0].strip("/").split("/")]
        best: str | None = None
        for route in self._routes:
            if best is not None and route.template != best:
                continue
            params = route.match(parts)
            if params is None:
                continue
            best = route.template
            if route.method == method:
                return route, params, True
        return None, {}, best is not None
