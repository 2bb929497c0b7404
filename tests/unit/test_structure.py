"""The house layout, as CONTRIBUTING.md draws it: checked so it stays true.

- every module has an ``__all__`` whose names exist and that lists every public-looking
  name the module defines;
- every resource has one module of the same stem in each layer: ``_resources/<stem>.py``
  (async), ``_sync/_<stem>.py`` (blocking) and ``testing/_h_<stem>.py`` (the emulator's
  handlers, registered in the one router table);
- modules stay under about 400 lines.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from structure_support import resource_tree

import runloop_async
from runloop_async import AsyncRunloop, Runloop
from runloop_async.testing import _server
from runloop_async.testing._router import Router

ROOT = Path(runloop_async.__file__).parent
MODULE_FILES = sorted(ROOT.rglob("*.py"))

#: Resource stem (the last name of its path) -> its attribute path on a client.
RESOURCES = {
    path.rsplit(".", 1)[-1]: path
    for path in resource_tree(AsyncRunloop("k", base_url="http://127.0.0.1:9"))
}
#: Modules of ``_resources/`` and ``_sync/`` that are not a resource, and why.
NOT_RESOURCES = {
    "__init__": "the package",
    "_base": "the shared base class",
    "_checked": "argument checks wrapped around every resource method",
    "managed": "AsyncManagedRun, the context manager scenarios.managed_run returns",
    "_managed": "ManagedRun, the blocking twin of AsyncManagedRun",
    "_client": "Runloop, the blocking client",
    "_pager": "SyncPage",
    "_portal": "LoopThread, the blocking facade's loop thread",
    "_teardown": "how the loop thread's loop ends (its executor's threads joined)",
    "_raw": "with_raw_response of the blocking resources",
}
MAX_LINES = 400
#: Modules allowed past MAX_LINES, with the reason. Keep this short.
LONG_MODULES: dict[str, str] = {}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _public_definitions(tree: ast.Module) -> list[str]:
    """Names a module defines at top level that do not start with ``_``.

    Type variables and a module's logger are not exports, so they are left out.
    """
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            call = node.value if isinstance(node.value, ast.Call) else None
            called = call and (getattr(call.func, "id", None) or getattr(call.func, "attr", None))
            if called in ("TypeVar", "ParamSpec", "getLogger"):
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.extend(t.id for t in targets if isinstance(t, ast.Name))
    return [name for name in names if not name.startswith("_")]


@pytest.mark.parametrize("path", MODULE_FILES, ids=lambda p: _module_name(p))
def test_module_all_exists_and_covers_its_public_names(path: Path) -> None:
    module = importlib.import_module(_module_name(path))
    exported = getattr(module, "__all__", None)
    assert isinstance(exported, list | tuple), f"{module.__name__} has no __all__"
    assert len(set(exported)) == len(exported), "a name is listed twice"
    assert [name for name in exported if not hasattr(module, name)] == []
    defined = _public_definitions(ast.parse(path.read_text(encoding="utf-8")))
    assert [name for name in defined if name not in exported] == []


@pytest.mark.parametrize("path", MODULE_FILES, ids=lambda p: _module_name(p))
def test_modules_stay_under_the_size_limit(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    name = _module_name(path)
    assert lines <= MAX_LINES or name in LONG_MODULES, f"{name}: {lines} lines"


def test_long_module_exceptions_are_still_needed() -> None:
    sizes = {_module_name(p): len(p.read_text(encoding="utf-8").splitlines()) for p in MODULE_FILES}
    assert [name for name in LONG_MODULES if sizes.get(name, 0) <= MAX_LINES] == []


def test_the_seven_resources_are_found() -> None:
    assert len(RESOURCES) >= 7
    assert {"scenarios", "runs", "scorers", "devboxes"} <= set(RESOURCES)


@pytest.mark.parametrize("stem", RESOURCES)
def test_each_resource_has_one_module_of_its_stem_in_every_layer(stem: str) -> None:
    assert (ROOT / "_resources" / f"{stem}.py").is_file()
    assert (ROOT / "_sync" / f"_{stem}.py").is_file()
    assert (ROOT / "testing" / f"_h_{stem}.py").is_file()
    async_resource = resource_tree(AsyncRunloop("k", base_url="http://127.0.0.1:9"))[
        RESOURCES[stem]
    ]
    assert type(async_resource).__module__ == f"runloop_async._resources.{stem}"
    with Runloop("k", base_url="http://127.0.0.1:9") as client:
        sync_resource = resource_tree(client)[RESOURCES[stem]]
    assert type(sync_resource).__module__ == f"runloop_async._sync._{stem}"


def test_no_module_in_the_resource_layers_but_resources_and_known_helpers() -> None:
    stems = {*RESOURCES, *(f"_{stem}" for stem in RESOURCES)}
    for layer in ("_resources", "_sync"):
        strays = [p.stem for p in (ROOT / layer).glob("*.py") if p.stem not in stems]
        assert [s for s in strays if s not in NOT_RESOURCES] == [], layer


def test_the_router_table_registers_one_handler_module_per_resource() -> None:
    names = [module.__name__.rsplit(".", 1)[1] for module in _server.HANDLER_MODULES]
    assert sorted(names) == sorted(f"_h_{stem}" for stem in RESOURCES)
    on_disk = sorted(p.stem for p in (ROOT / "testing").glob("_h_*.py"))
    assert on_disk == sorted(names)


def test_handler_modules_register_only_their_own_routes() -> None:
    # A handler module that registered another's routes (as _h_benchmarks once did for
    # benchmark jobs) would hide where a route lives: each route comes from one module.
    seen: dict[str, str] = {}
    for module in _server.HANDLER_MODULES:
        router = Router()
        module.register(router)
        for route in router._routes:
            assert route.name not in seen, (route.name, seen.get(route.name), module.__name__)
            seen[route.name] = module.__name__
    assert sorted(seen) == sorted(route.name for route in _server.build_router()._routes)


#: The layers of CONTRIBUTING.md, top to bottom, by top-level module or package.
#: A module imports (at module level) only from its own layer, a lower one, or BESIDE.
LAYERS = (
    ("__init__", "__main__", "_cli", "_runner", "_eval"),  # namespace and applications
    ("_client", "_sync"),  # the clients
    ("_resources", "_raw"),  # the resources
    ("_core", "_retry", "_waiting", "_judges", "_steps", "_scope", "_pager", "_response"),  # core
    # transport
    ("_http", "_request", "_body", "_reading", "_readtimer", "_slots", "_copy", "_autoclose"),
)
#: Used by every layer; they import only each other.
BESIDE = (
    "_models", "_converter", "_converter_gen", "_converter_hooks", "_config",
    "_exceptions", "_validate", "_jsonlib", "_version", "_lazy", "_converter_unions",
    "_attrs_methods", "_collector",
)  # fmt: skip


def _top(module: str) -> str:
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def _module_level_imports(path: Path) -> set[str]:
    """Top-level names of runloop_async imported by ``path`` outside functions and
    ``if TYPE_CHECKING:`` (deferred imports are how a cycle is broken on purpose)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            targets = [".".join([*base, node.module])] if node.module else [
                ".".join([*base, alias.name]) for alias in node.names
            ]  # fmt: skip
            found.update(_top(t) for t in targets)
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [
                alias.name for alias in node.names
            ]  # fmt: skip
            found.update(_top(n) for n in names if n.startswith("runloop_async"))
    return found


def test_every_top_level_module_has_a_layer() -> None:
    tops = {_top(_module_name(p)) for p in MODULE_FILES} - {"testing"}
    placed = {name for layer in LAYERS for name in layer} | set(BESIDE)
    assert sorted(tops - placed) == []


@pytest.mark.parametrize("path", MODULE_FILES, ids=lambda p: _module_name(p))
def test_imports_flow_down_the_layers(path: Path) -> None:
    top = _top(_module_name(path))
    imported = _module_level_imports(path) - {top}
    if top == "testing":
        # The emulator is separate: it imports nothing from the client.
        assert imported == set()
        return
    if top in BESIDE:
        assert sorted(imported - set(BESIDE)) == []
        return
    level = next(i for i, layer in enumerate(LAYERS) if top in layer)
    allowed = {name for layer in LAYERS[level:] for name in layer} | set(BESIDE)
    assert sorted(imported - allowed) == []
