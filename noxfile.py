"""Developer and CI tasks. `nox` alone runs tests, lint and typecheck.

Sessions use the interpreter nox runs on (CI machines only have Python 3.11, and
nox fails on missing interpreters when CI is set).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True

#: pytest-xdist workers for the suite. It mostly waits on timers and sockets, so on
#: 2 cores 4 workers beat fewer (whole suite: 1 worker ~4.5 min, -n 2 137 s, -n 3 115 s,
#: -n 4 81 s, -n 6 89 s). ``-- -n 0`` (or any -n) after the session overrides it.
WORKERS = ("-n", "4")


@nox.session(python=False, name="tests-here")
def tests_here(session: nox.Session) -> None:
    """Run the tests in the current environment (no new venv)."""
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Install the package with its test and speedups extras; run the whole suite
    (on :data:`WORKERS` pytest-xdist workers)."""
    session.install("-e", ".[test,speedups,cli]")
    session.run("python", "-m", "pytest", *WORKERS, *session.posargs)


@nox.session(venv_backend="uv", reuse_venv=False)
def lowest(session: nox.Session) -> None:
    """The whole suite on the oldest versions pyproject.toml allows.

    A fresh venv each time (a reused one would keep newer versions installed):
    ``uv pip install --resolution lowest-direct`` picks the floor of every direct
    dependency and extra, so a floor that is not true fails here.
    """
    session.install("--resolution", "lowest-direct", "-e", ".[test,speedups,cli]")
    session.run("python", "-m", "pytest", *WORKERS, *session.posargs)


@nox.session(venv_backend="uv", reuse_venv=False)
def wheel(session: nox.Session) -> None:
    """Build the sdist and the wheel, install the wheel (only it and pytest) in a fresh
    venv, and smoke-test it from a temporary directory where the checkout is not
    importable: tests/packaging/smoke_wheel.py (emulator, README quickstarts, demo,
    the pytest plugin).
    """
    uv = shutil.which("uv")
    tmp = Path(tempfile.mkdtemp(prefix="runloop-wheel-"))
    try:
        dist = tmp / "dist"
        # uv builds the sdist, then the wheel from the sdist: a file missing from the
        # sdist fails here too.
        build = [uv] if uv else [sys.executable, "-m", "uv"]
        session.run(*build, "build", "--quiet", "--out-dir", str(dist), str(ROOT), external=True)
        (wheel_file,) = dist.glob("*.whl")
        session.install(str(wheel_file), "pytest")
        work = tmp / "work"
        work.mkdir()
        shutil.copy(ROOT / "tests" / "packaging" / "smoke_wheel.py", work)
        session.chdir(work)
        session.run("python", "-I", "smoke_wheel.py", str(ROOT))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package."""
    session.install("-e", ".[test,speedups,cli]", "mypy>=1.10")
    session.run("mypy", "--strict", "runloop_async")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site with ``mkdocs build --strict`` (warnings fail)."""
    session.install("-e", ".[docs]")
    site = session.create_tmp() + "/site"
    session.run("mkdocs", "build", "--strict", "--site-dir", site, env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session
def official(session: nox.Session) -> None:
    """Drive the official runloop-api-client 1.32.0 against the standalone emulator, and
    run the 1.x script corpus (tests/compat/scripts) unported with it."""
    session.install("-e", ".", "runloop-api-client==1.32.0")
    session.run("python", "tests_official/official_workflow.py")
    session.run("python", "tests_official/run_corpus.py")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmark suite (benchmarks/): ours vs a bare aiohttp client vs the official SDK.

    Never part of the default sessions. `nox -s bench -- --quick` is a short smoke run;
    the full run rewrites benchmarks/RESULTS.md.
    """
    session.install("-e", ".[speedups]", "runloop-api-client==1.32.0")
    session.run("python", "-m", "benchmarks", *session.posargs)
