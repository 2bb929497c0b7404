"""The performance work of issue 7: fast converter hooks, lazy imports, transport details.

No timing here (timings live in benchmarks/, run by ``nox -s bench``); these tests pin
down that the faster paths behave exactly like the ones they replace.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import runloop_async
from runloop_async import AsyncRunloop
from runloop_async import _models as m
from runloop_async._converter import make_converter

FAST = make_converter()
DETAILED = make_converter(detailed=True)
STRICT_FAST = make_converter(strict=True)
STRICT_DETAILED = make_converter(strict=True, detailed=True)
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# Any JSON document: the input space of the converters.
json_values = st.recursive(
    st.sampled_from([None, True, False, 0, 1, -7, 2.0, 2.5, "", "x", "true"])
    | st.text(max_size=6)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)


TYPES: list[Any] = [
    str | None,
    int | None,
    float | None,
    bool | None,
    dict[str, str],
    dict[str, Any],
    dict[str, int],
    dict[str, str] | None,
    m.ScoringFunctionResultView | None,
    list[str] | None,
]


def _outcome(conv: Any, value: Any, cls: Any) -> tuple[bool, Any]:
    try:
        return True, conv.structure(value, cls)
    except Exception:
        return False, None


@pytest.mark.parametrize("cls", TYPES, ids=str)
@settings(max_examples=150, deadline=None)
@given(value=json_values)
def test_fast_hooks_accept_and_reject_like_the_detailed_converter(cls: Any, value: Any) -> None:
    fast = _outcome(FAST, value, cls)
    assert fast == _outcome(DETAILED, value, cls)
    if fast[0] and isinstance(value, dict):
        assert fast[1] is not value  # a structured dict is a copy, as cattrs makes


_VIEWS = {
    "scenario_run_scored": "ScenarioRunView", "scenario": "ScenarioView",
    "benchmark": "BenchmarkView", "benchmark_job": "BenchmarkJobView",
    "devbox": "DevboxView", "run_profile": "RunProfile",
}  # fmt: skip


def _mutated(fixture: str) -> st.SearchStrategy[Any]:
    """A real answer with one value (anywhere in it) replaced by arbitrary JSON, or removed."""
    original = json.loads((FIXTURES / fixture).read_text())

    def mutate(choice: int, value: Any, remove: bool) -> Any:
        data = copy.deepcopy(original)
        slots: list[tuple[Any, Any]] = []
        stack = [data]
        while stack:
            node = stack.pop()
            pairs = node.items() if isinstance(node, dict) else enumerate(node)
            for key, child in pairs:
                slots.append((node, key))
                if isinstance(child, (dict, list)):
                    stack.append(child)
        container, key = slots[choice % len(slots)]
        if remove and isinstance(container, dict):
            del container[key]
        else:
            container[key] = value
        return data

    return st.builds(mutate, st.integers(min_value=0), json_values, st.booleans())


@pytest.mark.parametrize(
    ("fixture", "cls"),
    # Nested models, tagged unions, renames and aliases, non-None defaults:
    [(f"{name}.json", getattr(m, view)) for name, view in _VIEWS.items()],
)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_generated_class_hooks_agree_with_the_detailed_converter(
    fixture: str, cls: type, data: st.DataObject
) -> None:
    value = data.draw(_mutated(fixture))
    assert _outcome(FAST, value, cls) == _outcome(DETAILED, value, cls)
    assert _outcome(STRICT_FAST, value, cls) == _outcome(STRICT_DETAILED, value, cls)


def test_fast_hooks_keep_values_and_types() -> None:
    assert FAST.structure({"a": "x"}, dict[str, str]) == {"a": "x"}
    assert FAST.structure({"a": 2.0}, dict[str, int]) == {"a": 2}
    assert FAST.structure(None, int | None) is None
    assert FAST.structure(3.0, int | None) == 3
    result = {"scoring_function_name": "t", "score": 1, "output": "", "state": "complete"}
    view = FAST.structure(result, m.ScoringFunctionResultView | None)
    assert view == m.ScoringFunctionResultView(
        scoring_function_name="t", score=1, output="", state="complete"
    )


def test_tagged_unions_still_win_over_the_optional_hook() -> None:
    raw = {"type": "brand_new_scorer", "x": 1}
    scorer = FAST.structure(raw, m.Scorer | None)
    assert type(scorer).__name__ == "UnknownScorer"


def _fresh_python(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_import_loads_neither_aiohttp_nor_the_runner() -> None:
    code = (
        "import sys, runloop_async\n"
        "print('aiohttp' in sys.modules, 'runloop_async._runner' in sys.modules)\n"
        "from runloop_async import run_benchmark\n"
        "print('runloop_async._runner' in sys.modules)\n"
    )
    assert _fresh_python(code).split() == ["False", "False", "True"]


def test_lazy_names_are_listed_and_are_the_real_objects() -> None:
    from runloop_async import _runner

    for name in ("BenchmarkRunner", "run_benchmark", "Totals", "select_shard"):
        assert name in dir(runloop_async)
        assert getattr(runloop_async, name) is getattr(_runner, name)
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = runloop_async.no_such_name  # type: ignore[attr-defined]


# Issue 15 (cold start): the benchmark-job models and resources load on first use.
_JOB_MODULES = ("runloop_async._models._benchmark_jobs", "runloop_async._resources.benchmark_jobs")
#: ... and so do those of benchmarks, benchmark runs and devboxes.
_LAZY_MODULES = (
    "runloop_async._models._benchmarks", "runloop_async._models._devboxes",
    "runloop_async._resources.benchmarks", "runloop_async._resources.benchmark_runs",
    "runloop_async._resources.devboxes",
)  # fmt: skip


def test_clients_and_the_converter_leave_the_unneeded_resource_modules_unloaded() -> None:
    code = (
        "import sys, runloop_async\n"
        "from runloop_async import AsyncRunloop, Runloop, ScenarioRunView, _converter\n"
        "_converter.get_converter()\n"
        "aclient = AsyncRunloop('k', 'http://127.0.0.1:1')\n"
        "client = Runloop('k', 'http://127.0.0.1:1')\n"
        f"mods = {_JOB_MODULES!r}\n"
        "print(*(m in sys.modules for m in mods))\n"
        "print(type(aclient.benchmark_jobs).__name__, type(client.benchmark_jobs).__name__)\n"
        "print(*(m in sys.modules for m in mods))\n"
        "print(client.benchmark_jobs is client.benchmark_jobs)\n"
        f"print(*(m in sys.modules for m in {_LAZY_MODULES!r}))\n"
        "print(type(client.devboxes).__name__, type(aclient.benchmarks).__name__)\n"
        "print(type(client.benchmark_runs).__name__, client.devboxes is client.devboxes)\n"
        f"print(*(m in sys.modules for m in {_LAZY_MODULES!r}))\n"
        "client.close()\n"
    )
    assert _fresh_python(code).split() == [
        "False", "False", "AsyncBenchmarkJobs", "BenchmarkJobs", "True", "True", "True",
        "False", "False", "False", "False", "False", "Devboxes", "AsyncBenchmarks",
        "BenchmarkRuns", "True", "True", "True", "True", "True", "True",
    ]  # fmt: skip


def test_a_converter_built_before_the_job_models_load_still_handles_their_unions() -> None:
    # The unions of the lazily loaded module are found by type on first use, in both
    # directions; unknown tags are kept, as for the unions registered up front.
    code = (
        "import sys\n"
        "from runloop_async import _converter as c\n"
        "conv = c.get_converter()\n"
        "assert 'runloop_async._models._benchmark_jobs' not in sys.modules\n"
        "from runloop_async import JobSource, AgentConfig, HarborJobSource\n"
        "known = c.structure({'type': 'harbor', 'inline_yaml': 'a: 1'}, JobSource)\n"
        "new = c.structure({'type': 'brand_new', 'x': 1}, JobSource)\n"
        "none = conv.structure(None, AgentConfig | None)\n"
        "print(type(known).__name__, type(new).__name__, new.type, none)\n"
        "print(c.unstructure(new) == {'type': 'brand_new', 'x': 1})\n"
        "from runloop_async import BenchmarkView\n"  # renamed by class name, loaded late
        "print(c.wire_names(BenchmarkView) == {'scenario_ids': 'scenarioIds'})\n"
        "print(conv.unstructure(known, JobSource) == {'type': 'harbor', 'inline_yaml': 'a: 1'})\n"
    )
    assert _fresh_python(code).split() == [
        "HarborJobSource", "UnknownJobSource", "brand_new", "None", "True", "True", "True",
    ]  # fmt: skip


def test_reading_a_scenario_run_loads_only_the_run_models() -> None:
    # What a script that retrieves or lists runs needs: _base, _runs and _states.
    code = (
        "import sys\n"
        "from runloop_async import AsyncRunloop, Runloop, ScenarioRunView, _converter\n"
        "AsyncRunloop('k', 'http://127.0.0.1:1')\n"
        "Runloop('k', 'http://127.0.0.1:1').close()\n"
        "run = {'id': 'r', 'scenario_id': 's', 'devbox_id': 'd', 'state': 'scored',\n"
        "       'metadata': {}, 'scoring_contract_result': {'score': 1.0,\n"
        "       'scoring_function_results': [{'scoring_function_name': 'f', 'score': 1,\n"
        "       'output': '', 'state': 'complete'}]}}\n"
        "_converter.structure(run, ScenarioRunView)\n"
        "_converter.structure_list([run], ScenarioRunView)\n"
        "print(*sorted(m.rsplit('.', 1)[1] for m in sys.modules\n"
        "      if m.startswith('runloop_async._models.')))\n"
    )
    assert _fresh_python(code).split() == ["_base", "_runs", "_states"]


def test_raw_responses_load_when_first_asked_for() -> None:
    # A script that only calls the API never builds a raw response: the module
    # loads with with_raw_response (or the public names), and they are the same.
    code = (
        "import sys\n"
        "import runloop_async\n"
        "client = runloop_async.AsyncRunloop('k', 'http://127.0.0.1:1')\n"
        "print('runloop_async._response' in sys.modules)\n"
        "client.scenarios.runs.with_raw_response\n"
        "print('runloop_async._response' in sys.modules)\n"
        "from runloop_async import _response\n"
        "print(runloop_async.RawRequest is _response.RawRequest,\n"
        "      runloop_async.APIResponse is _response.APIResponse)\n"
    )
    assert _fresh_python(code).split() == ["False", "True", "True", "True"]


def test_waits_and_managed_runs_load_their_helpers_on_first_use() -> None:
    code = (
        "import sys\n"
        "import runloop_async\n"
        "runloop_async.AsyncRunloop('k', 'http://127.0.0.1:1')\n"
        "helpers = ['_waiting', '_judges', '_steps', '_resources.managed']\n"
        "print(*[f'runloop_async.{m}' in sys.modules for m in helpers])\n"
        "from runloop_async import _resources, _steps\n"
        "print(runloop_async.Backoff is _steps.Backoff,\n"
        "      runloop_async.AsyncManagedRun is _resources.managed.AsyncManagedRun)\n"
    )
    assert _fresh_python(code).split() == ["False"] * 4 + ["True", "True"]


def test_pages_load_with_the_first_list_call() -> None:
    code = (
        "import sys\n"
        "import runloop_async\n"
        "client = runloop_async.AsyncRunloop('k', 'http://127.0.0.1:1')\n"
        "print('runloop_async._pager' in sys.modules)\n"
        "pager = client.scenarios.runs.list(limit=5)\n"  # no request until iterated
        "from runloop_async import _pager\n"
        "print(type(pager) is _pager.AsyncPager, runloop_async.Page is _pager.Page)\n"
    )
    assert _fresh_python(code).split() == ["False", "True", "True"]


def test_the_blocking_client_loads_pages_managed_runs_and_raw_responses_on_first_use() -> None:
    code = (
        "import sys\n"
        "import runloop_async\n"
        "client = runloop_async.Runloop('k', 'http://127.0.0.1:1')\n"
        "lazy = ['_steps', '_resources.managed', '_response', '_sync._raw', '_pager']\n"
        "print(*[f'runloop_async.{m}' in sys.modules for m in lazy])\n"
        "raw = client.scenarios.runs.with_raw_response\n"
        "print(type(raw).__name__, 'runloop_async._sync._raw' in sys.modules)\n"
        "print(runloop_async.SyncPage is sys.modules['runloop_async._sync._pager'].SyncPage)\n"
        "client.close()\n"
    )
    assert _fresh_python(code).split() == ["False"] * 5 + ["RawResponses", "True", "True"]


def test_a_converter_built_before_the_scorer_and_mount_models_load_handles_them() -> None:
    code = (
        "import sys\n"
        "from runloop_async import _converter as c\n"
        "c.get_converter()\n"
        "assert 'runloop_async._models._scoring' not in sys.modules\n"
        "from runloop_async import ScoringFunction, RunProfile, CommandScorer, AgentMount\n"
        "scorer = {'type': 'command_scorer', 'command': 'x'}\n"
        "fn = c.structure({'name': 'f', 'weight': 1, 'scorer': scorer}, ScoringFunction)\n"
        "new = c.structure({'name': 'f', 'weight': 1, 'scorer': {'type': 'new', 'a': 1}},\n"
        "                  ScoringFunction)\n"
        "profile = RunProfile(mounts=[AgentMount(agent_id='a')])\n"
        "print(type(fn.scorer).__name__, type(new.scorer).__name__, new.scorer.type)\n"
        "print(c.unstructure(new)['scorer'] == {'type': 'new', 'a': 1})\n"
        "print(c.unstructure(profile)['mounts'])\n"
    )
    assert _fresh_python(code).splitlines() == [
        "CommandScorer UnknownScorer new",
        "True",
        "[{'agent_id': 'a', 'agent_name': None, 'type': 'agent_mount'}]",
    ]


def test_models_of_lazy_modules_unpickle_in_a_process_that_has_not_loaded_them() -> None:
    import pickle

    from runloop_async import BenchmarkView, DevboxView, HarborJobSource

    models = [
        BenchmarkView(id="bmd_1", name="b", status="active", metadata={}, scenario_ids=[]),
        DevboxView(
            id="dbx_1", status="running", create_time_ms=1, capabilities=[],
            launch_parameters=None, metadata={}, state_transitions=[],
        ),
        HarborJobSource(inline_yaml="a: 1"),
    ]  # fmt: skip
    code = (
        "import pickle, sys, copy\n"
        f"models = pickle.loads({pickle.dumps(models)!r})\n"
        "print(*(type(x).__name__ for x in models), copy.deepcopy(models) == models)\n"
    )
    assert _fresh_python(code).split() == ["BenchmarkView", "DevboxView", "HarborJobSource", "True"]


def test_lazy_model_names_are_listed_and_are_the_real_objects() -> None:
    from runloop_async._models import _benchmark_jobs
    from runloop_async._resources.benchmark_jobs import AsyncBenchmarkJobs
    from runloop_async._sync._benchmark_jobs import BenchmarkJobs

    for name in ("BenchmarkJobView", "JobSource", "UnknownJobCreateSpec", "ScenarioOutcome"):
        assert name in dir(runloop_async)
        assert name in dir(m)
        assert getattr(runloop_async, name) is getattr(_benchmark_jobs, name)
        assert getattr(m, name) is getattr(_benchmark_jobs, name)
    assert runloop_async.AsyncBenchmarkJobs is AsyncBenchmarkJobs
    assert runloop_async.BenchmarkJobs is BenchmarkJobs
    assert set(m.__all__) <= set(dir(runloop_async))


@pytest.mark.anyio
async def test_a_retry_count_set_by_the_caller_is_sent_unchanged(runloop_emulator: Any) -> None:
    runloop_emulator.seed_runs(1)
    async with AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url) as client:
        page = await client.scenarios.runs.list()
        await client.scenarios.runs.retrieve(
            page.items[0].id, extra_headers={"X-Stainless-Retry-Count": "7"}
        )
    sent = [r.headers.get("x-stainless-retry-count") for r in runloop_emulator.requests]
    assert sent == ["0", "7"]


@pytest.mark.anyio
async def test_a_post_without_body_still_sends_a_zero_length(runloop_emulator: Any) -> None:
    runloop_emulator.seed_runs(1)
    async with AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url) as client:
        page = await client.scenarios.runs.list()
        await client.scenarios.runs.score(page.items[0].id)
    post = runloop_emulator.requests[-1]
    assert post.path.endswith("/score")
    assert post.headers.get("content-length") == "0"
    assert post.headers.get("user-agent", "").startswith("runloop-async/")


def test_closing_the_async_client_loads_no_anyio_backend_when_anyio_is_merely_imported() -> None:
    # A script that imports anyio (or the blocking client, which does) but uses
    # only AsyncRunloop: its close needs no anyio shield, so it must not load
    # anyio's asyncio backend (~8 ms, and the allocations that bring a collection).
    code = (
        "import asyncio, sys\n"
        "import anyio\n"
        "from runloop_async import APIConnectionError, AsyncRunloop\n"
        "async def main():\n"
        "    async with AsyncRunloop('k', 'http://127.0.0.1:1', max_retries=0) as client:\n"
        "        try:\n"
        "            await client.scenarios.runs.retrieve('r')\n"
        "        except APIConnectionError:\n"
        "            print('refused')\n"
        "asyncio.run(main())\n"
        "print('anyio._backends._asyncio' in sys.modules)\n"
    )
    assert _fresh_python(code).split() == ["refused", "False"]
