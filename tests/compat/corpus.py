"""Run the 1.x script corpus (``scripts/``) against a fresh emulator, ported or not.

Used by ``test_corpus.py`` (ported to runloop_async, in the test suite) and by
``tests_official/run_corpus.py`` (unported, with runloop-api-client 1.32.0 installed, in
the ``official`` nox session), so both run exactly the same scripts the same way.

The port is the mechanical import mapping of docs/migration.md and nothing else:

    from runloop_api_client import X              -> from runloop_async import X
    from runloop_api_client.lib.polling import X  -> from runloop_async import X
    from runloop_api_client.<anything> import X   -> from runloop_async import X
    import runloop_api_client     -> import runloop_async as runloop_api_client

A script may ask for emulator settings in a first-lines comment:
``# corpus: devbox_boot_delay=2 scoring_delay=0.5``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from runloop_async.testing import EmulatorConfig, EmulatorThread

__all__ = ["SCRIPTS", "port_source", "run_script"]

SCRIPTS_DIR = Path(__file__).resolve().parent / "scripts"
#: The corpus: every script but the shared helpers.
SCRIPTS = sorted(p for p in SCRIPTS_DIR.glob("*.py") if p.name != "corpus_helpers.py")
#: Emulator delays unless a script asks for others.
DEFAULTS = {"scoring_delay": 0.1, "devbox_boot_delay": 0.1, "job_step_delay": 0.05}
TIMEOUT = 120.0

_FROM = re.compile(r"^(\s*)from runloop_api_client(?:\.[\w.]+)? import ", re.MULTILINE)
_IMPORT = re.compile(r"^(\s*)import runloop_api_client\s*$", re.MULTILINE)
_SETTINGS = re.compile(r"^# corpus: (.*)$", re.MULTILINE)


def port_source(text: str) -> str:
    """Rewrite a 1.x script's imports to runloop_async; nothing else changes (pure)."""
    text = _FROM.sub(r"\1from runloop_async import ", text)
    return _IMPORT.sub(r"\1import runloop_async as runloop_api_client", text)


def settings_of(text: str) -> dict[str, float]:
    """The emulator settings a script asks for, over the defaults (pure)."""
    settings = dict(DEFAULTS)
    match = _SETTINGS.search(text)
    for item in match.group(1).split() if match else []:
        key, _, value = item.partition("=")
        settings[key] = float(value)
    return settings


def run_script(
    script: Path, workdir: Path, *, port: bool, python: str = sys.executable
) -> subprocess.CompletedProcess[str]:
    """Copy the corpus into ``workdir`` (ported if asked), serve a fresh emulator with
    the script's settings, run the script there, and return the finished process."""
    for source in SCRIPTS_DIR.glob("*.py"):
        text = source.read_text()
        (workdir / source.name).write_text(port_source(text) if port else text)
    config = EmulatorConfig(**settings_of(script.read_text()))  # type: ignore[arg-type]
    with EmulatorThread(config) as emulator:
        env = {
            **os.environ,
            "RUNLOOP_BASE_URL": emulator.base_url,
            "RUNLOOP_API_KEY": emulator.api_key,
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        for name in ("RUNLOOP_LOG", "RUNLOOP_CUSTOM_HEADERS", "PYTHONPATH"):
            env.pop(name, None)
        return subprocess.run(
            [python, "-W", "error::ResourceWarning", script.name],
            cwd=workdir, env=env, capture_output=True, text=True, timeout=TIMEOUT,
        )  # fmt: skip


def clean(workdir: Path) -> None:
    """Empty ``workdir`` for the next script."""
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
