"""Smoke test of an installed wheel: ``nox -s wheel`` runs it in a fresh venv holding
only the wheel and pytest, from a temporary directory (the checkout is not importable).

    python smoke_wheel.py CHECKOUT

CHECKOUT is read for the README and docs snippets, never imported from. Steps: the
package comes from site-packages with its ``py.typed``; ``runloop-async emulator``
serves; the README quickstarts (async and blocking) run against it; the examples'
quickstart runs; ``runloop-async demo`` runs the benchmark on the embedded emulator;
the pytest plugin's ``runloop_emulator`` fixture works under plain pytest, for a small
test of ours and for the testing snippets of the README and docs/testing.md.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

CHECKOUT = Path(sys.argv[1]).resolve()
HERE = Path.cwd()
BIN = Path(sys.executable).parent
PLACEHOLDER = '"scn_123"'

OWN_TEST = """\
import pytest

from runloop_async import AsyncRunloop, Runloop


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.mark.anyio
async def test_async_client_scores_a_run(runloop_emulator):
    scenario = runloop_emulator.add_scenario("smoke")
    async with AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url) as client:
        run = await client.scenarios.start_run(scenario_id=scenario["id"])
        scored = await client.scenarios.runs.score_and_await(run.id)
    assert scored.score == 1.0


def test_blocking_client_lists_runs(runloop_emulator):
    runloop_emulator.seed_runs(3)
    with Runloop(runloop_emulator.api_key, runloop_emulator.base_url) as client:
        assert len(list(client.scenarios.runs.list())) == 3
"""


def step(name: str) -> None:
    print(f"--- {name}", flush=True)


def run(argv: list[str], env: dict[str, str] | None = None, timeout: float = 120) -> str:
    """Run ``argv`` here; fail with its output unless it exits 0; return its stdout."""
    proc = subprocess.run(
        argv, cwd=HERE, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if proc.returncode != 0:
        sys.exit(f"{argv} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def python_blocks(page: Path, heading: str) -> list[str]:
    """The ``python`` blocks of ``page`` under the Markdown heading ``heading``."""
    text = page.read_text()
    start = text.index(f"\n{heading}\n")
    end = text.find("\n## ", start + len(heading) + 2)
    section = text[start : end if end >= 0 else len(text)]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def check_installed() -> None:
    step("the package is the installed wheel")
    import runloop_async

    where = Path(runloop_async.__file__).resolve()
    assert Path(sys.prefix).resolve() in where.parents, f"imported from {where}"
    assert "site-packages" in where.parts, f"not an installed copy: {where}"
    assert where.parent != CHECKOUT / "runloop_async", f"imported from the checkout: {where}"
    assert (where.parent / "py.typed").is_file(), "py.typed is missing from the wheel"
    from runloop_async.testing import EmulatorThread  # noqa: F401


def start_emulator() -> tuple[subprocess.Popen[str], dict[str, str]]:
    step("runloop-async emulator")
    proc = subprocess.Popen(
        [str(BIN / "runloop-async"), "emulator", "--port", "0"],
        cwd=HERE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUNLOOP_")}
    for _ in range(2):
        name, _, value = proc.stdout.readline().strip().partition("=")
        env[name] = value
    assert env.get("RUNLOOP_BASE_URL", "").startswith("http://"), env
    return proc, env


def seed_scenario(env: dict[str, str]) -> str:
    import anyio

    from runloop_async import (
        AsyncRunloop,
        CommandScorer,
        InputContext,
        ScoringContract,
        ScoringFunction,
    )

    tests = ScoringFunction(name="tests", scorer=CommandScorer(command="pytest -q"), weight=1.0)

    async def create() -> str:
        async with AsyncRunloop(env["RUNLOOP_API_KEY"], env["RUNLOOP_BASE_URL"]) as client:
            view = await client.scenarios.create(
                name="smoke",
                input_context=InputContext(problem_statement="Make the tests pass."),
                scoring_contract=ScoringContract(scoring_function_parameters=[tests]),
            )
            return view.id

    return anyio.run(create)


def check_quickstarts(env: dict[str, str]) -> None:
    scenario_id = seed_scenario(env)
    readme = CHECKOUT / "README.md"
    for heading in ("## Quickstart (async)", "## Quickstart (blocking)"):
        step(f"README {heading[3:]}")
        (code,) = python_blocks(readme, heading)
        if heading.endswith("(async)"):
            assert PLACEHOLDER in code, f"the README quickstart no longer uses {PLACEHOLDER}"
        script = HERE / "quickstart.py"
        script.write_text(code.replace(PLACEHOLDER, repr(scenario_id)))
        run([sys.executable, str(script)], env=env)
    step("examples/quickstart.py")
    script = HERE / "example_quickstart.py"
    script.write_text((CHECKOUT / "examples" / "quickstart.py").read_text())
    out = run([sys.executable, str(script)], env=env)
    assert "20 runs listed" in out, out


def stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, f"emulator exited {proc.returncode}: {err}"


def check_demo() -> None:
    step("runloop-async demo")
    started = time.monotonic()
    out = run([str(BIN / "runloop-async"), "demo", "--scenarios", "20", "--no-live", "--plain"])
    assert re.search(r"^20 scenarios\b.*\bpassed\b", out, re.M), out  # the totals line
    print(f"    demo took {time.monotonic() - started:.1f}s")


def check_pytest_plugin() -> None:
    step("the pytest plugin under plain pytest")
    (HERE / "test_own.py").write_text(OWN_TEST)
    files = ["test_own.py"]
    pages = [CHECKOUT / "README.md", *sorted((CHECKOUT / "docs").rglob("*.md"))]
    for page in pages:
        for i, code in enumerate(re.findall(r"```python\n(.*?)```", page.read_text(), re.S)):
            if re.search(r"def test_\w+\(runloop_emulator", code):
                name = f"test_snippet_{page.stem.lower()}_{i}.py"
                (HERE / name).write_text(code)
                files.append(name)
    assert len(files) >= 3, f"the README and docs/testing.md fixture snippets: {files}"
    argv = [sys.executable, "-m", "pytest", "-q", "-W", "error", "-p", "no:cacheprovider"]
    out = run([*argv, *files])
    print("    " + out.strip().splitlines()[-1])
    assert re.search(r"\b[1-9]\d* passed\b", out), out
    assert not re.search(r"skipped|xfail|failed", out), out


def main() -> None:
    check_installed()
    proc, env = start_emulator()
    try:
        check_quickstarts(env)
    finally:
        stop(proc)
    check_demo()
    check_pytest_plugin()
    print("wheel smoke test: ok")


if __name__ == "__main__":
    main()
