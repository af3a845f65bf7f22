"""Each benchmark appends its figures here; `make bench` renders them (tests.benchmarks.report).

One JSON line per figure in bench/results.jsonl (ENTRAIDE_BENCH_RESULTS elsewhere): the
benchmark, the figure, its value and unit, the baseline measured in the same run, the
target if the issue set one, and the machine and date.
"""

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def results_path() -> Path:
    return Path(os.environ.get("ENTRAIDE_BENCH_RESULTS", ROOT / "bench" / "results.jsonl"))


def machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    return f"{os.cpu_count()} cores ({model}){memory}, {platform.system()} {platform.release()}"


def record(
    benchmark: str,
    figure: str,
    value: float,
    unit: str,
    *,
    baseline: float | None = None,
    baseline_name: str = "",
    target: str = "",
    met: bool | None = None,
    **extra: Any,
) -> None:
    """Append one figure (and its same-run baseline) to the results file."""
    path = results_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "benchmark": benchmark,
        "figure": figure,
        "value": value,
        "unit": unit,
        "baseline": baseline,
        "baseline_name": baseline_name,
        "target": target,
        "met": met,
    } | extra
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
