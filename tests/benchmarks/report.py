"""Render bench/results.jsonl as bench/report.md with PNG plots (`make bench` runs it).

uv run python -m tests.benchmarks.report
"""

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from tests.benchmarks.record import results_path


def load(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


def table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| benchmark | figure | value | baseline (same run) | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        base = r.get("baseline")
        ratio = f"{r['value'] / base:.3g}" if base else ""
        baseline = f"{_fmt(base)} {r['unit']} ({r.get('baseline_name', '')})" if base else ""
        met = {True: "yes", False: "**no**", None: ""}[r.get("met")]
        lines.append(
            f"| {r['benchmark']} | {r['figure']} | {_fmt(r['value'])} {r['unit']} | {baseline} "
            f"| {ratio} | {r.get('target', '')} | {met} |"
        )
    return lines


def plot(rows: list[dict[str, Any]], out_dir: Path) -> list[str]:
    """One bar chart per benchmark: each figure beside its baseline. Returns the file names."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # the report stays useful without plots
        return []
    by_bench: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_bench[r["benchmark"]].append(r)
    names = []
    for bench, figures in by_bench.items():
        fig, axes = plt.subplots(1, len(figures), figsize=(4 * len(figures), 3.4), squeeze=False)
        for ax, r in zip(axes[0], figures, strict=True):
            labels, values = ["Entraide"], [r["value"]]
            if r.get("baseline"):
                labels.append(r.get("baseline_name") or "baseline")
                values.append(r["baseline"])
            ax.bar(labels, values, color=["#000091", "#929292"][: len(values)])
            ax.set_title(r["figure"], fontsize=9)
            ax.set_ylabel(r["unit"], fontsize=8)
            ax.tick_params(labelsize=7)
        fig.suptitle(bench, fontsize=10)
        fig.tight_layout()
        name = re.sub(r"[^a-z0-9]+", "-", bench.lower()).strip("-") + ".png"
        fig.savefig(out_dir / name, dpi=90)
        plt.close(fig)
        names.append(name)
    return names


def render(path: Path) -> Path:
    rows = load(path)
    out_dir = path.parent
    report = out_dir / "report.md"
    when = max((r["at"] for r in rows), default="never")
    machine = rows[-1]["machine"] if rows else "unknown"
    lines = [
        "# Entraide benchmarks",
        "",
        f"Run of {when} on {machine}. Written by `make bench` from `{path.name}`;",
        "every baseline was measured in the same run, on the same machine.",
        "",
        *table(rows),
        "",
    ]
    notes = [f"- **{r['benchmark']}**: {r['notes']}" for r in rows if r.get("notes")]
    if notes:
        lines += ["## Notes", "", *dict.fromkeys(notes), ""]
    for name in plot(rows, out_dir):
        lines += [f"![{name}]({name})", ""]
    report.write_text("\n".join(lines), encoding="utf-8")
    return report


if __name__ == "__main__":
    print(render(results_path()))
