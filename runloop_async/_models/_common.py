"""Shared sub-objects: launch parameters, lifecycle, mounts and the run profile.

These appear both in responses (``ScenarioView.environment``, ``DevboxView``) and in
request bodies (``start_run(run_profile=...)``). Every optional field defaults to
``None``; ``None`` fields are left out of request bodies.
"""

from typing import Any, TypeAlias

import attrs

from ._base import Model, redacted_values

__all__ = [
    "AfterIdle",
    "AgentMount",
    "BrokerMount",
    "CodeMount",
    "FileMount",
    "LaunchParameters",
    "LifecycleConfiguration",
    "LifecycleHooks",
    "Mount",
    "ObjectMount",
    "ResumeTriggers",
    "RunProfile",
    "UnknownMount",
    "UserParameters",
]


@attrs.frozen(kw_only=True, eq=False, repr=False)
class AfterIdle(Model):
    """What to do with a devbox once it has been idle for a while.

    Attributes:
        idle_time_seconds: Idle time before ``on_idle`` applies (required).
        on_idle: ``"shutdown"`` or ``"suspend"`` (see :class:`OnIdle`; required).
    """

    idle_time_seconds: int
    on_idle: str


@attrs.frozen(kw_only=True, eq=False, repr=False)
class ResumeTriggers(Model):
    """Events that resume a suspended devbox. Both default to ``None`` (server default)."""

    axon_event: bool | None = None
    http: bool | None = None


@attrs.frozen(kw_only=True, eq=False, repr=False)
class LifecycleHooks(Model):
    """Commands run around lifecycle transitions. All fields default to ``None``.

    Attributes:
        suspend_commands: Commands run before suspending.
        suspend_deadline_ms: How long the suspend commands may take (server default
            30000, max 60000).
    """

    suspend_commands: list[str] | None = None
    suspend_deadline_ms: int | None = None


@attrs.frozen(kw_only=True, eq=False, repr=False)
class LifecycleConfiguration(Model):
    """Devbox lifecycle settings (``LaunchParameters.lifecycle``); all default to ``None``."""

    after_idle: AfterIdle | None = None
    resume_triggers: ResumeTriggers | None = None
    lifecycle_hooks: LifecycleHooks | None = None


@attrs.frozen(kw_only=True, eq=False, repr=False)
class UserParameters(Model):
    """The Linux user a devbox runs as: ``username`` and ``uid`` (>= 0), both required."""

    username: str
    uid: int


@attrs.frozen(kw_only=True, eq=False, repr=False)
class LaunchParameters(Model):
    """How a devbox is launched. Every field is optional and defaults to ``None``.

    Attributes:
        resource_size_request: One of :class:`ResourceSize` (kept as ``str``).
        custom_cpu_cores: Used with ``CUSTOM_SIZE``: 0.5, 1, or a multiple of 2 (max 16).
            Integers stay integers on the way back out.
        custom_gb_memory: Used with ``CUSTOM_SIZE``: 1 or a multiple of 2 (max 64).
        custom_disk_size: Used with ``CUSTOM_SIZE``: GiB, a multiple of 2 from 2 to 64.
        architecture: One of :class:`Architecture`; the server default is ``x86_64``.
        keep_alive_time_seconds: Automatic shutdown after this long (default 1 h,
            max 172800).
        after_idle: Deprecated in favour of ``lifecycle.after_idle``.
        lifecycle: Idle, resume and hook settings.
        launch_commands: Commands run at launch, before the entrypoint.
        required_services: Names of containerized services defined in the blueprint.
        available_ports: Deprecated and ignored by the server.
        network_policy_id: Network policy to apply.
        provisioning_tier: ``"standard"`` or ``"flex"`` (alpha).
        user_parameters: The Linux user.
    """

    resource_size_request: str | None = None
    custom_cpu_cores: float | None = None
    custom_gb_memory: int | None = None
    custom_disk_size: int | None = None
    architecture: str | None = None
    keep_alive_time_seconds: int | None = None
    after_idle: AfterIdle | None = None
    lifecycle: LifecycleConfiguration | None = None
    launch_commands: list[str] | None = None
    required_services: list[str] | None = None
    available_ports: list[int] | None = None
    network_policy_id: str | None = None
    provisioning_tier: str | None = None
    user_parameters: UserParameters | None = None


# --- mounts (union on "type") -------------------------------------------------------


@attrs.frozen(kw_only=True, eq=False, repr=False)
class ObjectMount(Model):
    """Mount a stored object into the devbox (``type="object_mount"``).

    Attributes:
        object_id: The object to mount (required).
        object_path: Absolute path, or a directory for archives (required).
    """

    object_id: str
    object_path: str
    type: str = "object_mount"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class AgentMount(Model):
    """Mount an agent into the devbox (``type="agent_mount"``).

    Set ``agent_id`` or ``agent_name`` (a name picks the newest agent with that name).
    Both keys are always sent, as ``null`` when unset, because the API requires them.

    Attributes:
        agent_id: Agent id, default ``None``.
        agent_name: Agent name, default ``None``.
        agent_path: Where to mount it (needed for git/object agents), default ``None``.
        auth_token: Git auth token (git agents only), default ``None``.
    """

    agent_id: str | None = None
    agent_name: str | None = None
    agent_path: str | None = None
    auth_token: str | None = None
    type: str = "agent_mount"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class CodeMount(Model):
    """Clone a git repository into the devbox (``type="code_mount"``).

    Attributes:
        repo_name: Repository name; mounted at ``/home/user/{repo_name}`` (required).
        repo_owner: Repository owner (required).
        token: Access token, default ``None``.
        git_ref: Branch, tag or commit, default ``None``.
        install_command: Command run after cloning, default ``None``.
    """

    repo_name: str
    repo_owner: str
    token: str | None = None
    git_ref: str | None = None
    install_command: str | None = None
    type: str = "code_mount"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class FileMount(Model):
    """Write a file into the devbox (``type="file_mount"``): ``content`` at ``target``."""

    content: str
    target: str
    type: str = "file_mount"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class BrokerMount(Model):
    """Connect an axon broker (``type="broker_mount"``).

    Attributes:
        axon_id: The axon to connect (required).
        protocol: ``acp``, ``claude_json``, ``codex_json`` or ``pi_json``; default ``None``.
        agent_binary: Agent binary to launch, default ``None``.
        launch_args: Arguments for the agent binary, default ``None``.
        working_directory: Working directory of the agent, default ``None``.
    """

    axon_id: str
    protocol: str | None = None
    agent_binary: str | None = None
    launch_args: list[str] | None = None
    working_directory: str | None = None
    type: str = "broker_mount"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class UnknownMount(Model):
    """A mount whose ``type`` this SDK does not know; ``raw`` is the whole JSON object.

    It is sent back exactly as ``raw``.
    """

    type: str
    raw: dict[str, Any]


Mount: TypeAlias = ObjectMount | AgentMount | CodeMount | FileMount | BrokerMount | UnknownMount
"""Any devbox mount; told apart by ``type`` on the wire."""


@attrs.frozen(kw_only=True, eq=False, repr=False)
class RunProfile(Model):
    """Runtime configuration of a scenario or benchmark run (request key ``runProfile``).

    Every field defaults to ``None``.

    Attributes:
        env_vars: Env var name -> value (wire key ``envVars``); values may show in logs.
        secrets: Env var name -> user secret *name*; never logged.
        launch_parameters: Devbox launch overrides (wire key ``launchParameters``).
        mounts: Mounts for the run's devbox.
        purpose: Free text; comes back as ``ScenarioRunView.purpose``.
    """

    env_vars: dict[str, str] | None = None
    secrets: dict[str, str] | None = attrs.field(default=None, repr=redacted_values)
    launch_parameters: LaunchParameters | None = None
    mounts: list[Mount] | None = None
    purpose: str | None = None
