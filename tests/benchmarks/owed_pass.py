"""What the owed-work passes' benchmarks share (intake's door, directory's status news): the
pass's read by its unique marker, the scan it replaced and a find by `_id` of the same
documents, timed in the same rounds (each round in another order), then recorded as the
pass's share of the scan, median and p99, with a process's first pass apart (it also marks
the notes written before the marker: one scan)."""

import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from tests.benchmarks.record import record

SAMPLES = 50
SHARE = 0.1  # of the scan: the marker's read must not grow with the store as the scan does
FLOOR = "find by _id of the same ids"

Read = Callable[[], Awaitable[Sequence[Any]]]


def p99(took: list[float]) -> float:
    return sorted(took)[int(0.99 * (len(took) - 1))]


async def side_by_side(
    name: str,
    *,
    marker: tuple[str, Read],
    scan: tuple[str, Read],
    floor: Read,
    expected: list[str],
    among: str,
) -> None:
    """Time the pass's read (`marker`: its call's name and the read), the scan (its baseline
    name and the read) and the floor, each of them checked to find exactly `expected`
    (ids), and record them; `among` says what the store holds ("among 100,000 ...")."""
    (called, first_read), (scan_name, _) = marker, scan
    reads = {"owing": first_read, "scan": scan[1], "floor": floor}
    started = time.perf_counter()
    await first_read()
    first = (time.perf_counter() - started) * 1000
    names = list(reads)
    took: dict[str, list[float]] = {n: [] for n in names}
    for i in range(SAMPLES):
        for n in names[i % 3 :] + names[: i % 3]:
            started = time.perf_counter()
            found = await reads[n]()
            took[n].append((time.perf_counter() - started) * 1000)
            assert sorted(d.id for d in found) == expected, n

    median = {n: statistics.median(spent) for n, spent in took.items()}
    high = {n: p99(spent) for n, spent in took.items()}
    share = median["owing"] / median["scan"]
    print(f"\n{name}: {among}, {SAMPLES} rounds")
    for n in took:
        print(f"{name}: {n}: median {median[n]:.2f} ms, p99 {high[n]:.2f} ms")
    print(f"{name}: {called} / scan {share:.3f}, / floor {median['owing'] / median['floor']:.1f}")
    print(f"{name}: a process's first pass {first:.1f} ms")
    for q, values in (("median", median), ("p99", high)):
        record(
            name,
            f"{called} {among}, {q}",
            values["owing"],
            "ms",
            baseline=values["scan"],
            baseline_name=scan_name,
            floor_ms=values["floor"],
            target=f"<= {SHARE} x the scan" if q == "median" else "",
            met=share <= SHARE if q == "median" else None,
        )
        figure = f"{FLOOR} {among}, {q}"
        record(
            name, figure, values["floor"], "ms", baseline=values["scan"], baseline_name=scan_name
        )
        record(name, f"scan by the note {among}, {q}", values["scan"], "ms")
    figure = f"a process's first {called} {among}"
    record(name, figure, first, "ms", baseline=median["scan"], baseline_name=scan_name)
