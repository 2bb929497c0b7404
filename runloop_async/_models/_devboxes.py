"""The slice of the devbox API that scenario workflows need (run readiness)."""

from typing import Any

import attrs

from ._base import Model, extra_field
from ._common import LaunchParameters
from ._states import DevboxStatus

__all__ = ["DevboxStateTransition", "DevboxView", "GatewaySpecs", "McpSpecs", "TunnelView"]


@attrs.frozen(kw_only=True, eq=False, repr=False)
class DevboxStateTransition(Model):
    """One entry of ``DevboxView.state_transitions``; every field defaults to ``None``.

    Attributes:
        status: One of :class:`DevboxStatus` (kept as ``str``).
        transition_time_ms: When it happened (loosely typed by the API, kept as is).
        failure_reason: Why, when the transition was a failure.
    """

    status: str | None = None
    transition_time_ms: Any = None
    failure_reason: str | None = None


@attrs.frozen(kw_only=True, eq=False, repr=False)
class TunnelView(Model):
    """A devbox's HTTP tunnel. Kept loose: every field defaults to ``None``.

    Attributes:
        auth_mode: ``"open"`` or ``"authenticated"``.
    """

    auth_mode: str | None = None
    create_time_ms: int | None = None
    http_keep_alive: bool | None = None
    tunnel_key: str | None = None
    wake_on_http: bool | None = None
    auth_token: str | None = None


@attrs.frozen(kw_only=True, eq=False, repr=False)
class GatewaySpecs(Model):
    """One entry of ``DevboxView.gateway_specs`` (both fields required).

    Attributes:
        gateway_config_id: The gateway config (e.g. ``gwc_123abc``).
        secret_id: The secret holding the credential.
    """

    gateway_config_id: str
    secret_id: str


@attrs.frozen(kw_only=True, eq=False, repr=False)
class McpSpecs(Model):
    """One entry of ``DevboxView.mcp_specs`` (both fields required).

    Attributes:
        mcp_config_id: The MCP config (e.g. ``mcp_123abc``).
        secret_id: The secret holding the credential.
    """

    mcp_config_id: str
    secret_id: str


@attrs.frozen(kw_only=True, eq=False, repr=False)
class DevboxView(Model):
    """A devbox, with the fields that matter for scenario-run readiness.

    ``id``, ``status``, ``create_time_ms``, ``capabilities``, ``launch_parameters``,
    ``metadata`` and ``state_transitions`` are required; the rest default to ``None``.

    Attributes:
        status: One of :class:`DevboxStatus` (kept as ``str``).
        capabilities: e.g. ``"docker_in_docker"`` (kept as ``str``).
        state_transitions: Status history, oldest first.
        end_time_ms: Set once the devbox is in a terminal state.
        failure_reason: ``out_of_memory``, ``out_of_disk``, ``execution_failed`` or
            ``health_check_failed`` (kept as ``str``).
        shutdown_reason: ``api_shutdown``, ``keep_alive_timeout``, ``entrypoint_exit``,
            ``idle`` or ``ttl_expired`` (kept as ``str``).
        initiator_type: e.g. ``"scenario"`` for scenario-run devboxes.
        gateway_specs: Gateway name -> :class:`GatewaySpecs`.
        mcp_specs: MCP name -> :class:`McpSpecs`.
        extra: Fields this client version does not know, as sent by the server
            (a newer API); ``{}`` when there are none. Not compared, not sent.
    """

    id: str
    status: str
    create_time_ms: int
    capabilities: list[str]
    launch_parameters: LaunchParameters
    metadata: dict[str, str]
    state_transitions: list[DevboxStateTransition]
    end_time_ms: int | None = None
    failure_reason: str | None = None
    shutdown_reason: str | None = None
    initiator_type: str | None = None
    initiator_id: str | None = None
    name: str | None = None
    blueprint_id: str | None = None
    snapshot_id: str | None = None
    tunnel: TunnelView | None = None
    gateway_specs: dict[str, GatewaySpecs] | None = None
    mcp_specs: dict[str, McpSpecs] | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def is_running(self) -> bool:
        """Whether the devbox is ready for interaction (``status == "running"``)."""
        return self.status == DevboxStatus.RUNNING

    @property
    def is_terminal(self) -> bool:
        """Whether the devbox is in ``DevboxStatus.TERMINAL`` (suspended/failure/shutdown)."""
        return self.status in DevboxStatus.TERMINAL
