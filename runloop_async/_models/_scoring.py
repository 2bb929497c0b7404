"""Scoring: the six scorer kinds, scoring functions and contracts, and their results."""

from typing import Any, TypeAlias

import attrs

from ._base import Model

__all__ = [
    "AstGrepScorer",
    "BashScriptScorer",
    "CommandScorer",
    "CustomScorer",
    "PythonScriptScorer",
    "Scorer",
    "ScoringContract",
    "ScoringContractUpdate",
    "ScoringFunction",
    "TestBasedScorer",
    "TestFile",
    "UnknownScorer",
]


@attrs.frozen(kw_only=True, eq=False, repr=False)
class AstGrepScorer(Model):
    """Score by matching an ast-grep pattern (``type="ast_grep_scorer"``).

    Attributes:
        pattern: The ast-grep pattern (required). It is passed on a command line inside
            double quotes, so escape it accordingly.
        search_directory: The path to search (required).
        lang: Language of the pattern, default ``None``.
    """

    pattern: str
    search_directory: str
    lang: str | None = None
    type: str = "ast_grep_scorer"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class BashScriptScorer(Model):
    """Score with one bash script (``type="bash_script_scorer"``).

    Attributes:
        bash_script: Sets up, scores and prints ``score=<0.0..1.0>`` to stdout; default
            ``None``.
    """

    bash_script: str | None = None
    type: str = "bash_script_scorer"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class CommandScorer(Model):
    """Pass iff a command exits with status 0 (``type="command_scorer"``).

    Attributes:
        command: The command to run, default ``None``.
    """

    command: str | None = None
    type: str = "command_scorer"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class CustomScorer(Model):
    """Use a custom scorer registered via ``scenarios.scorers`` (``type="custom_scorer"``).

    Attributes:
        custom_scorer_type: The ``type`` of the registered scorer (required).
        scorer_params: Any JSON handed to the scorer as extra context, default ``None``.
    """

    custom_scorer_type: str
    scorer_params: Any = None
    type: str = "custom_scorer"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class PythonScriptScorer(Model):
    """Score with a Python script that prints a float in [0, 1] (``type="python_script_scorer"``).

    Attributes:
        python_script: The script (required). It runs in an isolated uv environment.
        python_version_constraint: Default ``None`` (the server uses ``==3.12.10``).
        requirements_contents: Contents of a requirements.txt, default ``None``.
    """

    python_script: str
    python_version_constraint: str | None = None
    requirements_contents: str | None = None
    type: str = "python_script_scorer"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class TestFile(Model):
    """A file written before a test-based scorer runs; both fields default to ``None``.

    Attributes:
        file_path: Path relative to the scenario's working directory.
        file_contents: The file's contents.
    """

    __test__ = False  # not a pytest test class

    file_path: str | None = None
    file_contents: str | None = None


@attrs.frozen(kw_only=True, eq=False, repr=False)
class TestBasedScorer(Model):
    """Write test files, then score by running a test command (``type="test_based_scorer"``).

    Attributes:
        test_command: The command that runs the tests, default ``None``.
        test_files: Files written before the command runs, default ``None``.
    """

    __test__ = False  # not a pytest test class

    test_command: str | None = None
    test_files: list[TestFile] | None = None
    type: str = "test_based_scorer"


@attrs.frozen(kw_only=True, eq=False, repr=False)
class UnknownScorer(Model):
    """A scorer whose ``type`` this SDK does not know; ``raw`` is the whole JSON object.

    It is sent back exactly as ``raw``, so scenarios made by newer tools survive a
    retrieve/update round trip.
    """

    type: str
    raw: dict[str, Any]


Scorer: TypeAlias = (
    AstGrepScorer
    | BashScriptScorer
    | CommandScorer
    | CustomScorer
    | PythonScriptScorer
    | TestBasedScorer
    | UnknownScorer
)
"""Any scorer; told apart by ``type`` on the wire."""


@attrs.frozen(kw_only=True, eq=False, repr=False)
class ScoringFunction(Model):
    """One weighted scoring function of a scoring contract.

    Attributes:
        name: Only ``[a-zA-Z0-9_-]``; echoed as
            ``ScoringFunctionResultView.scoring_function_name`` (required).
        scorer: How to score (required).
        weight: The weights of a contract's functions should add up to 1.0 (required).
    """

    name: str
    scorer: Scorer
    weight: float


@attrs.frozen(kw_only=True, eq=False, repr=False)
class ScoringContract(Model):
    """How runs of a scenario are scored: ``scoring_function_parameters`` (required)."""

    scoring_function_parameters: list[ScoringFunction]


@attrs.frozen(kw_only=True, eq=False, repr=False)
class ScoringContractUpdate(Model):
    """Update form of :class:`ScoringContract`; ``None`` (the default) keeps the old value."""

    scoring_function_parameters: list[ScoringFunction] | None = None
