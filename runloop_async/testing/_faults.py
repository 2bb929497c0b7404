"""Fault injection: make chosen requests fail in chosen ways.

Faults are checked **after** authentication (a request with a wrong key always
gets its 401) and before normal handling. Each fault matches a route:

* ``"*"`` - every request;
* ``"GET *"`` - every request with that method;
* ``"POST /v1/scenarios/runs/{id}/score"`` - a route template (as in the contract),
  or a concrete path (``"GET /v1/scenarios/runs/scr_1"``); leave the method out
  (``"/v1/scenarios/{id}"``) or write ``"*"`` for it to match any method.

Kinds (``FAULT_KINDS``):

``status``
    Answer ``status`` (default 500) with a JSON error body and ``headers``
    (e.g. ``{"Retry-After": "2"}``, an HTTP date, ``{"retry-after-ms": "150"}``,
    ``{"x-should-retry": "false"}``). The request has no effect.
``delay``
    Sleep ``delay`` seconds, then answer normally.
``close``
    Close the connection without answering (no effect applied).
``reset``
    Apply the request, send the status line, headers and half the body, then
    abort the connection (RST).
``truncate``
    Apply the request, send a valid status and ``Content-Length`` but only half
    of the JSON body, then close the connection.
``html``
    A non-JSON HTML error page with ``status`` (default 502).
``wrong_types``
    The real answer with one field's type corrupted (``state``/``status`` becomes
    ``123``; in a list, the first item's; or the dotted ``field`` you name).
``unknown_fields``
    The real answer plus unknown keys on every object, unknown values for every
    ``state``/``status`` and an unknown scorer type in every scoring contract.
``hang``
    Never answer: the request is held (nothing applied, not even headers sent)
    until the client gives up and closes the connection, or for ``delay`` seconds
    when ``delay`` is set, after which the connection is closed unanswered.
``trickle``
    Apply the request, then send the real answer (status, headers and a correct
    ``Content-Length``) ``chunk`` bytes (default 1) every ``interval`` seconds
    (default 0.1): a slow link or a stuck proxy. Stops when the client hangs up.
``oversized``
    Apply the request, then send the real answer padded with trailing JSON
    whitespace to ``size`` bytes: a valid answer of that size, streamed in 64 KiB
    writes (the emulator never holds it in memory).
``gzip_bomb``
    Apply the request, then send the real answer padded to ``size`` bytes once
    *decoded*, compressed on the fly (``Content-Encoding: gzip``, or ``deflate``
    with ``encoding="deflate"``): 1 GiB of it is about 1 MB on the wire.

A fault fires on at most ``times`` matching requests (``None``: no limit), each
with ``probability`` (``None``: always; drawn from ``random.Random(seed)``).
A fault can also be limited to a time window: it starts firing ``after`` seconds
from when it was added (default 0) and stops ``duration`` seconds later (``None``:
never), so ``faults.add("POST *", status=503, after=3, duration=5)`` is a 5 s burst
of 503 on every POST starting 3 s from now.
Faults are tried in the order they were added; the first that fires wins.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "FAULT_KINDS",
    "FaultHandle",
    "Faults",
    "mangle",
    "ANSWER_KINDS",
    "SIZED_KINDS",
    "BOMB_ENCODINGS",
]

FAULT_KINDS = frozenset(
    {
        "status", "delay", "close", "reset", "truncate", "html", "wrong_types",
        "unknown_fields", "hang", "trickle", "oversized", "gzip_bomb",
    }
)  # fmt: skip
#: Kinds that need the real answer first.
ANSWER_KINDS = frozenset(
    {"reset", "truncate", "wrong_types", "unknown_fields", "trickle", "oversized", "gzip_bomb"}
)
#: Kinds that stream a body of ``size`` bytes, so ``size`` must be given.
SIZED_KINDS = frozenset({"oversized", "gzip_bomb"})
#: Content codings ``gzip_bomb`` can use.
BOMB_ENCODINGS = frozenset({"gzip", "deflate"})


@dataclass(eq=False)
class FaultHandle:
    """One registered fault; ``fired`` counts how often it acted."""

    route: str
    kind: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    times: int | None = None
    probability: float | None = None
    target_field: str | None = None
    #: ``trickle``: bytes per write and seconds between writes.
    chunk: int = 1
    interval: float = 0.1
    #: ``oversized`` / ``gzip_bomb``: the (decoded) body size, and the coding.
    size: int = 0
    encoding: str = "gzip"
    #: ``time.monotonic()`` bounds of the window in which the fault fires.
    starts_at: float = 0.0
    ends_at: float | None = None
    fired: int = 0
    _owner: Faults | None = field(default=None, repr=False)
    _rng: random.Random = field(default_factory=random.Random, repr=False)

    @property
    def active(self) -> bool:
        """True while the fault can still fire (``times`` left and not past its window)."""
        if self.ends_at is not None and time.monotonic() >= self.ends_at:
            return False
        return self.times is None or self.fired < self.times

    def in_window(self, now: float) -> bool:
        """Whether ``now`` (``time.monotonic()``) lies in the fault's time window."""
        return self.starts_at <= now and (self.ends_at is None or now < self.ends_at)

    def remove(self) -> None:
        """Unregister this fault."""
        if self._owner is not None:
            self._owner.remove(self)

    def matches(self, method: str, template: str, path: str) -> bool:
        """Whether this fault's route selects the request."""
        route = self.route.strip()
        if route == "*":
            return True
        want_method, _, want_path = route.rpartition(" ")
        if want_method not in ("", "*") and want_method.upper() != method:
            return False
        return want_path in ("*", template, path)


class Faults:
    """The fault registry of one emulator (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[FaultHandle] = []

    def add(
        self,
        route: str = "*",
        *,
        kind: str = "status",
        status: int | None = None,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        times: int | None = None,
        probability: float | None = None,
        seed: int | None = None,
        field: str | None = None,
        after: float = 0.0,
        duration: float | None = None,
        chunk: int = 1,
        interval: float = 0.1,
        size: int = 0,
        encoding: str = "gzip",
    ) -> FaultHandle:
        """Register a fault (see the module doc) and return its handle.

        ``after`` and ``duration`` (seconds) bound the window in which it fires;
        ``chunk``/``interval`` shape ``trickle``; ``size``/``encoding`` shape
        ``oversized`` and ``gzip_bomb``.
        """
        _check_add(kind, probability, after, duration)
        _check_shape(kind, chunk, interval, size, encoding)
        if kind == "status" and status is None:
            status = 500
        starts_at = time.monotonic() + after
        handle = FaultHandle(
            route=route,
            kind=kind,
            status=status,
            headers=dict(headers or {}),
            delay=delay,
            times=times,
            probability=probability,
            target_field=field,
            chunk=chunk,
            interval=interval,
            size=size,
            encoding=encoding,
            starts_at=starts_at,
            ends_at=None if duration is None else starts_at + duration,
            _owner=self,
            _rng=random.Random(seed),
        )
        with self._lock:
            self._faults.append(handle)
        return handle

    def remove(self, handle: FaultHandle) -> None:
        """Unregister ``handle`` (no error if it is gone)."""
        with self._lock:
            if handle in self._faults:
                self._faults.remove(handle)

    def clear(self) -> None:
        """Remove every fault."""
        with self._lock:
            self._faults.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._faults)

    def list(self) -> list[FaultHandle]:
        """A snapshot of the registered faults."""
        with self._lock:
            return list(self._faults)

    def take(self, method: str, template: str, path: str) -> FaultHandle | None:
        """The fault that fires for this request (its use is counted), or None."""
        now = time.monotonic()
        with self._lock:
            for handle in self._faults:
                if not handle.in_window(now):
                    continue
                if not handle.active or not handle.matches(method, template, path):
                    continue
                if handle.probability is not None and handle._rng.random() >= handle.probability:
                    continue
                handle.fired += 1
                return handle
        return None


def _check_add(kind: str, probability: float | None, after: float, duration: float | None) -> None:
    if kind not in FAULT_KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; one of {sorted(FAULT_KINDS)}")
    if probability is not None and not 0.0 <= probability <= 1.0:
        raise ValueError("probability must be within [0, 1]")
    if after < 0 or (duration is not None and duration < 0):
        raise ValueError("after and duration must be >= 0")


def _check_shape(kind: str, chunk: int, interval: float, size: int, encoding: str) -> None:
    if chunk < 1 or interval < 0:
        raise ValueError("chunk must be >= 1 and interval >= 0")
    if kind in SIZED_KINDS and size < 1:
        raise ValueError(f"a {kind!r} fault needs size= (bytes, >= 1)")
    if encoding not in BOMB_ENCODINGS:
        raise ValueError(f"encoding must be one of {sorted(BOMB_ENCODINGS)}")


def mangle(kind: str, body: Any, field_path: str | None) -> Any:
    """Corrupt a decoded JSON answer for ``wrong_types``/``unknown_fields``."""
    if kind == "unknown_fields":
        return _add_unknowns(body, top=True)
    if field_path:
        _set_path(body, field_path.split("."), 123)
        return body
    _corrupt_first(body)
    return body


def _set_path(obj: Any, keys: list[str], value: Any) -> None:
    for key in keys[:-1]:
        obj = obj[int(key)] if isinstance(obj, list) else obj[key]
    if isinstance(obj, list):
        obj[int(keys[-1])] = value
    else:
        obj[keys[-1]] = value


def _corrupt_first(body: Any) -> None:
    if not isinstance(body, dict):
        return
    for key in ("state", "status"):
        if key in body:
            body[key] = 123
            return
    for value in body.values():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            _corrupt_first(value[0])
            return
    if "has_more" in body:
        body["has_more"] = "not-a-bool"
    elif "id" in body:
        body["id"] = 123


def _unknown_function() -> dict[str, Any]:
    return {
        "name": "emulator_future_scorer",
        "weight": 0.0,
        "scorer": {"type": "emulator_future_scorer", "knob": {"level": 3}},
    }


def _add_unknowns(value: Any, *, top: bool = False) -> Any:
    if isinstance(value, list):
        return [_add_unknowns(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: _add_unknowns(v) for k, v in value.items()}
    for key in ("state", "status"):
        if isinstance(out.get(key), str):
            out[key] = "emulator_unknown_" + key
    fns = out.get("scoring_function_parameters")
    if isinstance(fns, list):
        fns.append(_unknown_function())
    if top or "id" in out:
        out["emulator_unknown_field"] = {"nested": [1, "two", None]}
    return out
