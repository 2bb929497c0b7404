"""Emulator configuration: one frozen dataclass with documented defaults."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

__all__ = ["EmulatorConfig"]


@dataclass(frozen=True)
class EmulatorConfig:
    """Settings of an emulator instance.

    Attributes:
        api_key: The bearer token the emulator accepts (``Authorization: Bearer <key>``).
        host: Interface to bind; loopback by default.
        port: TCP port; ``0`` picks a free one.
        scoring_delay: Seconds a scenario run stays ``scoring`` before it is ``scored``.
        devbox_boot_delay: Seconds a devbox takes from ``provisioning`` to ``running``
            (it is ``initializing`` from half that time on).
        max_wait_hold: Longest time (seconds) ``wait_for_status`` holds a request
            before answering 408; the client's ``timeout_seconds`` can only shorten it.
        job_step_delay: Seconds between benchmark job steps
            (initializing -> queued -> running -> completed).
        idempotency_capacity: How many answered ``x-request-id`` keys are remembered.
        request_log_capacity: Most request records kept (oldest dropped first).
        seed: Seed of the pass-probability draws (``set_pass_probability``); the same
            seed gives the same outcomes.
    """

    api_key: str = "test-key"
    host: str = "127.0.0.1"
    port: int = 0
    scoring_delay: float = 0.05
    devbox_boot_delay: float = 0.05
    max_wait_hold: float = 30.0
    job_step_delay: float = 0.05
    idempotency_capacity: int = 10_000
    request_log_capacity: int = 100_000
    seed: int = 0

    def replace(self, **changes: object) -> EmulatorConfig:
        """A copy with ``changes`` applied (unknown names raise ``TypeError``)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]
