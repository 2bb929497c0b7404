"""``RunnerOptions``: every setting of the benchmark runner, in one validated value.

:class:`BenchmarkRunner`, :func:`run_benchmark`, :func:`run_benchmark_sync` and the
``benchmarks run`` command all take it (or its fields as keywords), so a default
or a check lives in one place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from .._exceptions import InvalidArgumentError
from .._steps import CLEANUP_TIMEOUT, Backoff, check_seconds
from ._shard import Shard, check_shard

__all__ = ["DEFAULT_LEASE", "MAX_ATTEMPTS", "RunnerOptions", "RUNNER_BACKOFF", "LEASE_MARGIN"]

#: Lease of a run when the runner's deadlines do not bound it (no ``agent_timeout``).
DEFAULT_LEASE = 24 * 3600.0
#: Default pauses of the runner's step retries and of its gate.
RUNNER_BACKOFF = Backoff(initial=0.5, maximum=30.0)
#: Added to the sum of the deadlines, for the calls between the steps.
LEASE_MARGIN = 300.0
#: Most attempts per scenario (pass@k estimates need far fewer; more is a typo).
MAX_ATTEMPTS = 1000


def _ids(value: Sequence[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        raise InvalidArgumentError("scenario_ids must be a list of ids, not one string")
    ids = tuple(value)
    if not all(isinstance(i, str) and i for i in ids):
        raise InvalidArgumentError(f"scenario_ids must be non-empty strings, got {ids!r}")
    return ids


def _count(minimum: int, maximum: int | None = None) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[int], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise InvalidArgumentError(
                f"{attribute.name} must be an int >= {minimum}, got {value!r}"
            )
        if maximum is not None and value > maximum:
            raise InvalidArgumentError(f"{attribute.name} must be at most {maximum}, got {value}")

    return check


def _seconds(optional: bool) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[float | None], value: object) -> None:
        check_seconds(attribute.name, value, optional=optional)

    return check


def _optional_id(instance: Any, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and (not isinstance(value, str) or not value):
        raise InvalidArgumentError(f"{attribute.name} must be a non-empty string, got {value!r}")


@attrs.frozen(kw_only=True)
class RunnerOptions:
    """Settings of one benchmark runner run; every field is validated on creation.

    What to run:

    Attributes:
        benchmark_id: Run this benchmark's scenarios in a new benchmark run.
        scenario_ids: Run these scenarios (with ``benchmark_id`` or
            ``benchmark_run_id``: only these of the benchmark; alone: loose scenario
            runs, no benchmark run).
        benchmark_run_id: Resume (or share, between shards) this benchmark run.
        shard: ``(index, count)``: run only this share of the scenarios (sorted ids,
            every ``count``-th). Shards need a shared ``benchmark_run_id``.
        run_name: Name of a new benchmark run.
        metadata: Metadata for the benchmark run and every scenario run (the
            runner adds its ownership keys to the scenario runs').
        run_profile: Run profile for the benchmark run and every scenario run.

    How:

    Attributes:
        attempts: Times every scenario is run, each attempt its own scenario run in
            the same benchmark run (for pass@k). Default 1, at most 1000. A resume
            or a shard runs more when the benchmark run's runs were planned with more.
        concurrency: Attempts (scenario runs) in flight at once. Default 50.
        complete_benchmark_run: ``None`` (default): complete the benchmark run when
            every attempt of every scenario of the benchmark (all shards) has a
            completed run, checked on the server; else leave it running
            (resumable). ``True``: also complete it when every attempt has
            *ended*, errored ones included (never while any is unstarted or in
            flight). ``False``: never complete it.
        keep_devboxes: Leave a failed scenario's run and devbox up for debugging.
            Default False.
        env_retries: New scenario runs to try when a devbox fails to start.
            Default 1. Each adds a run to the benchmark run (see the docs on score).
        takeover: Take over runs held by another live runner (see the ownership
            rule in the docs). Default False: refuse, listing them.

    Deadlines (seconds; ``None`` = none; NaN, zero and negatives are rejected):

    Attributes:
        env_ready_timeout: Each devbox to be running. Default 600.
        agent_timeout: Each agent call. Default ``None``.
        scoring_timeout: Each scoring (start and wait). Default 1800.
        cleanup_timeout: Each cleanup (cancel or complete a run), retried through
            outages until then. Default 120.
        outage_timeout: How long the API may fail without a single success (of a
            step's call or of a wait's poll) before the runner gives up: every run
            is canceled and the benchmark run is left running, to resume.
            Default 600.
        agent_grace: After a cancellation, how long a *sync* agent's thread is
            waited for before it is abandoned (threads cannot be interrupted).
            Default 2.
        lease: How long another runner must treat this runner's runs as held.
            Default ``None``: the sum of the deadlines above plus 300 s (24 h when
            ``agent_timeout`` is ``None``).
        backoff: Pauses between a step's retries, and of the gate when it opens.
            Default ``Backoff(initial=0.5, maximum=30.0)``.

    Raises:
        InvalidArgumentError: a value of the wrong type or out of range, or none of
            ``benchmark_id``, ``scenario_ids``, ``benchmark_run_id``.
    """

    benchmark_id: str | None = attrs.field(default=None, validator=_optional_id)
    scenario_ids: tuple[str, ...] | None = attrs.field(default=None, converter=_ids)
    benchmark_run_id: str | None = attrs.field(default=None, validator=_optional_id)
    shard: Shard | None = attrs.field(default=None, converter=check_shard)
    run_name: str | None = None
    metadata: Mapping[str, str] | None = None
    run_profile: Any = None
    attempts: int = attrs.field(default=1, validator=_count(1, MAX_ATTEMPTS))
    concurrency: int = attrs.field(default=50, validator=_count(1))
    complete_benchmark_run: bool | None = None
    keep_devboxes: bool = False
    env_retries: int = attrs.field(default=1, validator=_count(0))
    takeover: bool = False
    env_ready_timeout: float | None = attrs.field(default=600.0, validator=_seconds(True))
    agent_timeout: float | None = attrs.field(default=None, validator=_seconds(True))
    scoring_timeout: float | None = attrs.field(default=1800.0, validator=_seconds(True))
    cleanup_timeout: float = attrs.field(default=CLEANUP_TIMEOUT, validator=_seconds(False))
    outage_timeout: float = attrs.field(default=600.0, validator=_seconds(False))
    agent_grace: float = attrs.field(default=2.0, validator=_seconds(False))
    lease: float | None = attrs.field(default=None, validator=_seconds(True))
    backoff: Backoff = attrs.field(default=RUNNER_BACKOFF)

    def __attrs_post_init__(self) -> None:
        if self.benchmark_id is None and self.scenario_ids is None and not self.benchmark_run_id:
            raise InvalidArgumentError("give benchmark_id, scenario_ids or benchmark_run_id")
        if self.metadata is not None and not all(
            isinstance(k, str) and isinstance(v, str) for k, v in self.metadata.items()
        ):
            raise InvalidArgumentError("metadata must map strings to strings")

    @classmethod
    def build(cls, options: RunnerOptions | None, overrides: Mapping[str, Any]) -> RunnerOptions:
        """``options`` (or the defaults) with ``overrides`` applied, validated.

        Raises:
            InvalidArgumentError: an unknown option name, or a bad value.
        """
        names = {field.name for field in attrs.fields(cls)}
        unknown = sorted(set(overrides) - names)
        if unknown:
            raise InvalidArgumentError(f"unknown runner option(s): {', '.join(unknown)}")
        if options is None:
            return cls(**overrides)
        return attrs.evolve(options, **overrides)

    @property
    def sharded(self) -> bool:
        """Whether this runner runs one shard of several."""
        return self.shard is not None and self.shard[1] > 1

    def lease_seconds(self) -> float:
        """How long a run this runner starts is held (see ``lease``)."""
        if self.lease is not None:
            return self.lease
        steps = (self.env_ready_timeout, self.agent_timeout, self.scoring_timeout)
        if any(step is None for step in steps):
            return DEFAULT_LEASE
        return sum(s for s in steps if s is not None) + self.cleanup_timeout + LEASE_MARGIN
