"""Every code example in ``docs/`` runs here, against the emulator, so none can rot.

Each page is one test. Its ``python`` blocks run in order in one namespace (top-level
``await`` allowed, as in a notebook) that starts with ``scenario_id`` and
``benchmark_id`` naming objects seeded in the emulator; ``RUNLOOP_API_KEY`` and
``RUNLOOP_BASE_URL`` point the clients there. Functions named ``test_*`` that a page
defines are then called with the emulator, as pytest would. ``bash`` blocks run in
bash with the same variables (and ``SCENARIO_ID`` / ``BENCHMARK_ID``) and must exit 0.
A block right after a ``<!-- no-run -->`` line is only compiled (code for another
library, or an install command).
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
NO_RUN = "<!-- no-run -->"
_FENCE = re.compile(r"^```(\w+)?\s*$")


class Block:
    def __init__(self, lang: str, code: str, line: int, run: bool) -> None:
        self.lang, self.code, self.line, self.run = lang, code, line, run


def blocks_of(text: str) -> list[Block]:
    """The fenced blocks of a Markdown page, with their language and run flag."""
    out: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match is None or match.group(1) is None:
            i += 1
            continue
        previous = next((ln.strip() for ln in reversed(lines[:i]) if ln.strip()), "")
        end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
        code = "\n".join(lines[i + 1 : end]) + "\n"
        out.append(Block(match.group(1), code, i + 1, previous != NO_RUN))
        i = end + 1
    return out


PAGES = sorted(p for p in DOCS.rglob("*.md") if any(b.run for b in blocks_of(p.read_text())))


def test_the_docs_have_runnable_examples() -> None:
    names = {p.name for p in PAGES}
    assert {"index.md", "benchmarks.md", "testing.md", "migration.md", "cli.md"} <= names


def test_blocks_of_reads_fences_and_markers() -> None:
    text = "x\n```python\na = 1\n```\n<!-- no-run -->\n```bash\nrm -rf /\n```\n```\nplain\n```\n"
    got = [(b.lang, b.code, b.run) for b in blocks_of(text)]
    assert got == [("python", "a = 1\n", True), ("bash", "rm -rf /\n", False)]


def _run_python(block: Block, namespace: dict[str, Any], page: Path) -> None:
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    code = compile(block.code, f"{page.name}:{block.line}", "exec", flags=flags)
    if not block.run:
        return
    if code.co_flags & inspect.CO_COROUTINE:
        asyncio.run(eval(code, namespace))
    else:
        exec(code, namespace)


def _run_bash(block: Block, env: dict[str, str], cwd: Path, page: Path) -> None:
    if not block.run:
        return
    proc = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block.code],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, f"{page.name}:{block.line}\n{proc.stdout}\n{proc.stderr}"


def _seed(emulator: Any) -> dict[str, str]:
    scenario = emulator.add_scenario("docs-scenario")
    members = [emulator.add_scenario(f"docs-{i}")["id"] for i in range(3)]
    benchmark = emulator.add_benchmark("docs-benchmark", scenario_ids=members)
    return {"scenario_id": scenario["id"], "benchmark_id": benchmark["id"]}


def _call_defined_tests(namespace: dict[str, Any], emulator: Any) -> int:
    called = 0
    for name, fn in list(namespace.items()):
        if name.startswith("test_") and inspect.iscoroutinefunction(fn):
            asyncio.run(fn(emulator))
            called += 1
        elif name.startswith("test_") and callable(fn):
            fn(emulator)
            called += 1
    return called


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(DOCS)) for p in PAGES])
def test_page_examples_run(
    page: Path, runloop_emulator: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _seed(runloop_emulator)
    monkeypatch.setenv("RUNLOOP_API_KEY", runloop_emulator.api_key)
    monkeypatch.setenv("RUNLOOP_BASE_URL", runloop_emulator.base_url)
    monkeypatch.delenv("RUNLOOP_CUSTOM_HEADERS", raising=False)
    monkeypatch.chdir(tmp_path)
    env = dict(os.environ, SCENARIO_ID=ids["scenario_id"], BENCHMARK_ID=ids["benchmark_id"])
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    namespace: dict[str, Any] = {"__name__": "__docs__", **ids}
    ran = 0
    for block in blocks_of(page.read_text()):
        if block.lang == "python":
            _run_python(block, namespace, page)
        elif block.lang == "bash":
            _run_bash(block, env, tmp_path, page)
        else:
            continue
        ran += block.run
    ran += _call_defined_tests(namespace, runloop_emulator)
    assert ran > 0


def test_every_public_name_is_in_the_api_reference() -> None:
    import runloop_async
    import runloop_async.testing

    text = "\n".join(p.read_text() for p in (DOCS / "reference").glob("*.md"))
    documented = set(re.findall(r"^::: (runloop_async(?:\.testing)?\.\w+)\s*$", text, re.M))
    wanted = {f"runloop_async.{n}" for n in runloop_async.__all__ if n != "__version__"}
    wanted |= {f"runloop_async.testing.{n}" for n in runloop_async.testing.__all__}
    assert sorted(wanted - documented) == []


def test_the_api_reference_uses_public_paths() -> None:
    # Users' type hints follow the reference: a private path there (runloop_async._sync...)
    # would send them to names that may move. Only the error tree's module docstring is
    # rendered from its (private) module.
    text = "\n".join(p.read_text() for p in (DOCS / "reference").glob("*.md"))
    private = re.findall(r"^::: (runloop_async(?:\.\w+)*\._\w+(?:\.\w+)*)", text, re.M)
    assert [path for path in private if path != "runloop_async._exceptions"] == []


def test_the_docs_hook_drops_sphinx_roles() -> None:
    sys.path.insert(0, str(DOCS))
    try:
        from _hooks import tidy_roles  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(DOCS))
    html = ":class:<code>~runloop_async._x.Timeout</code> and :meth:<code>list()</code> :x:"
    assert tidy_roles(html) == "<code>Timeout</code> and <code>list()</code> :x:"
