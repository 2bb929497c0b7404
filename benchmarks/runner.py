"""Runs the whole suite: server, samples in fresh processes, statistics, report.

``python -m benchmarks`` (what ``nox -s bench`` runs). Samples are interleaved (each
repeat runs every workload of every implementation once) so slow drift of the machine
spreads over all of them instead of biasing one.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
import time
from pathlib import Path
from typing import Any

from .payloads import run_id
from .procs import Where, cpus, emulator, server
from .registry import IMPLS, IMPORTS, PROFILED, STARTUP, WORKLOADS, WorkloadSpec

__all__ = ["main"]

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
SCRATCH = HERE / ".results"

_IMPORT_SNIPPET = """
import os, sys, time
if {cpu} >= 0 and hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {{{cpu}}})
started = time.perf_counter()
for name in sys.argv[1:]:
    __import__(name)
print(time.perf_counter() - started)
"""


#: The run a cold-start sample retrieves.
COLD_RUN_ID = run_id(5)


def _sample_cmd(
    spec: WorkloadSpec, impl: str, workload: str, url: str, cpu: int | None
) -> list[str]:
    if spec.kind == "cold":
        cmd = [sys.executable, "-m", "benchmarks.cold", impl, url, COLD_RUN_ID]
    else:
        cmd = [sys.executable, "-m", "benchmarks.sample", impl, workload, url]
    return cmd + (["--cpu", str(cpu)] if cpu is not None else [])


def _run(cmd: list[str], what: str) -> str:
    out = subprocess.run(
        cmd, capture_output=True, text=True, cwd=HERE.parent, check=False, timeout=600
    )
    if out.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{out.stderr[-3000:]}")
    return out.stdout


def _invoke(impl: str, workload: str, where: Where, *extra: str) -> tuple[str, dict[str, int]]:
    """Run one sample process (``extra``: more arguments for it); return its output and,
    for a runner workload, how many requests each route of its emulator received.

    A runner workload gets a fresh emulator process of its own, pinned to the server core.
    """
    spec = WORKLOADS[workload]
    what = f"{impl} {workload}"
    if spec.kind == "runner":
        with emulator(spec.scenarios, where.server_cpu) as (url, benchmark_id, counts):
            cmd = _sample_cmd(spec, impl, workload, url, where.client_cpu)
            out = _run([*cmd, "--benchmark-id", benchmark_id, *extra], what)
        return out, counts
    cmd = _sample_cmd(spec, impl, workload, where.url, where.client_cpu)
    return _run([*cmd, *extra], what), {}


def run_sample(impl: str, workload: str, where: Where) -> dict[str, Any]:
    """One sample in a fresh interpreter."""
    cold = WORKLOADS[workload].kind == "cold"
    out, counts = _invoke(
        impl, workload, where, *(["--spawned", repr(time.time())] if cold else [])
    )
    sample = dict(json.loads(out.strip().splitlines()[-1]))
    if counts:
        sample["requests"] = counts
    return sample


def import_sample(modules: tuple[str, ...], cpu: int | None) -> float:
    """Seconds to import ``modules`` in a fresh interpreter."""
    code = _IMPORT_SNIPPET.format(cpu=-1 if cpu is None else cpu)
    out = subprocess.run(
        [sys.executable, "-c", code, *modules],
        capture_output=True, text=True, check=True, cwd=HERE.parent,
    )  # fmt: skip
    return float(out.stdout.strip())


def startup_sample(args: list[str], cpu: int | None) -> float:
    """Wall seconds of one whole process (interpreter start included)."""

    def pin() -> None:
        if cpu is not None:
            os.sched_setaffinity(0, {cpu})

    started = time.perf_counter()
    subprocess.run(
        [sys.executable, *args], stdout=subprocess.DEVNULL, check=True, cwd=HERE.parent,
        preexec_fn=pin,
    )  # fmt: skip
    return time.perf_counter() - started


def profile(impl: str, workload: str, where: Where) -> str:
    """cProfile summary of one extra sample (missed targets, and those always profiled).

    A cold start also gets ``-X importtime`` summed by package, since most of it is
    imports.
    """
    spec = WORKLOADS[workload]
    text = _invoke(impl, workload, where, "--profile")[0].strip()
    if spec.kind == "cold":
        from .profiling import import_breakdown

        cmd = _sample_cmd(spec, impl, workload, where.url, where.client_cpu)
        timed = subprocess.run(
            [cmd[0], "-X", "importtime", *cmd[1:], "--imports-only"],
            capture_output=True, text=True, cwd=HERE.parent, check=True, timeout=300,
        )  # fmt: skip
        breakdown = import_breakdown(timed.stderr, top=15)
        text = f"imports by package (-X importtime, own time):\n{breakdown}\n\n{text}"
    return text


def compile_bytecode() -> None:
    """Write .pyc files for everything the samples import, as pip does at install.

    Without them every fresh process compiles every module it imports (uv does not
    compile at install, and PYTHONDONTWRITEBYTECODE stops Python from caching), which
    would double every import time and add noise to every sample.
    """
    paths = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    paths |= {str(HERE), str(HERE.parent / "runloop_async")}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j", "0", *sorted(paths)], check=True
    )


def collect(repeats: int, impls: set[str], workloads: list[str], where: Where) -> dict[str, Any]:
    """Every sample: {"runs": {workload: {impl: [sample, ...]}}, "imports": {...}}."""
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {w: {} for w in workloads}
    imports: dict[str, list[float]] = {label: [] for label in [*IMPORTS, *STARTUP]}
    cpu = where.client_cpu
    for repeat in range(repeats):
        for workload in workloads:
            cap = WORKLOADS[workload].max_repeats
            if cap is not None and repeat >= cap:
                continue
            for impl in WORKLOADS[workload].impls:
                if impl in impls:
                    sample = run_sample(impl, workload, where)
                    runs[workload].setdefault(impl, []).append(sample)
                    _progress(repeat, repeats, workload, impl, sample)
        for label, modules in IMPORTS.items():
            if label.split(",")[0] in impls:
                imports[label].append(import_sample(modules, cpu))
        for label, args in STARTUP.items():
            imports[label].append(startup_sample(args, cpu))
    return {"runs": runs, "imports": imports}


def _progress(repeat: int, repeats: int, workload: str, impl: str, sample: Any) -> None:
    print(
        f"[{repeat + 1}/{repeats}] {workload:<20} {impl:<14} "
        f"{sample['seconds']:.3f} s  {sample['rss_mb']:.0f} MB"
        + (f"  cpu {sample['cpu_seconds']:.3f} s" if "cpu_seconds" in sample else ""),
        flush=True,
    )


def _profiles(data: dict[str, Any], where: Where) -> dict[str, str]:
    """Profiles of every missed target and of the workloads always profiled."""
    from .report import missed_targets

    wanted = dict.fromkeys([*missed_targets(data), *PROFILED])
    return {
        f"{impl} {workload}": profile(impl, workload, where)
        for workload, impl in wanted
        if impl in data["runs"].get(workload, {})
    }


def _available(impls: set[str]) -> set[str]:
    """Leave out the official SDK where it is not installed (outside ``nox -s bench``)."""
    if importlib.util.find_spec("runloop_api_client") is None:
        dropped = {i for i in impls if i.startswith("official")}
        if dropped:
            print(f"runloop-api-client is not installed: skipping {sorted(dropped)}")
        return impls - dropped
    return impls


def _load() -> float | None:
    """The machine's 1-minute load average (other work competing for the cores)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def _command() -> str:
    args = " ".join(sys.argv[1:])
    if os.environ.get("NOX_CURRENT_SESSION"):
        return "nox -s bench" + (f" -- {args}" if args else "")
    return f"python -m benchmarks {args}".rstrip()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one repeat, no RESULTS.md")
    parser.add_argument("--repeats", type=int, default=None, help="samples per cell")
    parser.add_argument("--impls", default=",".join(IMPLS), help="comma-separated subset")
    parser.add_argument("--output", type=Path, default=None, help="report path")
    parser.add_argument(
        "--workloads", default=",".join(WORKLOADS), help="comma-separated subset (in order)"
    )
    args = parser.parse_args(argv)
    repeats = args.repeats or (1 if args.quick else 9)
    output = args.output or (SCRATCH / "RESULTS-quick.md" if args.quick else RESULTS)
    impls = _available(set(args.impls.split(",")))
    workloads = [w for w in WORKLOADS if w in args.workloads.split(",")]
    server_cpu, client_cpu = cpus()
    started, load_before = time.monotonic(), _load()
    compile_bytecode()
    with server(server_cpu) as url:
        where = Where(url, server_cpu, client_cpu)
        data = collect(repeats, impls, workloads, where)
        data["profiles"] = {} if args.quick else _profiles(data, where)
    data["meta"] = {
        "command": _command(), "repeats": repeats, "wall_seconds": time.monotonic() - started,
        "server_cpu": server_cpu, "client_cpu": client_cpu, "load": [load_before, _load()],
    }  # fmt: skip
    SCRATCH.mkdir(exist_ok=True)
    (SCRATCH / "samples.json").write_text(json.dumps(data, indent=1))
    from .report import write_report

    write_report(data, output)
    print(f"wrote {output} in {data['meta']['wall_seconds']:.0f} s")
