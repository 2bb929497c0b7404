"""``python -m runloop_async.testing`` as a script: bad ports are one line, not a traceback."""

from __future__ import annotations

import socket
import subprocess
import sys


def test_a_port_in_use_is_one_line_and_exit_3() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "runloop_async.testing", "--port", str(port)],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert done.returncode == 3
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0
    assert "cannot serve" in done.stderr
