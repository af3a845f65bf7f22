"""A text summary of a py-spy speedscope profile: where the CPU time went.

    uv run python -m tests.benchmarks.profile_summary bench/profiles/intake.speedscope.json

py-spy samples only threads that are running (not idle), so the shares are of the CPU time
the process used: by package (self time), by function (self time), and the inclusive time
of the project's own functions (entraide.*).
"""

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

# Leaves where a thread waits, which py-spy may still sample as active (an event loop's
# epoll, a thread pool's idle workers): counted apart, not as work.
WAITING = (
    ("selectors.py", "select"),
    ("threading.py", "wait"),
    ("concurrent/futures/thread.py", "_worker"),
)
_SITE = re.compile(r"(?:site|dist)-packages/([^/]+)")
_OURS = re.compile(r"/src/entraide/([a-z_]+)/")
_STDLIB = re.compile(r"/lib/python3\.\d+/([^/]+)")


def package(file: str) -> str:
    """The package a frame's file belongs to: entraide.<service>, a library, or stdlib."""
    if m := _OURS.search(file):
        return f"entraide.{m.group(1)}"
    if m := _SITE.search(file):
        return m.group(1).removesuffix(".py").split(".")[0]
    if m := _STDLIB.search(file):
        return f"stdlib {m.group(1).removesuffix('.py')}"
    return file or "?"


def _where(frame: dict[str, Any]) -> str:
    file = frame.get("file") or ""
    short = re.sub(r"^.*(?:site-packages|dist-packages|/src|/lib/python3\.\d+)/", "", file)
    return f"{frame['name']} ({short}:{frame.get('line', '?')})"


def waiting(frame: dict[str, Any]) -> bool:
    file, name = frame.get("file") or "", frame["name"]
    return any(file.endswith(f) and name.endswith(n) for f, n in WAITING)


def summarize(path: Path, top: int = 20) -> str:
    doc = json.loads(path.read_text(encoding="utf-8"))
    frames = doc["shared"]["frames"]
    self_time: Counter[int] = Counter()
    inclusive: Counter[int] = Counter()
    by_package: Counter[str] = Counter()
    total, samples, idle = 0.0, 0, 0.0
    for profile in doc["profiles"]:
        for stack, weight in zip(profile["samples"], profile["weights"], strict=True):
            if not stack:
                continue
            if waiting(frames[stack[-1]]):
                idle += weight
                continue
            total += weight
            samples += 1
            self_time[stack[-1]] += weight  # speedscope stacks run from the root to the leaf
            by_package[package(frames[stack[-1]].get("file") or "")] += weight
            for index in set(stack):
                inclusive[index] += weight
    if not total:
        return f"{path.name}: no samples (the process was idle)\n"

    def share(weight: float) -> str:
        return f"{100 * weight / total:5.1f} %"

    lines = [
        f"# {path.name}: {samples} samples, {total:.1f} s of CPU time "
        f"(besides {idle:.1f} s sampled in epoll or a lock wait, left out)",
        "",
        "## self time by package",
    ]
    lines += [f"{share(w)}  {name}" for name, w in by_package.most_common(top)]
    lines += ["", "## self time by function"]
    lines += [f"{share(w)}  {_where(frames[i])}" for i, w in self_time.most_common(top)]
    lines += ["", "## inclusive time of entraide's functions"]
    ours = [
        (i, w)
        for i, w in inclusive.most_common()
        if package(frames[i].get("file") or "").startswith("entraide.")
    ]
    lines += [f"{share(w)}  {_where(frames[i])}" for i, w in ours[:top]]
    lines += ["", "## inclusive time of any function (below 90 %: the loop itself left out)"]
    below = [(i, w) for i, w in inclusive.most_common() if w < 0.9 * total]
    lines += [f"{share(w)}  {_where(frames[i])}" for i, w in below[: 2 * top]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(summarize(Path(arg)))
