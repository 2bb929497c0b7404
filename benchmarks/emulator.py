"""The package's own emulator in its own process, for the runner workloads.

``python -m benchmarks.emulator SCENARIOS [--cpu N]`` serves the stateful emulator
(``runloop_async.testing``) with devboxes that boot at once and scoring that ends at
once (``devbox_boot_delay=0``, ``scoring_delay=0``: both are ordinary
``EmulatorConfig`` settings, also ``--devbox-boot-delay 0 --scoring-delay 0`` of
``python -m runloop_async.testing``), seeded with SCENARIOS scenarios and one
benchmark of all of them. It prints ``READY <base_url> <benchmark_id>`` when
listening; on SIGTERM or SIGINT it prints one JSON line, how many requests each
route received, and exits.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import signal

from runloop_async.testing import Emulator, EmulatorConfig, EmulatorControls

from .common import TOKEN

__all__ = ["CONFIG", "main", "route_counts", "seed"]

#: Everything instant; enough request records for the largest workload's count.
CONFIG = EmulatorConfig(
    api_key=TOKEN,
    scoring_delay=0.0,
    devbox_boot_delay=0.0,
    request_log_capacity=200_000,
    idempotency_capacity=100_000,
)


def route_counts(emu: EmulatorControls) -> dict[str, int]:
    """Requests received, by route (sorted), e.g. ``POST /v1/scenarios/runs/{id}/score``."""
    counts = collections.Counter(str(r.route) for r in emu.requests)
    return dict(sorted(counts.items()))


def seed(emu: EmulatorControls, scenarios: int) -> str:
    """Add ``scenarios`` scenarios and one benchmark of them all; return its id."""
    ids = [emu.add_scenario(f"scenario-{i:05d}")["id"] for i in range(scenarios)]
    return str(emu.add_benchmark("runner-bench", scenario_ids=ids)["id"])


async def _serve(scenarios: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with Emulator(CONFIG) as emu:
        print("READY", emu.base_url, seed(emu, scenarios), flush=True)
        await stop.wait()
        print(json.dumps(route_counts(emu)), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenarios", type=int)
    parser.add_argument("--cpu", type=int, default=None, help="pin to this core")
    args = parser.parse_args()
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    asyncio.run(_serve(args.scenarios))


if __name__ == "__main__":
    main()
