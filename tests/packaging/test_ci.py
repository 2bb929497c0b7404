"""CI runs exactly the README's test command: the same sessions, in the same order,
nothing in the background and nothing else (a looser CI would pass what the README
promises is checked)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INSTALL = "python3 -m pip install -q nox uv"


def _readme_command() -> str:
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.DOTALL)
    commands = [line for block in blocks for line in block.splitlines() if INSTALL in line]
    assert len(commands) == 1, commands
    return commands[0].strip()


def _ci_lines() -> list[str]:
    text = (ROOT / ".ci" / "run").read_text()
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def test_ci_runs_the_readme_command_and_nothing_else() -> None:
    readme = _readme_command()
    assert readme.startswith(f"{INSTALL} && python3 -m nox -s tests ")
    lines = _ci_lines()
    assert readme in lines
    # Besides it, only the shell's preamble: no other session, nothing in the background.
    assert [line for line in lines if line != readme] == [
        "set -euo pipefail",
        'cd "$(dirname "$0")/.."',
    ]
    assert "&" not in readme.replace("&&", "")


def test_the_readme_command_runs_every_session_of_the_suite() -> None:
    sessions = _readme_command().split(" -s ", 1)[1].split()
    assert sessions == ["tests", "lint", "typecheck", "official", "docs", "lowest", "wheel"]
