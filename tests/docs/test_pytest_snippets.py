"""The test modules shown in the README and docs/ run as written under plain pytest.

test_doc_examples.py calls the ``test_*`` functions of a page itself; that cannot
catch a snippet that pytest would not run (an ``async def`` test without a marker, a
missing import). Here every ``python`` block that defines a test taking the
``runloop_emulator`` fixture is written to a file and run by pytest in a child process,
with the plugin found through the package's ``pytest11`` entry point (or ``-p`` when
the package runs from a checkout without it). ``nox -s wheel`` runs the same blocks
in a venv that has only the wheel and pytest.
"""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from test_doc_examples import blocks_of

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
PLUGIN = "runloop_async.testing._pytest_plugin"


def fixture_tests(page: Path) -> list[str]:
    """The python blocks of ``page`` that define a test using the emulator fixture."""
    return [
        b.code
        for b in blocks_of(page.read_text())
        if b.lang == "python" and re.search(r"def test_\w+\(runloop_emulator", b.code)
    ]


SNIPPETS = [(page, i, code) for page in PAGES for i, code in enumerate(fixture_tests(page))]


def test_the_readme_and_the_testing_page_show_fixture_tests() -> None:
    assert {page.name for page, _, _ in SNIPPETS} >= {"README.md", "testing.md"}


def _plugin_args() -> list[str]:
    registered = any(ep.value == PLUGIN for ep in entry_points(group="pytest11"))
    return [] if registered else ["-p", PLUGIN]


@pytest.mark.parametrize(
    ("page", "index", "code"), SNIPPETS, ids=[f"{p.name}-{i}" for p, i, _ in SNIPPETS]
)
def test_snippet_runs_under_plain_pytest(page: Path, index: int, code: str, tmp_path: Path) -> None:
    module = tmp_path / f"test_{page.stem.lower()}_{index}.py"
    module.write_text(code)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-W", "error", "-p", "no:cacheprovider",
         *_plugin_args(), "--rootdir", str(tmp_path), str(module)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, f"{page.name}\n{proc.stdout}\n{proc.stderr}"
    defined = len(re.findall(r"^(?:async )?def test_", code, re.M))
    assert f"{defined} passed" in proc.stdout, proc.stdout
