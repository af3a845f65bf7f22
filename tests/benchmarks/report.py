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


def store_table(rows: list[dict[str, Any]]) -> list[str]:
    """The store candidates side by side: one column a candidate, one line a figure."""
    rows = [r for r in rows if r.get("table") == "store"]
    if not rows:
        return []
    candidates = list(dict.fromkeys(r["candidate"] for r in rows))
    columns = list(dict.fromkeys(r["column"] for r in rows))
    shown = {(r["candidate"], r["column"]): r.get("shown") or _fmt(r["value"]) for r in rows}
    lines = [
        "## Document store candidates (same run, one after another)",
        "",
        "| | " + " | ".join(candidates) + " |",
        "|---|" + "---|" * len(candidates),
    ]
    for column in columns:
        cells = [shown.get((c, column), "") for c in candidates]
        lines.append(f"| {column} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def ramp_table(rows: list[dict[str, Any]]) -> list[str]:
    """The end-to-end ramp: per offered rate, Entraide beside raw aiokafka."""
    rows = [r for r in rows if r.get("table") == "ramp"]
    if not rows:
        return []
    by: dict[tuple[float, str, str], float] = {
        (r["offered"], r["side"], r["metric"]): r["value"] for r in rows
    }
    sustained = {(r["offered"], r["side"]): r.get("sustained") for r in rows}
    ok = {(r["offered"], r["side"]): r.get("ok") for r in rows}
    yes = {True: "yes", False: "**no**", None: ""}
    lines = [
        f"## {rows[0]['benchmark']}: the ramp",
        "",
        "| offered (events/s) | Entraide achieved | p50 (ms) | p99 (ms) | sustained "
        "| and p99 < 500 ms | raw aiokafka achieved | raw p50 (ms) | raw p99 (ms) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for rate in sorted({r["offered"] for r in rows}):

        def cell(side: str, metric: str, rate: float = rate) -> str:
            return _fmt(by.get((rate, side, metric)))

        lines.append(
            f"| {rate:,.0f} | {cell('entraide', 'achieved')} | {cell('entraide', 'p50')} "
            f"| {cell('entraide', 'p99')} | {yes[sustained.get((rate, 'entraide'))]} "
            f"| {yes[ok.get((rate, 'entraide'))]} | {cell('raw', 'achieved')} "
            f"| {cell('raw', 'p50')} | {cell('raw', 'p99')} |"
        )
    return [*lines, ""]


def cpu_table(rows: list[dict[str, Any]]) -> list[str]:
    """The ramp's CPU: the cores each process used at each offered rate (2 on this machine),
    from the rate's first send to its last proposal: where the ramp saturates."""
    rows = [r for r in rows if r.get("table") == "ramp-cpu"]
    if not rows:
        return []
    processes = list(dict.fromkeys(r["process"] for r in rows))
    by = {(r["offered"], r["process"]): r["value"] for r in rows}
    lines = [
        "## the ramp: CPU cores used by each process",
        "",
        "| offered (events/s) | " + " | ".join(processes) + " | all |",
        "|---|" + "---|" * (len(processes) + 1),
    ]
    for rate in sorted({r["offered"] for r in rows}):
        used = [by.get((rate, p)) for p in processes]
        total = sum(u for u in used if u is not None)
        cells = [f"{u:.2f}" if u is not None else "" for u in used]
        lines.append(f"| {rate:,.0f} | " + " | ".join(cells) + f" | {total:.2f} |")
    return [*lines, ""]


def waiting_list(rows: list[dict[str, Any]]) -> list[str]:
    """The ramp's backlog: the messages waiting in each consumer group at each hold's end."""
    waiting = {r["offered"]: r.get("by_group") or {} for r in rows if r.get("table") == "ramp-lag"}
    if not waiting:
        return []
    lines = ["Messages waiting in each consumer group at the end of each hold:", ""]
    lines += [f"- {rate:,.0f}/s: " + (", ".join(f"{g} {n:,}" for g, n in w.items()) or "none")
              for rate, w in sorted(waiting.items())]  # fmt: skip
    return [*lines, ""]


def plot_ramp(rows: list[dict[str, Any]], out_dir: Path) -> list[str]:
    """p50 and p99 against the offered rate, Entraide and raw aiokafka, log scales."""
    rows = [r for r in rows if r.get("table") == "ramp"]
    if not rows:
        return []
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return []
    fig, ax = plt.subplots(figsize=(7, 4.2))
    styles = {"entraide": ("#000091", "Entraide"), "raw": ("#929292", "raw aiokafka")}
    for side, (color, label) in styles.items():
        for metric, dash in (("p50", "-"), ("p99", "--")):
            points = sorted(
                (r["offered"], r["value"])
                for r in rows
                if r["side"] == side and r["metric"] == metric
            )
            if points:
                xs, ys = zip(*points, strict=True)
                ax.plot(xs, ys, dash, marker="o", color=color, label=f"{label} {metric}")
    ax.axhline(500, color="#ce0500", linewidth=0.8, linestyle=":", label="p99 target 500 ms")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("offered rate (events/s)")
    ax.set_ylabel("latency (ms)")
    ax.set_title(rows[0]["benchmark"] + ": latency against offered rate", fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    name = "end-to-end-ramp.png"
    fig.savefig(out_dir / name, dpi=90)
    plt.close(fig)
    return [name]


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
    everything = load(path)
    rows = [
        r for r in everything if r.get("table") not in ("store", "ramp", "ramp-cpu", "ramp-lag")
    ]
    out_dir = path.parent
    report = out_dir / "report.md"
    when = max((r["at"] for r in everything), default="never")
    machine = everything[-1]["machine"] if everything else "unknown"
    lines = [
        "# Entraide benchmarks",
        "",
        f"Run of {when} on {machine}. Written by `make bench` from `{path.name}`;",
        "every baseline was measured in the same run, on the same machine.",
        "",
        *table(rows),
        "",
        *store_table(everything),
        *ramp_table(everything),
        *cpu_table(everything),
        *waiting_list(everything),
    ]
    notes = [f"- **{r['benchmark']}**: {r['notes']}" for r in everything if r.get("notes")]
    if notes:
        lines += ["## Notes", "", *dict.fromkeys(notes), ""]
    profiles = out_dir / "profiles"
    if profiles.is_dir() and any(profiles.iterdir()):
        lines += ["## Profiles", ""]
        lines += [f"- [{p.name}](profiles/{p.name})" for p in sorted(profiles.iterdir())]
        lines += [""]
    for name in [*plot_ramp(everything, out_dir), *plot(rows, out_dir)]:
        lines += [f"![{name}]({name})", ""]
    report.write_text("\n".join(lines), encoding="utf-8")
    return report


if __name__ == "__main__":
    print(render(results_path()))
