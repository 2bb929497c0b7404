"""The HTTP side: one catch-all aiohttp handler running the request pipeline.

Pipeline for every request: record it, check ``Authorization`` (401), route it,
apply a matching fault, replay an idempotent answer (POST with a known
``x-request-id``), else run the handler. Every answer carries ``x-request-id``
(the request's, or a generated ``req_<hex>``).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import secrets
import socket
import struct
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from . import (
    _h_benchmark_jobs,
    _h_benchmark_runs,
    _h_benchmarks,
    _h_devboxes,
    _h_runs,
    _h_scenarios,
    _h_scorers,
    _slow_bodies,
)
from ._config import EmulatorConfig
from ._errors import ApiError, error_body
from ._faults import ANSWER_KINDS, FaultHandle, Faults, mangle
from ._json import dumps, loads
from ._router import Answer, ChangeSignal, Ctx, Route, Router
from ._state import State

__all__ = ["HANDLER_MODULES", "EmulatorCore", "RequestRecord", "build_router"]

_HTML = b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"


@dataclass
class RequestRecord:
    """One request the emulator received (``headers`` never holds authorization).

    ``status`` is the status answered (None if the connection was closed first);
    ``fault`` is the kind of the fault that acted on it, if any.
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    status: int | None
    time: float
    request_id: str
    route: str | None = None
    fault: str | None = None


#: The router table: one handler module per resource, named ``_h_<stem>`` after it.
HANDLER_MODULES = (
    _h_scenarios,
    _h_runs,
    _h_scorers,
    _h_benchmarks,
    _h_benchmark_runs,
    _h_benchmark_jobs,
    _h_devboxes,
)


def build_router() -> Router:
    """Every route of the emulated API."""
    router = Router()
    for module in HANDLER_MODULES:
        module.register(router)
    return router


def _json_answer(status: int, value: Any) -> Answer:
    return Answer(status, dumps(value), json=value)


def _error(err: ApiError) -> Answer:
    return _json_answer(err.status, err.body())


class EmulatorCore:
    """State, faults, request log and idempotency store behind one server."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.base_config = config
        self.state = State(config)
        self.faults = Faults()
        self.router = build_router()
        self.signal: ChangeSignal | None = None
        self._log: deque[RequestRecord] = deque(maxlen=config.request_log_capacity)
        self._log_lock = threading.Lock()
        self._idem: OrderedDict[tuple[str, str, str], Answer] = OrderedDict()

    # -- control ------------------------------------------------------------

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        """Bind change notifications to ``loop`` (safe to call from any thread)."""
        signal = ChangeSignal()
        self.signal = signal

        def notify() -> None:
            if loop.is_closed():
                return
            try:
                running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is loop:
                signal.fire()
                return
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(signal.fire)

        self.state.notify = notify

    def reset(self) -> None:
        """Clear state, faults, the request log and idempotency store."""
        self.faults.clear()
        with self.state.lock:
            self._idem.clear()
        with self._log_lock:
            self._log.clear()
        self.state.reset(self.base_config)

    def requests(self) -> list[RequestRecord]:
        """A snapshot of the request log, oldest first."""
        with self._log_lock:
            return list(self._log)

    def clear_requests(self) -> None:
        """Forget the request log."""
        with self._log_lock:
            self._log.clear()

    # -- pipeline -----------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """The aiohttp entry point for every request."""
        rid = request.headers.get("x-request-id") or f"req_{secrets.token_hex(8)}"
        raw = await request.read()
        try:
            parsed, bad_json = (loads(raw) if raw else None), False
        except ValueError:
            parsed, bad_json = None, True
        record = RequestRecord(
            method=request.method,
            path=request.path,
            query=dict(request.query.items()),
            headers=_record_headers(request),
            json=parsed,
            status=None,
            time=time.time(),
            request_id=rid,
        )
        with self._log_lock:
            self._log.append(record)
        return await self._respond(request, record, bad_json)

    def _authorized(self, request: web.Request) -> bool:
        expected = f"Bearer {self.state.config.api_key}".encode()
        given = request.headers.get("Authorization", "").encode()
        return hmac.compare_digest(given, expected)

    async def _respond(
        self, request: web.Request, record: RequestRecord, bad_json: bool
    ) -> web.StreamResponse:
        if not self._authorized(request):
            body = error_body("unauthorized", "missing or invalid bearer token")
            return self._send(record, _json_answer(401, body))
        route, params, known = self.router.resolve(request.method, request.raw_path)
        template = route.template if route is not None else request.path
        record.route = route.name if route is not None else None
        fault = self.faults.take(request.method, template, request.path)
        if fault is not None:
            record.fault = fault.kind
            if fault.kind == "hang":
                await _slow_bodies.hang(request, fault)
                return web.Response(status=504)
            if fault.kind not in ANSWER_KINDS and fault.kind != "delay":
                return self._fault_only(request, record, fault)
            if fault.kind == "delay":
                await asyncio.sleep(fault.delay)
        answer = await self._answer(request, record, route, params, known, bad_json)
        if fault is None or fault.kind == "delay":
            return self._send(record, answer)
        return await self._fault_answer(request, record, fault, answer)

    async def _answer(
        self,
        request: web.Request,
        record: RequestRecord,
        route: Route | None,
        params: dict[str, str],
        known: bool,
        bad_json: bool,
    ) -> Answer:
        if route is None:
            status, kind = (405, "method_not_allowed") if known else (404, "not_found")
            message = f"no route for {record.method} {record.path}"
            return _json_answer(status, error_body(kind, message))
        if bad_json:
            return _json_answer(400, error_body("bad_request", "request body is not valid JSON"))
        key = self._idem_key(request, route)
        if key is not None:
            with self.state.lock:
                stored = self._idem.get(key)
            if stored is not None:
                return stored
        answer = await self._call(route, params, record)
        if key is not None and 200 <= answer.status < 300:
            self._remember(key, answer)
        return answer

    def _idem_key(self, request: web.Request, route: Route) -> tuple[str, str, str] | None:
        rid = request.headers.get("x-request-id")
        if request.method == "GET" or not rid or route.template.endswith("/wait_for_status"):
            return None
        return (rid, request.method, request.path)

    def _remember(self, key: tuple[str, str, str], answer: Answer) -> None:
        with self.state.lock:
            self._idem[key] = answer
            while len(self._idem) > self.state.config.idempotency_capacity:
                self._idem.popitem(last=False)

    async def _call(self, route: Route, params: dict[str, str], record: RequestRecord) -> Answer:
        state = self.state
        assert self.signal is not None
        ctx = Ctx(state, params, record.query, record.json, self.signal)
        try:
            if route.is_async:
                result = await route.handler(ctx)
                with state.lock:
                    return self._encode(result)
            with state.lock:
                state.tick()
                return self._encode(route.handler(ctx))
        except ApiError as err:
            return _error(err)
        except Exception as exc:  # an emulator bug: answer 500 rather than drop the request
            message = f"emulator error: {type(exc).__name__}: {exc}"
            return _json_answer(500, error_body("internal_error", message))

    @staticmethod
    def _encode(result: Any) -> Answer:
        return result if isinstance(result, Answer) else _json_answer(200, result)

    # -- sending ------------------------------------------------------------

    def _send(self, record: RequestRecord, answer: Answer) -> web.Response:
        record.status = answer.status
        headers = {**answer.headers, "x-request-id": record.request_id}
        return web.Response(
            status=answer.status,
            body=answer.body,
            content_type=answer.content_type,
            headers=headers,
        )

    def _fault_only(
        self, request: web.Request, record: RequestRecord, fault: FaultHandle
    ) -> web.StreamResponse:
        if fault.kind == "close":
            _drop(request, reset=False)
            return web.Response(status=500)
        if fault.kind == "html":
            answer = Answer(fault.status or 502, _HTML, "text/html", dict(fault.headers))
            return self._send(record, answer)
        message = f"injected fault: HTTP {fault.status}"
        answer = _json_answer(fault.status or 500, error_body("injected_fault", message))
        answer.headers.update(fault.headers)
        return self._send(record, answer)

    async def _fault_answer(
        self, request: web.Request, record: RequestRecord, fault: FaultHandle, answer: Answer
    ) -> web.StreamResponse:
        if fault.kind in ("wrong_types", "unknown_fields"):
            if answer.content_type == "application/json":
                value = mangle(fault.kind, loads(answer.body), fault.target_field)
                answer = Answer(answer.status, dumps(value), headers=dict(answer.headers))
            return self._send(record, answer)
        record.status = answer.status
        streamer = _STREAMERS.get(fault.kind)
        if streamer is not None:
            return await streamer(request, answer, record.request_id, fault)
        response = web.StreamResponse(status=answer.status, headers=answer.headers)
        response.headers["x-request-id"] = record.request_id
        response.content_type = answer.content_type
        response.content_length = len(answer.body)
        await response.prepare(request)
        await response.write(answer.body[: max(1, len(answer.body) // 2)])
        _drop(request, reset=fault.kind == "reset")
        return response


_STREAMERS = {
    "trickle": _slow_bodies.trickle,
    "oversized": _slow_bodies.oversized,
    "gzip_bomb": _slow_bodies.bomb,
}


def _record_headers(request: web.Request) -> dict[str, str]:
    return {k.lower(): v for k, v in request.headers.items() if k.lower() != "authorization"}


def _drop(request: web.Request, *, reset: bool) -> None:
    """Close the connection under the request; ``reset`` aborts it with an RST."""
    transport = request.transport
    if transport is None:
        return
    if reset:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    else:
        transport.close()
