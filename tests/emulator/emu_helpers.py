"""Helpers for the emulator tests: a raw JSON client and request bodies."""

from __future__ import annotations

import time
from typing import Any

import aiohttp
import pytest

from runloop_async.testing import Emulator, EmulatorConfig

FAST = EmulatorConfig(scoring_delay=0.02, devbox_boot_delay=0.02, job_step_delay=0.02)


class Api:
    """A raw HTTP client for the emulator: JSON in, (status, JSON or text) out."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        query: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        async with self.session.request(
            method, path, json=body, params=query, headers=headers
        ) as resp:
            if resp.content_type == "application/json":
                return resp.status, await resp.json()
            return resp.status, await resp.read()

    async def get(self, path: str, **query: str) -> tuple[int, Any]:
        return await self.call("GET", path, query=query)

    async def post(self, path: str, body: Any = None, **headers: str) -> tuple[int, Any]:
        return await self.call("POST", path, body, headers=headers)

    async def ok(self, method: str, path: str, body: Any = None, **query: str) -> Any:
        status, data = await self.call(method, path, body, query=query)
        assert status == 200, (status, data)
        return data

    async def ok_headers(
        self, method: str, path: str, headers: dict[str, str], body: Any = None
    ) -> Any:
        status, data = await self.call(method, path, body, headers=headers)
        assert status == 200, (status, data)
        return data


def scenario_body(name: str = "s", command: str = "pytest", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "input_context": {"problem_statement": "fix it"},
        "scoring_contract": {
            "scoring_function_parameters": [
                {
                    "name": "tests",
                    "scorer": {"type": "command_scorer", "command": command},
                    "weight": 1.0,
                }
            ]
        },
    }
    body.update(fields)
    return body


class StoppedClock:
    """The in-process emulator's timer clock, stopped: it moves only by :meth:`advance`.

    For a state that lasts one timer step (a job is ``running`` for one
    ``job_step_delay``, 20 ms here): with the real clock, a poll delayed past the step
    on a loaded machine never sees it. Timers still fire on the next request.
    """

    def __init__(self, emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
        self.at = time.monotonic()
        monkeypatch.setattr(emu._core.state, "now", lambda: self.at)

    def advance(self, seconds: float) -> None:
        """Move the clock on; the timers due by then fire at the next request."""
        self.at += seconds
