"""The runner workloads' part of the report: client CPU, per scenario, and its growth."""

from __future__ import annotations

import statistics
from typing import Any

from .registry import RUNNER_CPU_TARGET, RUNNER_FLAT, WORKLOADS

__all__ = ["cpu_per_scenario_ms", "flatness", "runner_checks", "runner_tables"]


def _cells(data: dict[str, Any], workload: str) -> dict[str, list[dict[str, Any]]]:
    return dict(data["runs"].get(workload, {}))


def _median(samples: list[dict[str, Any]], key: str) -> float:
    return statistics.median(s[key] for s in samples)


def cpu_per_scenario_ms(data: dict[str, Any], workload: str, impl: str) -> float | None:
    """Median client CPU of ``impl`` on a runner workload, per scenario, in ms."""
    samples = _cells(data, workload).get(impl)
    if not samples:
        return None
    return _median(samples, "cpu_seconds") * 1000 / WORKLOADS[workload].scenarios


def flatness(data: dict[str, Any], impl: str) -> float | None:
    """CPU per scenario on the large runner workload over the small one (1.0 = flat)."""
    large, small, _ = RUNNER_FLAT
    big, little = cpu_per_scenario_ms(data, large, impl), cpu_per_scenario_ms(data, small, impl)
    if big is None or little is None:
        return None
    return big / little


def runner_checks(data: dict[str, Any]) -> list[tuple[str, str, str, bool, tuple[str, str]]]:
    """The absolute runner targets: (title, limit, measured, met, (workload, impl))."""
    out = []
    workload, limit_ms = RUNNER_CPU_TARGET
    per = cpu_per_scenario_ms(data, workload, "ours")
    if per is not None:
        title = f"ours: {WORKLOADS[workload].title}: client CPU per scenario"
        out.append((title, f"≤ {limit_ms:.1f} ms", f"{per:.2f} ms", per <= limit_ms,
                    (workload, "ours")))  # fmt: skip
    large, small, limit = RUNNER_FLAT
    ours, bare = flatness(data, "ours"), flatness(data, "bare")
    if ours is not None:
        title = (
            f"ours: CPU per scenario, {WORKLOADS[large].scenarios} scenarios at concurrency "
            f"{WORKLOADS[large].concurrency} over {WORKLOADS[small].scenarios} at "
            f"{WORKLOADS[small].concurrency} (flat = 1.0)"
        )
        measured = f"{ours:.2f}x" + ("" if bare is None else f" (bare {bare:.2f}x)")
        out.append((title, f"≤ {limit:.1f}x", measured, ours <= limit, (large, "ours")))
    return out


def _spread(samples: list[dict[str, Any]], key: str) -> str:
    values = [s[key] for s in samples]
    return f"{_median(samples, key):.3f} ({min(values):.3f}-{max(values):.3f})"


def runner_tables(data: dict[str, Any]) -> list[str]:
    """Wall, client CPU and requests of every runner sample; requests by route."""
    runner = [w for w, spec in WORKLOADS.items() if spec.kind == "runner" and _cells(data, w)]
    if not runner:
        return []
    lines = [
        "## The runner's own cost",
        "",
        "A no-op agent; the emulator (its own process, pinned to the server core, a fresh "
        "one per sample) boots devboxes and scores at once. CPU is the client process's "
        "(`time.process_time`, every thread), over the same span as the wall time; the "
        "garbage collector's share of it is timed through `gc.callbacks`.",
        "",
        "| workload | implementation | wall s (min-max) | client CPU s (min-max) "
        "| CPU per scenario ms | CPU ratio to bare | of it in GC s (collections) "
        "| requests per scenario |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for workload in runner:
        spec, cells = WORKLOADS[workload], _cells(data, workload)
        for impl, samples in cells.items():
            per = cpu_per_scenario_ms(data, workload, impl)
            ref = cells.get(spec.reference)
            cpu_ratio = (
                f"{_median(samples, 'cpu_seconds') / _median(ref, 'cpu_seconds'):.2f}x"
                if ref else "—"
            )  # fmt: skip
            requests = statistics.median(sum(s.get("requests", {}).values()) for s in samples)
            lines.append(
                f"| {spec.title} | {impl} | {_spread(samples, 'seconds')} | "
                f"{_spread(samples, 'cpu_seconds')} | {per:.3f} | {cpu_ratio} | "
                f"{_gc(samples)} | {requests / spec.scenarios:.2f} |"
            )
    return [*lines, "", *_route_table(data, runner[0])]


def _gc(samples: list[dict[str, Any]]) -> str:
    """Median garbage-collection CPU and collections (samples from before it was kept: —)."""
    if not all("gc_seconds" in s for s in samples):
        return "—"
    return f"{_median(samples, 'gc_seconds'):.3f} ({_median(samples, 'gc_collections'):.0f})"


def _route_table(data: dict[str, Any], workload: str) -> list[str]:
    """Requests by route in the last sample of each implementation: the same calls."""
    cells = _cells(data, workload)
    impls = list(cells)
    routes = sorted({r for samples in cells.values() for r in samples[-1].get("requests", {})})
    lines = [
        f"Requests by route, {WORKLOADS[workload].title} (last sample of each):",
        "",
        "| route | " + " | ".join(impls) + " |",
        "|---|" + "---:|" * len(impls),
    ]
    for route in routes:
        counts = [str(cells[i][-1].get("requests", {}).get(route, 0)) for i in impls]
        lines.append(f"| `{route}` | " + " | ".join(counts) + " |")
    return lines
