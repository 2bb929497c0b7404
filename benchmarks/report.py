"""Statistics and the Markdown report (benchmarks/RESULTS.md).

Everything above the analysis marker is regenerated on each full run; the
hand-written analysis below it is carried over unchanged.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from .registry import (
    IMPL_NOTES,
    IMPORT_TARGET,
    IMPORTS,
    RSS_MARGIN_MB,
    STARTUP,
    TARGETS,
    WORKLOADS,
    Target,
)
from .report_runner import runner_checks, runner_tables

__all__ = ["missed_targets", "write_report"]

MARKER = "<!-- analysis: hand-written below this line, kept across runs -->"
_PACKAGES = (
    "runloop-async", "aiohttp", "orjson", "attrs", "cattrs", "anyio",
    "runloop-api-client", "httpx", "pydantic",
)  # fmt: skip


def median(samples: list[dict[str, Any]], key: str = "seconds") -> float:
    return statistics.median(s[key] for s in samples)


def ratio(
    data: dict[str, Any],
    workload: str,
    impl: str,
    reference: str | None = None,
    key: str = "seconds",
) -> float | None:
    """Median ``key`` of ``impl`` over that of ``reference`` (default: the workload's
    reference), same run; None when either was not measured."""
    cells = data["runs"].get(workload, {})
    ref = reference or WORKLOADS[workload].reference
    if impl not in cells or ref not in cells:
        return None
    return median(cells[impl], key) / median(cells[ref], key)


def _target_ratio(data: dict[str, Any], target: Target) -> float | None:
    return ratio(data, target.workload, target.impl, target.ref, target.metric)


def missed_targets(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(workload, impl) of every ratio or runner target not met in ``data``."""
    out = []
    for target in TARGETS:
        value = _target_ratio(data, target)
        if value is not None and value > target.limit:
            out.append((target.workload, target.impl))
    out += [cell for *_, met, cell in runner_checks(data) if not met and cell not in out]
    return out


def _machine() -> str:
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    except OSError:
        lscpu = ""
    model = next((ln.split(":", 1)[1].strip() for ln in lscpu.splitlines()
                  if ln.startswith("Model name")), platform.processor() or "unknown")  # fmt: skip
    cores = os.cpu_count()
    return f"{model}; {cores} CPUs; {platform.system()} {platform.release()}; {platform.machine()}"


def _versions() -> str:
    found = []
    for name in _PACKAGES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return f"CPython {platform.python_version()}; " + ", ".join(found)


def _timing_table(data: dict[str, Any]) -> list[str]:
    lines = [
        "| workload | implementation | median s | min-max s | ratio to reference "
        "| client CPU s | CPU ratio | peak RSS MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for workload, spec in WORKLOADS.items():
        for impl, samples in data["runs"].get(workload, {}).items():
            secs = [s["seconds"] for s in samples]
            shown = _shown(ratio(data, workload, impl))
            cpu, cpu_ratio = "—", "—"
            if all("cpu_seconds" in s for s in samples):
                cpu = f"{median(samples, 'cpu_seconds'):.3f}"
                cpu_ratio = _shown(_cpu_ratio(data, workload, impl))
            if impl == spec.reference:
                shown += " (reference)"
            lines.append(
                f"| {spec.title} | {impl} | {median(samples):.3f} | "
                f"{min(secs):.3f}-{max(secs):.3f} | {shown} | {cpu} | {cpu_ratio} | "
                f"{median(samples, 'rss_mb'):.0f} |"
            )
    return lines


def _shown(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}x"


def _cpu_ratio(data: dict[str, Any], workload: str, impl: str) -> float | None:
    ref = data["runs"][workload].get(WORKLOADS[workload].reference, [])
    if not ref or not all("cpu_seconds" in s for s in ref):
        return None
    return ratio(data, workload, impl, key="cpu_seconds")


def _legend(data: dict[str, Any]) -> list[str]:
    seen = {impl for cells in data["runs"].values() for impl in cells}
    return [f"- `{impl}`: {note}" for impl, note in IMPL_NOTES.items() if impl in seen]


def _import_table(data: dict[str, Any]) -> list[str]:
    lines = ["| import, or whole process | median s | min-max s |", "|---|---:|---:|"]
    rows = {f"`import {', '.join(modules)}` ({label})": label for label, modules in IMPORTS.items()}
    rows.update({f"`{label}` (whole process)": label for label in STARTUP})
    found = {title: data["imports"].get(label) or [] for title, label in rows.items()}
    for workload, spec in WORKLOADS.items():
        if spec.kind == "cold":
            for impl, samples in data["runs"].get(workload, {}).items():
                title = f"{spec.title}: {impl} (from spawning the process to the answer)"
                found[title] = [s["since_spawn"] for s in samples if s.get("since_spawn")]
    for title, secs in found.items():
        if secs:
            lines.append(
                f"| {title} | {statistics.median(secs):.3f} | {min(secs):.3f}-{max(secs):.3f} |"
            )
    return lines


def _load_line(meta: dict[str, Any]) -> list[str]:
    """The load before the run says whether other work shared the machine; the load
    at the end also counts the suite's own client and server."""
    load = meta.get("load") or []
    if len(load) != 2 or None in load:
        return []
    cores = os.cpu_count() or 1
    verdict = "quiet" if load[0] < cores / 2 else "busy: other work shared the machine"
    return [
        f"- Load average (1 min) before and after the run: {load[0]:.2f} and {load[1]:.2f} "
        f"on {cores} cores ({verdict} before it started; the end includes this suite)"
    ]


def _capped() -> int:
    return min((s.max_repeats for s in WORKLOADS.values() if s.max_repeats), default=0)


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _target_table(data: dict[str, Any]) -> list[str]:
    lines = ["| target | limit | measured | verdict |", "|---|---:|---:|---|"]
    for target in TARGETS:
        value = _target_ratio(data, target)
        if value is not None:
            what = " client CPU" if target.metric == "cpu_seconds" else ""
            title = f"{target.impl}: {WORKLOADS[target.workload].title}{what} (vs {target.ref})"
            lines.append(
                f"| {title} | ≤ {target.limit:.1f}x | {value:.2f}x | "
                f"{_verdict(value <= target.limit)} |"
            )
    for title, limit, measured, met, _ in runner_checks(data):
        lines.append(f"| {title} | {limit} | {measured} | {_verdict(met)} |")
    ours_import = data["imports"].get("ours")
    if ours_import:
        value = statistics.median(ours_import)
        lines.append(
            f"| `import runloop_async` | ≤ {IMPORT_TARGET:.2f} s | {value:.3f} s | "
            f"{_verdict(value <= IMPORT_TARGET)} |"
        )
    page = data["runs"].get("list_page_5000", {})
    if "ours" in page and "bare" in page:
        extra = median(page["ours"], "rss_mb") - median(page["bare"], "rss_mb")
        lines.append(
            f"| peak RSS, one 5000-run page (ours - bare) | ≤ +{RSS_MARGIN_MB:.0f} MB | "
            f"{extra:+.1f} MB | {_verdict(extra <= RSS_MARGIN_MB)} |"
        )
    return lines


def _data_check(data: dict[str, Any]) -> list[str]:
    lines = ["| workload | items | digest | implementations agreeing |", "|---|---:|---|---|"]
    for workload, cells in data["runs"].items():
        if not cells:
            continue
        digests = {s["digest"] for samples in cells.values() for s in samples}
        counts = {s["count"] for samples in cells.values() for s in samples}
        same = "all " + str(len(cells)) if len(digests) == 1 else "**MISMATCH**"
        lines.append(
            f"| {WORKLOADS[workload].title} | {', '.join(map(str, sorted(counts)))} | "
            f"{', '.join(sorted(digests))} | {same} |"
        )
    return lines


def _profiles(data: dict[str, Any]) -> list[str]:
    if not data.get("profiles"):
        return []
    lines = [
        "",
        "## Profiles (missed targets, and the workloads always profiled)",
        "",
        "cProfile, every thread, top functions by own time; wall-clock timer, except for "
        f"{', '.join(w for w, spec in WORKLOADS.items() if spec.cpu_profile)} (each "
        "thread's CPU time: their threads mostly wait, and waiting is not counted).",
        "",
    ]
    for name, text in data["profiles"].items():
        lines += [f"### {name}", "", "```text", text, "```", ""]
    return lines


def write_report(data: dict[str, Any], path: Path) -> None:
    """Write the report, keeping the hand-written analysis of an existing file."""
    meta = data["meta"]
    kept = ""
    if path.exists() and MARKER in path.read_text():
        kept = path.read_text().split(MARKER, 1)[1]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmark results",
        "",
        f"- Command: `{meta['command']}` ({meta['repeats']} samples per cell, at most "
        f"{_capped()} for the longest workloads; each in a fresh process; "
        f"{meta['wall_seconds']:.0f} s wall), {when}",
        f"- Machine: {_machine()}; server pinned to CPU {meta['server_cpu']}, "
        f"clients to CPU {meta['client_cpu']}",
        f"- Versions: {_versions()}",
        *_load_line(meta),
        "",
        "## Targets (ratios of medians taken in the same run)",
        "",
        *_target_table(data),
        "",
        "## All measurements",
        "",
        *_legend(data),
        "",
        *_timing_table(data),
        "",
        *_import_table(data),
        "",
        *runner_tables(data),
        "",
        "## Same data from every implementation",
        "",
        *_data_check(data),
        *_profiles(data),
        "",
        MARKER,
    ]
    path.write_text("\n".join(lines) + (kept or "\n"))
