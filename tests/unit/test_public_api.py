"""The flat public namespace: complete, documented, and free of private names."""

from __future__ import annotations

import inspect
import types

from structure_support import resource_tree

import runloop_async


def test_all_names_resolve_and_are_unique() -> None:
    names = runloop_async.__all__
    assert len(names) == len(set(names))
    for name in names:
        assert hasattr(runloop_async, name), name


def test_every_public_attribute_is_exported() -> None:
    exported = set(runloop_async.__all__)
    for name, value in vars(runloop_async).items():
        if name.startswith("_") or name == "annotations" or isinstance(value, types.ModuleType):
            continue
        assert name in exported, f"{name} is public but missing from __all__"


def test_every_public_class_and_function_has_a_docstring() -> None:
    for name in runloop_async.__all__:
        value = getattr(runloop_async, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"{name} has no docstring"


def test_public_methods_of_clients_have_docstrings() -> None:
    client_cls = runloop_async.AsyncRunloop
    for name, member in inspect.getmembers(client_cls):
        if not name.startswith("_") and callable(member):
            assert inspect.getdoc(member), f"AsyncRunloop.{name} has no docstring"


def test_version_is_a_string() -> None:
    assert runloop_async.__version__.count(".") >= 2


def test_no_aiohttp_import_outside_transport() -> None:
    import pathlib

    root = pathlib.Path(runloop_async.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "testing" not in path.parts
        and path.name != "_http.py"
        and ("import aiohttp" in path.read_text() or "from aiohttp" in path.read_text())
    ]
    assert offenders == []


def test_public_functions_and_resource_methods_say_what_they_raise() -> None:
    client = runloop_async.AsyncRunloop("k", base_url="http://127.0.0.1:1")
    resources = resource_tree(client).values()
    assert len(resources) >= 7
    methods = [
        getattr(r, n) for r in resources for n in dir(r)
        if not n.startswith("_") and inspect.ismethod(getattr(r, n))
    ]  # fmt: skip
    functions = [
        getattr(runloop_async, n)
        for n in runloop_async.__all__
        if inspect.isfunction(getattr(runloop_async, n))
    ]
    lacking = [f.__qualname__ for f in methods + functions if "Raises" not in inspect.getdoc(f)]
    assert len(methods) > 40
    assert lacking == []


def test_resource_and_page_classes_are_exported_for_type_hints() -> None:
    # Users annotate with these (``runs: AsyncRuns``); the API reference documents them
    # under these public paths, never under runloop_async._resources / _sync.
    async_client = runloop_async.AsyncRunloop("k", base_url="http://127.0.0.1:9")
    with runloop_async.Runloop("k", base_url="http://127.0.0.1:9") as client:
        tree = {
            **resource_tree(async_client),
            **{f"sync {p}": r for p, r in resource_tree(client).items()},
        }
    assert len(tree) == 14
    for path, resource in tree.items():
        cls = type(resource)
        assert cls.__name__ in runloop_async.__all__, path
        assert getattr(runloop_async, cls.__name__) is cls
    for name in ("AsyncPager", "Page", "SyncPage", "BasePage", "PageInfo"):
        assert name in runloop_async.__all__


def test_lazy_model_table_lists_each_module_exactly() -> None:
    # The table names what a lazily loaded model module exports without importing it;
    # a name added to a module's __all__ but not to the table would not be reachable.
    import importlib

    from runloop_async import _models

    for module_name, names in _models._LAZY_MODULES.items():
        module = importlib.import_module(module_name, _models.__name__)
        assert tuple(sorted(module.__all__)) == tuple(sorted(names)), module_name
        for name in names:
            assert getattr(_models, name) is getattr(module, name)
