"""``client.scenarios.scorers``: custom scorers (bash scripts registered by type name)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Unpack

from .. import _models  # the scorer model loads on first use, not here
from .._config import NOT_GIVEN, NotGiven, RequestOptions
from .._request import path_segment
from ._base import Resource, body

if TYPE_CHECKING:
    from .._models import ScenarioScorerView
    from .._pager import AsyncPager  # loads with the first list call

__all__ = ["AsyncScorers"]


class AsyncScorers(Resource):
    """Custom scorers. A scoring function refers to one with
    ``CustomScorer(custom_scorer_type=<type>)``; the script reads its context from the
    ``RL_SCORER_CONTEXT`` environment variable (JSON) and prints the score.
    """

    __slots__ = ()

    async def create(
        self,
        *,
        bash_script: str,
        type: str,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> ScenarioScorerView:
        """Register a custom scorer (``POST /v1/scenarios/scorers``).

        Raises:
            BadRequestError: a field is missing or invalid.
        """
        return await self._core.request_model(
            _models.ScenarioScorerView, "POST", "/v1/scenarios/scorers",
            body=body(bash_script=bash_script, type=type),
            options=options, idempotency_key=idempotency_key,
        )  # fmt: skip

    async def retrieve(self, id: str, **options: Unpack[RequestOptions]) -> ScenarioScorerView:
        """Get a custom scorer by id.

        Raises:
            NotFoundError: no scorer with that id.
        """
        path = f"/v1/scenarios/scorers/{path_segment(id)}"
        view = _models.ScenarioScorerView
        return await self._core.request_model(view, "GET", path, options=options)

    async def update(
        self,
        id: str,
        *,
        bash_script: str,
        type: str,
        idempotency_key: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> ScenarioScorerView:
        """Replace a custom scorer (both fields are required, as the API demands).

        Raises:
            NotFoundError: no scorer with that id.
        """
        return await self._core.request_model(
            _models.ScenarioScorerView, "POST", f"/v1/scenarios/scorers/{path_segment(id)}",
            body=body(bash_script=bash_script, type=type),
            options=options, idempotency_key=idempotency_key,
        )  # fmt: skip

    def list(
        self,
        *,
        include_total_count: bool | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        search: str | NotGiven = NOT_GIVEN,
        starting_after: str | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[ScenarioScorerView]:
        """List custom scorers (a pager: ``await`` for a page, ``async for`` for all).

        Raises:
            InvalidArgumentError: ``limit`` out of range.
        """
        path = "/v1/scenarios/scorers"
        return self._list(
            _models.ScenarioScorerView, path, "scorers", options,
            include_total_count=include_total_count, limit=limit, search=search,
            starting_after=starting_after,
        )  # fmt: skip
