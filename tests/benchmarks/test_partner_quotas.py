"""Benchmark: partner quotas under a flood. Ten partners at once through intake's HTTP
door, each sending at its quota (ENTRAIDE_BENCH_QUOTA_PER_MINUTE, 300 a minute by default,
burst 100: one event every 200 ms, open loop, a slow answer does not delay the next send),
while an eleventh partner floods as fast as it can (a process of its own, FLOOD_CONNECTIONS
connections, `Retry-After` ignored). Baseline from the same run: the same ten partners
without the flooder. The two conditions alternate in blocks of BLOCK_S (the flooder paused
with SIGSTOP, resumed with SIGCONT), so the load other work puts on this shared machine
weighs on both alike.

    pytest tests/benchmarks/test_partner_quotas.py -s     (about 70 s)

The default quota, 600 a minute, is not what is measured: ten partners at 600 a minute
(100 events/s) are more than one intake process serves on the 2-core development machine
(p99 15 s with no flooder at all).

Intake runs as a process (`python -m entraide.intake`: uvicorn on 127.0.0.1, JSON logs at
INFO with access lines, tracing and metrics as deployed) on the session's broker and store,
with local keys (no privacy process: the key vault is not what is measured) and otherwise
its defaults. Each event names a parent of its own, so the duplicate search finds nothing
and the figures are the door's, not the flagging's. The ten partners' figures: latency of
every answer (p50, p99) and events accepted (201) a second; the flooder's: its 429s, its
accepted events, its requests a second.
"""

import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx

from tests.benchmarks.flood import event
from tests.benchmarks.record import record
from tests.fault_support import signed
from tests.infra import Endpoints, ServiceProcess, free_port
from tests.support import eventually

ROOT = Path(__file__).resolve().parents[2]
PARTNERS = 10
# each partner's quota: the default burst, a rate this shared 2-core machine serves for ten
PER_MINUTE = int(os.environ.get("ENTRAIDE_BENCH_QUOTA_PER_MINUTE", "300"))
QUOTA = {"per_minute": PER_MINUTE, "burst": 100}
INTERVAL_S = 60 / QUOTA["per_minute"]
WARMUP_S = 5.0
BLOCK_S = 10.0  # the flooder paused, then flooding, then paused...: PAIRS of each
PAIRS = 2
HOLD_S = BLOCK_S * PAIRS  # measured in each condition
FLOOD_CONNECTIONS = 32
FLOOD_HEAD_START_S = 5.0  # its tokens saved while paused, spent before measuring
P99_TARGET_MS = 500.0
NAME = "partner quotas: ten partners at quota, an eleventh flooding"
FLOODER = "flooder"


def keys() -> list[str]:
    return [f"partner-{i:02d}" for i in range(PARTNERS)]


def partners_env(run: str) -> dict[str, dict[str, object]]:
    return {
        key: {
            "secret": f"secret-{key}",
            "source": f"urn:entraide:partner:{key}-{run}",
            "quota": QUOTA,
        }
        for key in [*keys(), FLOODER]
    }


class Partners:
    """The ten well-behaved partners, each sending one event every INTERVAL_S."""

    def __init__(self, url: str, config: dict[str, dict[str, object]]) -> None:
        # idle connections closed before uvicorn's keep-alive timeout (5 s) can race a reuse
        limits = httpx.Limits(max_connections=200, keepalive_expiry=2)
        self.client = httpx.AsyncClient(base_url=url, limits=limits, timeout=30)
        self.config = config
        self.sent = 0

    async def one(self, key: str) -> tuple[int, float]:
        self.sent += 1
        source, secret = str(self.config[key]["source"]), str(self.config[key]["secret"])
        body = event(source, self.sent)
        started = time.perf_counter()
        try:
            answer = await self.client.post(
                "/api/v1/partner-events", content=body, headers=signed(body, key, secret)
            )
        except httpx.HTTPError:
            return 0, time.perf_counter() - started  # counted as refused
        return answer.status_code, time.perf_counter() - started

    async def at_quota(self, key: str, seconds: float) -> list[tuple[int, float]]:
        start, tasks = time.perf_counter(), []
        for i in range(round(seconds / INTERVAL_S)):
            delay = start + i * INTERVAL_S - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self.one(key)))
        return await asyncio.gather(*tasks)

    async def hold(self, seconds: float) -> list[tuple[int, float]]:
        """All ten at once for `seconds`; every answer's status and latency."""
        per_partner = await asyncio.gather(*[self.at_quota(key, seconds) for key in keys()])
        return [answer for answers in per_partner for answer in answers]


def figures(answers: list[tuple[int, float]], seconds: float) -> dict[str, float]:
    """Latency percentiles, accepted and offered rates; status 0 is a connection error."""
    latencies = sorted(latency * 1000 for _, latency in answers)
    statuses = Counter(status for status, _ in answers)
    return {
        "p50_ms": statistics.median(latencies),
        "p99_ms": statistics.quantiles(latencies, n=100, method="inclusive")[98],
        "accepted_per_s": statuses[201] / seconds,
        "offered_per_s": len(answers) / seconds,
        "refused": float(len(answers) - statuses[201]),
    }


def intake_process(
    ends: Endpoints, run: str, config: dict[str, dict[str, object]], log: Path
) -> ServiceProcess:
    port = free_port()
    env = {
        "ENTRAIDE_KAFKA_BOOTSTRAP": ends.kafka_bootstrap,
        "ENTRAIDE_MONGODB_URI": ends.mongodb_uri,
        "ENTRAIDE_INTAKE_PORT": str(port),
        "ENTRAIDE_INTAKE_DATABASE": f"bench_quotas_{run}",
        "ENTRAIDE_CONSUMER_GROUP_PREFIX": f"bench_quotas_{run}",
        "ENTRAIDE_KEYS": "local",
        "ENTRAIDE_PARTNERS": json.dumps(config),
    }
    return ServiceProcess("intake", env, log)


def cpu_s(pid: int) -> float:
    """The process's CPU time so far (user + system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_flooder(port: str, flood: dict[str, object]) -> "subprocess.Popen[bytes]":
    """The eleventh partner, as a process of its own (tests/benchmarks/flood.py)."""
    command = [sys.executable, "-m", "tests.benchmarks.flood", "127.0.0.1", port, FLOODER]
    command += [str(flood["secret"]), str(flood["source"]), str(FLOOD_CONNECTIONS)]
    return subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stdout=subprocess.PIPE)


async def test_ten_partners_at_quota_while_an_eleventh_floods(infra: Endpoints, tmp_path) -> None:
    run = uuid.uuid4().hex[:8]
    config = partners_env(run)
    intake = intake_process(infra, run, config, tmp_path / "intake.log").start()
    url = f"http://127.0.0.1:{intake.env['ENTRAIDE_INTAKE_PORT']}"
    flooder: subprocess.Popen[bytes] | None = None
    try:
        async with httpx.AsyncClient(base_url=url, timeout=5) as probe:

            async def ready() -> bool:
                try:
                    return (await probe.get("/readyz")).status_code == 200
                except httpx.HTTPError:
                    return False

            await eventually(ready, timeout=90, what="intake ready")
        ten = Partners(url, config)
        flooder = start_flooder(intake.env["ENTRAIDE_INTAKE_PORT"], config[FLOODER])
        assert flooder.stdout is not None
        started = await asyncio.to_thread(flooder.stdout.readline)  # its events built
        assert started.strip() == b"flooding", started
        flood_started = time.perf_counter()
        await ten.hold(WARMUP_S)  # the flooder's first burst (its bucket full) spent meanwhile
        flooder.send_signal(signal.SIGSTOP)
        alone: list[tuple[int, float]] = []
        flooding: list[tuple[int, float]] = []
        flood_on_s, cpu_alone, cpu_flooding = 0.0, 0.0, 0.0
        assert intake.proc is not None
        pid = intake.proc.pid
        for _ in range(PAIRS):  # interleaved: the machine's other load weighs on both alike
            cpu = cpu_s(pid)
            alone += await ten.hold(BLOCK_S)
            cpu_alone += cpu_s(pid) - cpu
            flooder.send_signal(signal.SIGCONT)
            began = time.perf_counter()
            await asyncio.sleep(FLOOD_HEAD_START_S)
            cpu = cpu_s(pid)
            flooding += await ten.hold(BLOCK_S)
            cpu_flooding += cpu_s(pid) - cpu
            flooder.send_signal(signal.SIGSTOP)
            flood_on_s += time.perf_counter() - began
        baseline, flooded = figures(alone, HOLD_S), figures(flooding, HOLD_S)
        flooder.send_signal(signal.SIGCONT)
        flooder.send_signal(signal.SIGTERM)
        flood_lifetime_s = time.perf_counter() - flood_started
        out, _ = flooder.communicate(timeout=60)
        flood_report = json.loads(out.decode().strip().splitlines()[-1])
        await ten.client.aclose()
    finally:
        if flooder is not None and flooder.poll() is None:
            flooder.kill()
        intake.stop()

    statuses = {int(k): v for k, v in flood_report["statuses"].items()}
    reconnections = statuses.pop(0, 0)  # uvicorn closed its idle connections while paused
    flood_rate = sum(statuses.values()) / flood_on_s
    # intake's CPU a second, alone and flooded: what the flooder's requests cost it
    cpu_alone_share, cpu_flooding_share = cpu_alone / HOLD_S, cpu_flooding / HOLD_S
    met = flooded["p99_ms"] < P99_TARGET_MS and flooded["refused"] == 0
    common = {"notes": f"{PARTNERS} partners at {QUOTA['per_minute']}/minute each, {HOLD_S:.0f} s "
              f"in each condition ({PAIRS} pairs of {BLOCK_S:.0f} s blocks, interleaved); "
              f"flooder {FLOOD_CONNECTIONS} connections, {flood_rate:.0f} requests/s"}  # fmt: skip
    base = {"baseline_name": "the same ten, no flooder"}
    record(NAME, "ten partners' p99 latency, flooder on", flooded["p99_ms"], "ms",
           baseline=baseline["p99_ms"], target=f"< {P99_TARGET_MS:.0f} ms", met=met,
           **base, **common)  # fmt: skip
    record(NAME, "ten partners' p50 latency, flooder on", flooded["p50_ms"], "ms",
           baseline=baseline["p50_ms"], **base, **common)  # fmt: skip
    record(NAME, "ten partners' events accepted a second, flooder on",
           flooded["accepted_per_s"], "events/s", baseline=baseline["accepted_per_s"],
           target=f"{PARTNERS * QUOTA['per_minute'] / 60:.0f}/s (their quotas)", **base, **common)  # fmt: skip
    record(NAME, "flooder's answers 429", statuses.get(429, 0), "answers",
           accepted=statuses.get(201, 0), other=statuses, flood_seconds=flood_on_s, **common)  # fmt: skip
    record(NAME, "intake's CPU, flooder on", cpu_flooding_share, "cores",
           baseline=cpu_alone_share, **base, **common)  # fmt: skip
    print(
        f"\nbaseline (ten partners alone): p50 {baseline['p50_ms']:.0f} ms, p99 "
        f"{baseline['p99_ms']:.0f} ms, {baseline['accepted_per_s']:.1f} accepted/s of "
        f"{baseline['offered_per_s']:.1f} offered, {baseline['refused']:.0f} refused or failed\n"
        f"flooder on: p50 {flooded['p50_ms']:.0f} ms, p99 {flooded['p99_ms']:.0f} ms, "
        f"{flooded['accepted_per_s']:.1f} accepted/s of {flooded['offered_per_s']:.1f} offered, "
        f"{flooded['refused']:.0f} refused or failed\n"
        f"flooder: {sum(statuses.values())} requests in {flood_on_s:.1f} s "
        f"({flood_rate:.0f}/s): {statuses}, {reconnections} reconnections\n"
        f"intake's CPU: {cpu_alone_share:.2f} cores alone, {cpu_flooding_share:.2f} flooded"
    )
    assert baseline["refused"] == 0, "a partner at its quota was refused"
    assert flooded["refused"] == 0, "a partner at its quota was refused during the flood"
    assert statuses.get(429, 0) > 0, "the flooder was never refused"
    # its quota and no more, paused or not: one burst, then its rate (1 s of slack)
    limit = QUOTA["burst"] + (flood_lifetime_s + 1) * QUOTA["per_minute"] / 60
    assert statuses.get(201, 0) <= limit
