"""Model definitions: shape, defaults, constants and convenience properties."""

from __future__ import annotations

import inspect

import attrs
import pytest

from runloop_async import _models as m
from runloop_async._models import _states

#: The JSON models (``LogsArchive`` wraps a zip's bytes: positional, no to_dict).
MODEL_CLASSES = [
    obj
    for name in m.__all__
    if attrs.has(obj := getattr(m, name)) and inspect.isclass(obj) and obj is not m.LogsArchive
]
STATE_CLASSES = [getattr(_states, name) for name in _states.__all__]


def test_all_is_sorted_and_complete() -> None:
    assert list(m.__all__) == sorted(m.__all__)
    assert len(set(m.__all__)) == len(m.__all__)
    for name in m.__all__:
        assert hasattr(m, name), name


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda c: c.__name__)
def test_models_are_frozen_kw_only_slotted_and_documented(cls: type) -> None:
    assert cls.__doc__
    assert cls.__doc__.strip()
    assert "__slots__" in cls.__dict__
    params = inspect.signature(cls).parameters.values()
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params)
    for field in attrs.fields(cls):
        # optional fields default to None; only union tags (and the views' ``extra``
        # mapping of unknown keys) carry another default
        if field.default is not attrs.NOTHING and field.default is not None:
            assert field.name in ("type", "extra"), (cls, field.name)


def test_models_are_immutable() -> None:
    scorer = m.CommandScorer(command="pytest -q")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        scorer.command = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("cls", "tag"),
    [
        (m.AstGrepScorer, "ast_grep_scorer"),
        (m.BashScriptScorer, "bash_script_scorer"),
        (m.CommandScorer, "command_scorer"),
        (m.CustomScorer, "custom_scorer"),
        (m.PythonScriptScorer, "python_script_scorer"),
        (m.TestBasedScorer, "test_based_scorer"),
        (m.ObjectMount, "object_mount"),
        (m.AgentMount, "agent_mount"),
        (m.CodeMount, "code_mount"),
        (m.FileMount, "file_mount"),
        (m.BrokerMount, "broker_mount"),
        (m.HarborJobSource, "harbor"),
        (m.BenchmarkJobSource, "benchmark"),
        (m.ScenariosJobSource, "scenarios"),
        (m.ExternalApiAgentConfig, "external_api"),
        (m.JobAgentConfig, "job_agent"),
        (m.HarborJobCreateSpec, "harbor"),
        (m.BenchmarkJobCreateSpec, "benchmark"),
        (m.ScenariosJobCreateSpec, "scenarios"),
    ],
)
def test_union_variants_carry_their_tag(cls: type, tag: str) -> None:
    assert attrs.fields_dict(cls)["type"].default == tag


def test_simple_construction() -> None:
    scorer = m.CommandScorer(command="pytest -q")
    assert scorer.type == "command_scorer"
    fn = m.ScoringFunction(name="tests", scorer=scorer, weight=1.0)
    contract = m.ScoringContract(scoring_function_parameters=[fn])
    assert contract.scoring_function_parameters[0].scorer is scorer
    assert m.LaunchParameters() == m.LaunchParameters(architecture=None)
    assert m.RunProfile().env_vars is None


@pytest.mark.parametrize("cls", STATE_CLASSES, ids=lambda c: c.__name__)
def test_state_classes(cls: type) -> None:
    assert cls.__doc__
    values = {v for k, v in vars(cls).items() if k.isupper() and isinstance(v, str)}
    assert values
    assert values == cls.ALL  # type: ignore[attr-defined]
    for group in ("TERMINAL", "BOOTING"):
        if hasattr(cls, group):
            assert getattr(cls, group) <= cls.ALL  # type: ignore[attr-defined]


def test_state_values() -> None:
    assert set(m.ScenarioRunState.TERMINAL) == {"completed", "canceled", "timeout", "failed"}
    assert m.ScenarioRunState.SCORED not in m.ScenarioRunState.TERMINAL
    assert m.BenchmarkJobState.CANCELLED == "cancelled"
    assert m.ScenarioOutcomeState.COMPLETED == "COMPLETED"
    assert set(m.DevboxStatus.BOOTING) == {"provisioning", "initializing"}
    assert set(m.DevboxStatus.TERMINAL) == {"suspended", "failure", "shutdown"}
    assert set(m.ValidationType.ALL) == {"UNSPECIFIED", "FORWARD", "REVERSE", "EVALUATION"}
    assert m.ResourceSize.CUSTOM_SIZE == "CUSTOM_SIZE"
    assert m.Architecture.ARM64 == "arm64"


def _run(state: str, result: m.ScoringContractResultView | None = None) -> m.ScenarioRunView:
    return m.ScenarioRunView(
        id="scr_1",
        scenario_id="scn_1",
        devbox_id="dbx_1",
        state=state,
        metadata={},
        scoring_contract_result=result,
    )


def test_scenario_run_properties() -> None:
    assert _run("running").score is None
    assert not _run("running").is_terminal
    assert not _run("scored").is_terminal
    assert _run("completed").is_terminal
    assert not _run("brand_new_state").is_terminal
    result = m.ScoringContractResultView(score=0.25, scoring_function_results=[])
    assert _run("scored", result).score == 0.25
    assert _run("running").scorer_outputs == {}
    fns = [
        m.ScoringFunctionResultView(scoring_function_name=n, score=s, output=o, state="complete")
        for n, s, o in [("tests", 0.0, "2 failed"), ("lint", 1.0, "ok")]
    ]
    run = _run("scored", m.ScoringContractResultView(score=0.5, scoring_function_results=fns))
    assert run.scorer_outputs == {"tests": "2 failed", "lint": "ok"}


def test_other_terminal_properties() -> None:
    run = m.BenchmarkRunView(id="b", metadata={}, start_time_ms=1, state="canceled")
    assert run.is_terminal
    job = m.BenchmarkJobView(id="j", name="n", create_time_ms=1, state="cancelled")
    assert job.is_terminal
    box = m.DevboxView(
        id="d",
        status="running",
        create_time_ms=1,
        capabilities=[],
        launch_parameters=m.LaunchParameters(),
        metadata={},
        state_transitions=[],
    )
    assert box.is_running
    assert not box.is_terminal


def _attrs_reference(cls: type) -> type:
    """The same fields in a class whose ``==``, ``hash`` and ``repr`` attrs generates."""
    these = {
        f.name: attrs.field(default=f.default, repr=f.repr, eq=f.eq, kw_only=True)
        for f in attrs.fields(cls)
    }
    ref = attrs.frozen(these=these)(type(cls.__name__, (), {}))
    ref.__qualname__ = cls.__qualname__
    return ref


def _sample_kwargs(cls: type, mark: str) -> dict[str, object]:
    return {
        f.name: {"unknown": mark} if f.name == "extra" else f"{f.name}-{mark}"
        for f in attrs.fields(cls)
    }


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda c: c.__name__)
def test_eq_hash_and_repr_behave_as_attrs_generated_ones(cls: type) -> None:
    # Models declare eq=False, repr=False and inherit Model's (cheaper to define);
    # the behaviour must stay that of the methods attrs would have compiled.
    ref = _attrs_reference(cls)
    a, ref_a = cls(**_sample_kwargs(cls, "a")), ref(**_sample_kwargs(cls, "a"))
    assert repr(a) == repr(ref_a)
    for f in attrs.fields(cls):
        changed = {**_sample_kwargs(cls, "a"), f.name: _sample_kwargs(cls, "b")[f.name]}
        b, ref_b = cls(**changed), ref(**changed)
        assert (a == b) is (ref_a == ref_b), f.name
        assert (a != b) is (ref_a != ref_b), f.name
        assert repr(b) == repr(ref_b)
        if a == b:
            assert hash(a) == hash(b)
    assert a == cls(**_sample_kwargs(cls, "a"))
    assert hash(a) == hash(cls(**_sample_kwargs(cls, "a")))
    assert a.__eq__(ref_a) is NotImplemented
    assert "__eq__" not in cls.__dict__  # Model's, not a generated one


def test_repr_of_a_model_that_contains_itself_stops() -> None:
    inner: list[object] = []
    outer = m.ScoringContractResultView(score=1.0, scoring_function_results=inner)  # type: ignore[arg-type]
    inner.append(outer)
    assert repr(outer) == "ScoringContractResultView(score=1.0, scoring_function_results=[...])"
