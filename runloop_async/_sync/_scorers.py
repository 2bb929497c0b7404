"""Blocking ``client.scenarios.scorers``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Unpack

from .._config import NOT_GIVEN, NotGiven, RequestOptions
from .._resources.scorers import AsyncScorers
from ._base import SyncResource

if TYPE_CHECKING:
    # Annotations only: the model loads on first use (runloop_async._models).
    from .._models import ScenarioScorerView
    from ._pager import SyncPage  # loads with the first list call

__all__ = ["Scorers"]


class Scorers(SyncResource[AsyncScorers]):
    """Custom scorers (blocking twin of :class:`AsyncScorers`)."""

    __slots__ = ()

    def create(
        self,
        *,
        bash_script: str,
        type: str,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> ScenarioScorerView:
        """Register a custom scorer. Blocking twin of ``AsyncScorers.create``.

        Raises:
            BadRequestError: a field is missing or invalid.
        """
        return self._call(
            self._async.create, bash_script=bash_script, type=type,
            idempotency_key=idempotency_key, **options,
        )  # fmt: skip

    def retrieve(self, id: str, **options: Unpack[RequestOptions]) -> ScenarioScorerView:
        """Get a custom scorer by id. Blocking twin of ``AsyncScorers.retrieve``.

        Raises:
            NotFoundError: no scorer with that id.
        """
        return self._call(self._async.retrieve, id, **options)

    def update(
        self,
        id: str,
        *,
        bash_script: str,
        type: str,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> ScenarioScorerView:
        """Replace a custom scorer. Blocking twin of ``AsyncScorers.update``.

        Raises:
            NotFoundError: no scorer with that id.
        """
        return self._call(
            self._async.update, id, bash_script=bash_script, type=type,
            idempotency_key=idempotency_key, **options,
        )  # fmt: skip

    def list(
        self,
        *,
        include_total_count: bool | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
        starting_after: str | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[ScenarioScorerView]:
        """List custom scorers (a :class:`SyncPage`). Blocking twin of ``AsyncScorers.list``.

        Raises:
            InvalidArgumentError: ``limit`` out of range.
        """
        return self._paged(
            self._async.list, include_total_count=include_total_count, limit=limit,
            search=search, starting_after=starting_after, **options,
        )  # fmt: skip
