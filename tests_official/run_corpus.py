"""Run the 1.x script corpus unported, with runloop-api-client 1.32.0, against the emulator.

Run by ``nox -s official``. A failure means a script is not real 1.x code (or the
emulator differs from the API); tests/compat/test_corpus.py runs the same scripts
ported to runloop-async.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "compat"))

from corpus import SCRIPTS, clean, run_script


def main() -> int:
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        for script in SCRIPTS:
            clean(Path(tmp))
            start = time.monotonic()
            proc = run_script(script, Path(tmp), port=False)
            ok = proc.returncode == 0 and f"OK {script.stem}" in proc.stdout
            print(f"{'ok  ' if ok else 'FAIL'} {script.stem} ({time.monotonic() - start:.1f} s)")
            if not ok:
                failed.append(script.stem)
                print(proc.stdout, proc.stderr, sep="\n")
    print(f"official 1.32.0 corpus: {len(SCRIPTS) - len(failed)}/{len(SCRIPTS)} passed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
