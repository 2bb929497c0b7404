"""Instructions per call, counted by valgrind: a load-independent A/B of the per-call path.

``python -m benchmarks.callgrind IMPL CALL [--calls N]`` (IMPL ``bare``, ``core``,
``ours``, ``bare-sync`` or ``ours-sync``; CALL ``retrieve`` or ``score``) starts the
payload server, then runs the client twice under ``valgrind --tool=callgrind``: 300
warm-up calls and then N more (default 1000), or the warm-up alone; the difference of
the two instruction counts over N is what one call costs, at concurrency 100 over
loopback. ``core`` is ``Core.request`` without a model (the transport and the call
loop, no structuring). The ``-sync`` flavours make their calls from 16 threads, as the
suite's 16-thread workload does: ``bare-sync`` the bare session on a loop thread
through ``run_coroutine_threadsafe``, ``ours-sync`` the blocking ``Runloop`` (valgrind
runs one thread at a time, so these counts repeat less closely, about 1 %).

``python -m benchmarks.callgrind IMPL runner [--scenarios N] [--base B]`` (IMPL
``bare`` or ``ours``) does the same for the runner workload: a whole
``runner_1000_c100`` sample (``benchmarks.sample``, concurrency 100, imports and
setup included, the collector as the sample has it) against a fresh emulator with N
scenarios (default 300), then with B (default 100); the difference over N - B is
what one scenario costs, the fixed costs (imports, setup, the finish's pages) left
out. About a minute for ours.

CPU time on this shared 2-core machine moves by 10-20 % between runs; these counts
repeat within about 0.5 % (more when the machine is so loaded that requests batch
differently), so two versions of the code compare in one pair of runs. They are no
substitute for the suite's timings (cache misses and system calls are not in them);
valgrind must be installed. The collector is frozen after the warm-up so that what
the process allocated before (imports, warm-up) is not walked by the counted calls.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import re
import subprocess
import sys
from typing import Any

from .common import CONCURRENCY, TOKEN, Context, fan_out, threaded

WARM_UP = 300


def _call(impl: str, call: str, base_url: str) -> tuple[Any, Any]:
    """(one call of ``impl`` by run id, the coroutine function closing its client)."""
    method, suffix = ("GET", "") if call == "retrieve" else ("POST", "/score")
    if impl == "bare":
        from .impl_bare import _call as bare_call
        from .impl_bare import _session

        session = _session(base_url)

        async def one(run_id: str) -> Any:
            return await bare_call(session, method, f"/v1/scenarios/runs/{run_id}{suffix}")

        return one, session.close
    from runloop_async import AsyncRunloop

    client = AsyncRunloop(TOKEN, base_url)
    if impl == "core":

        async def one(run_id: str) -> Any:
            return await client._core.request(method, f"/v1/scenarios/runs/{run_id}{suffix}")

        return one, client.close
    return getattr(client.scenarios.runs, call), client.close


async def _run(impl: str, call: str, base_url: str, calls: int) -> None:
    one, close = _call(impl, call, base_url)
    ids = _ids(base_url, calls)
    await fan_out(one, ids[:WARM_UP], CONCURRENCY)
    gc.collect()
    gc.freeze()
    if calls:
        await fan_out(one, ids[:calls], CONCURRENCY)
    await close()


def _ids(base_url: str, calls: int) -> list[str]:
    """Enough run ids for the warm-up and ``calls`` (the 1000 of the suite, repeated)."""
    ids = list(Context(base_url).ids)
    return ids * ((WARM_UP + calls) // len(ids) + 1)


def _run_sync(impl: str, call: str, base_url: str, calls: int) -> None:
    """The 16-thread flavour: warm-up, collector frozen, then ``calls`` blocking calls."""
    if impl == "ours-sync":
        from runloop_async import Runloop

        client = Runloop(TOKEN, base_url)
        one, close = getattr(client.scenarios.runs, call), client.close
    else:
        from .impl_bare import on_loop_thread

        method, suffix = ("GET", "") if call == "retrieve" else ("POST", "/score")
        one, close = on_loop_thread(base_url, method, suffix)
    ids = _ids(base_url, calls)
    threaded(one, ids[:WARM_UP])
    gc.collect()
    gc.freeze()
    if calls:
        threaded(one, ids[:calls])
    close()


def _instructions(impl: str, call: str, base_url: str, calls: int) -> int:
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable]
    cmd += ["-m", "benchmarks.callgrind", impl, call, "--inner", base_url, "--calls", str(calls)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stderr
    found = re.search(r"Collected : (\d+)", out)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output: {out[-500:]}")
    return int(found.group(1))


def _runner_instructions(impl: str, scenarios: int, cpu: int | None) -> tuple[int, int]:
    """(instructions, requests) of one runner sample against ``scenarios`` scenarios."""
    from .procs import emulator

    with emulator(scenarios, cpu) as (base_url, benchmark_id, counts):
        cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable]
        cmd += ["-m", "benchmarks.sample", impl, "runner_1000_c100", base_url]
        out = subprocess.run(
            [*cmd, "--benchmark-id", benchmark_id], capture_output=True, text=True, check=True
        ).stderr
    found = re.search(r"Collected : (\d+)", out)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output: {out[-500:]}")
    return int(found.group(1)), sum(counts.values())


def _runner(impl: str, scenarios: int, base: int) -> None:
    from .procs import cpus

    if impl not in ("bare", "ours") or scenarios <= base:
        raise SystemExit("runner: IMPL is bare or ours, and --scenarios > --base")
    counted, requests = _runner_instructions(impl, scenarios, cpus()[0])
    fixed, _ = _runner_instructions(impl, base, cpus()[0])
    per = (counted - fixed) / (scenarios - base)
    print(f"{impl} runner: {per:,.0f} instructions per scenario "
          f"({scenarios}: {counted:,}, {requests} requests; {base}: {fixed:,})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("impl", choices=["bare", "core", "ours", "bare-sync", "ours-sync"])
    parser.add_argument("call", choices=["retrieve", "score", "runner"])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--scenarios", type=int, default=300)
    parser.add_argument("--base", type=int, default=100)
    parser.add_argument("--inner", metavar="BASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        if args.impl.endswith("-sync"):
            _run_sync(args.impl, args.call, args.inner, args.calls)
        else:
            asyncio.run(_run(args.impl, args.call, args.inner, args.calls))
        return
    if args.call == "runner":
        _runner(args.impl, args.scenarios, args.base)
        return
    from .procs import cpus, server

    with server(cpus()[0]) as base_url:
        counted = _instructions(args.impl, args.call, base_url, args.calls)
        warm_up = _instructions(args.impl, args.call, base_url, 0)
    per_call = (counted - warm_up) / args.calls
    print(f"{args.impl} {args.call}: {per_call:,.0f} instructions per call")


if __name__ == "__main__":
    main()
