"""The blocking facade mirrors the async surface exactly, method for method.

The walk starts from a live ``AsyncRunloop`` and follows every public attribute that
is a resource, so methods and resources added later are covered without editing
this file.
"""

from __future__ import annotations

import builtins
import inspect
import typing
from collections.abc import Awaitable, Coroutine, Iterator
from typing import Any

import attrs
import pytest

import runloop_async
from runloop_async import (
    AsyncManagedRun,
    AsyncPager,
    AsyncRunloop,
    ManagedRun,
    Runloop,
    SyncPage,
)
from runloop_async._resources._base import Resource
from runloop_async._sync import SyncResource

KEY = "test-key"
URL = "http://127.0.0.1:9"


def _public_resources(obj: object) -> dict[str, object]:
    return {
        name: getattr(obj, name)
        for name in dir(obj)
        if not name.startswith("_") and isinstance(getattr(obj, name, None), Resource)
    }


def _walk(async_obj: object, sync_obj: object, path: str) -> Iterator[tuple[str, Any, Any]]:
    """Yield (path, async resource, sync twin) for every resource under the clients."""
    for name, async_res in _public_resources(async_obj).items():
        sub = f"{path}.{name}"
        assert hasattr(sync_obj, name), f"Runloop{sub} is missing"
        sync_res = getattr(sync_obj, name)
        assert isinstance(sync_res, SyncResource), f"Runloop{sub} is not a sync resource"
        yield sub, async_res, sync_res
        yield from _walk(async_res, sync_res, sub)


def _public_methods(cls: type) -> dict[str, Any]:
    return {
        name: member
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


class _Names(dict[str, Any]):
    """Names for evaluating annotation strings; string type aliases (``TimeoutLike``)
    are evaluated too, which ``inspect.signature(eval_str=True)`` cannot do."""

    def __init__(self, module_globals: dict[str, Any]) -> None:
        super().__init__()
        self._globals = module_globals

    def __missing__(self, key: str) -> Any:
        if key in self._globals:
            value = self._globals[key]
        elif hasattr(builtins, key):
            value = getattr(builtins, key)
        elif key in runloop_async.__all__:
            # A model a module imports for type checkers only: it loads on first use.
            value = getattr(runloop_async, key)
        else:
            raise KeyError(key)
        if isinstance(value, str):
            value = eval(value, {}, _Names({**vars(runloop_async), **self._globals}))
        return value


def _evaluate(annotation: Any, fn: Any) -> Any:
    if not isinstance(annotation, str):
        return annotation
    return eval(annotation, {}, _Names(fn.__globals__))


def _signature(fn: Any) -> tuple[list[tuple[str, Any, Any, Any]], Any]:
    """(name, kind, default, evaluated annotation) per parameter, and the return type."""
    sig = inspect.signature(fn)
    params = [
        (p.name, p.kind, p.default, _evaluate(p.annotation, fn)) for p in sig.parameters.values()
    ]
    return params, _evaluate(sig.return_annotation, fn)


def _sync_return(annotation: Any) -> Any:
    """The return annotation the sync twin must have for an async one."""
    if typing.get_origin(annotation) is AsyncPager:
        (item,) = typing.get_args(annotation)
        return SyncPage[item]  # type: ignore[valid-type]
    if annotation is AsyncRunloop:
        return Runloop
    if annotation is AsyncManagedRun:
        return ManagedRun
    return annotation


@pytest.fixture(scope="module")
def pairs() -> Iterator[list[tuple[str, Any, Any]]]:
    async_client = AsyncRunloop(KEY, URL)
    with Runloop(KEY, URL) as client:
        found = [("", async_client, client), *_walk(async_client, client, "")]
        yield found


def test_every_resource_path_has_a_twin(pairs: list[tuple[str, Any, Any]]) -> None:
    paths = {path for path, _, _ in pairs}
    # The known surface, as a floor: the walk must at least find these.
    assert {
        "",
        ".scenarios",
        ".scenarios.runs",
        ".scenarios.scorers",
        ".benchmarks",
        ".benchmark_runs",
        ".benchmark_jobs",
        ".devboxes",
    } <= paths


def test_every_async_method_has_a_sync_twin_with_the_same_signature(
    pairs: list[tuple[str, Any, Any]],
) -> None:
    problems: list[str] = []
    checked = 0
    for path, async_obj, sync_obj in pairs:
        for name, async_fn in _public_methods(type(async_obj)).items():
            where = f"Runloop{path}.{name}"
            checked += 1
            sync_fn = getattr(type(sync_obj), name, None)
            if not inspect.isfunction(sync_fn):
                problems.append(f"{where} is missing")
                continue
            if inspect.iscoroutinefunction(sync_fn):
                problems.append(f"{where} is async")
            if not inspect.getdoc(sync_fn):
                problems.append(f"{where} has no docstring")
            a_params, a_ret = _signature(async_fn)
            s_params, s_ret = _signature(sync_fn)
            if s_params != a_params:
                problems.append(f"{where} parameters differ: {s_params} != {a_params}")
            if s_ret != _sync_return(a_ret):
                problems.append(f"{where} returns {s_ret!r}, expected {_sync_return(a_ret)!r}")
    assert problems == []
    assert checked >= 40


def test_sync_resources_add_no_public_method_of_their_own(
    pairs: list[tuple[str, Any, Any]],
) -> None:
    for path, async_obj, sync_obj in pairs:
        extra = set(_public_methods(type(sync_obj))) - set(_public_methods(type(async_obj)))
        assert extra == set(), f"Runloop{path} has methods its async twin lacks: {extra}"


def test_client_properties_are_mirrored() -> None:
    for name, member in inspect.getmembers(AsyncRunloop):
        if not name.startswith("_") and isinstance(member, property):
            assert isinstance(getattr(Runloop, name, None), property), name
    assert _signature(Runloop.__init__) == _signature(AsyncRunloop.__init__)


def _is_model_type(annotation: Any) -> bool:
    if typing.get_origin(annotation) is SyncPage:
        (item,) = typing.get_args(annotation)
        return attrs.has(item)
    return attrs.has(annotation) or annotation in (int, None, type(None), Runloop, ManagedRun)


def test_sync_methods_return_models_not_awaitables(pairs: list[tuple[str, Any, Any]]) -> None:
    for path, _, sync_obj in pairs:
        for name, fn in _public_methods(type(sync_obj)).items():
            _, ret = _signature(fn)
            origin = typing.get_origin(ret) or ret
            where = f"Runloop{path}.{name} -> {ret!r}"
            assert origin not in (Awaitable, Coroutine, AsyncPager), where
            assert _is_model_type(ret), where


def test_sync_bodies_only_forward() -> None:
    """Each sync resource method is one ``return self._call/_paged/_managed(...)``."""
    import ast
    import textwrap

    for cls in SyncResource.__subclasses__():
        for name, fn in _public_methods(cls).items():
            tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
            func = tree.body[0]
            assert isinstance(func, ast.FunctionDef)
            body = [s for s in func.body if not isinstance(s, ast.Expr)]  # drop docstring
            assert len(body) == 1, f"{cls.__name__}.{name}"
            stmt = body[0]
            assert isinstance(stmt, ast.Return), f"{cls.__name__}.{name}"
            call = stmt.value
            assert isinstance(call, ast.Call), f"{cls.__name__}.{name}"
            assert isinstance(call.func, ast.Attribute), f"{cls.__name__}.{name}"
            assert call.func.attr in ("_call", "_paged", "_managed"), f"{cls.__name__}.{name}"
            target = call.args[0]
            assert isinstance(target, ast.Attribute), f"{cls.__name__}.{name}"
            assert target.attr == name, f"{cls.__name__}.{name} forwards to {target.attr}"
