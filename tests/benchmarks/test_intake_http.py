"""Benchmark: intake's staff API (POST /api/v1/requests: token check, validation, sealing,
duplicate lookup, one document write with its outbox) against a bare FastAPI endpoint
validating the same JSON with the same model, both in-process over ASGI, from 8 clients at
once (each sends its next request when its previous one is answered).
Each request is another parent (name, phone, e-mail), as at a desk: the duplicate lookup
finds nothing. (With the same parent every time, each lookup found, unpacked and counted
every earlier family: 61 % of the API's time in a profile, a worst case no desk sees.)
The two alternate in blocks, so a shared machine's load weighs on both alike. Intake's keys
are local (ENTRAIDE_KEYS=local): with the vault's (the default) new families' keys are made
ahead the same way, one call to the vault for hundreds of families.

    make bench
"""

import asyncio
import os
import statistics
import time

import httpx
from fastapi import FastAPI

from entraide.intake.app import create_app as intake_app
from entraide.intake.entrypoints.http.schemas import RequestIn
from tests.benchmarks.record import record
from tests.support import request_body, serving

REQUESTS = int(os.environ.get("BENCH_INTAKE_REQUESTS", "800"))
CONCURRENCY = 8
BLOCKS = 4
# the store is a JVM: its first thousand writes run interpreted (measured: intake's first block
# 0.28 of bare after 80 requests of warm-up, 0.30 after 2,000); production's MongoDB is not
WARM_UP = int(os.environ.get("BENCH_INTAKE_WARM_UP", "800"))


def body(i: int) -> dict:
    parent = {
        "first_name": "Amina",
        "last_name": f"Diallo-{i}",
        "phone": f"06 12 {i // 10000 % 100:02d} {i // 100 % 100:02d} {i % 100:02d}",
        "email": f"parent.{i}@example.org",
    }
    return request_body() | {"parent": parent}


def bare_app() -> FastAPI:
    app = FastAPI()

    @app.post("/api/v1/requests", status_code=201)
    async def create(body: RequestIn) -> dict[str, str]:
        return {"request_id": "x", "status": "submitted"}

    return app


async def rate(
    client: httpx.AsyncClient, headers: dict[str, str], first: int, n: int
) -> tuple[float, float]:
    """Requests per second for `n` requests (parents `first`...) from CONCURRENCY clients,
    each sending its next request when its previous one is answered (as a load tool's
    connections do: no client waits for the slowest of a round); and the process's CPU
    milliseconds per request (the client's share included, the store's process not)."""
    numbers = iter(range(first, first + n))

    async def client_loop() -> None:
        for i in numbers:
            answer = await client.post("/api/v1/requests", json=body(i), headers=headers)
            assert answer.status_code == 201, answer.text

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*[client_loop() for _ in range(CONCURRENCY)])
    return n / (time.perf_counter() - started), (time.process_time() - cpu) / n * 1e3


async def test_intake_http_against_a_bare_endpoint(intake_settings, staff_bearer) -> None:
    """The two alternate in blocks (the machine is shared: its load weighs on both alike);
    each one's rate is the median of its blocks."""
    settings = intake_settings.model_copy(update={"outbox_relay": False})
    bare, intake = [], []  # (requests/s, CPU ms a request) of each block
    block = REQUESTS // BLOCKS
    transport = httpx.ASGITransport(app=bare_app())
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://bare") as bare_client,
        # ready: its consumers subscribed, as a pod the Service sends requests to (before,
        # their group joins ran inside the measured blocks: a third of the first block)
        serving(intake_app(settings)) as intake_client,
    ):
        await rate(bare_client, {}, REQUESTS, WARM_UP)  # connections, caches, first calls
        await rate(intake_client, staff_bearer, REQUESTS, WARM_UP)
        for i in range(BLOCKS):
            bare.append(await rate(bare_client, {}, i * block, block))
            intake.append(await rate(intake_client, staff_bearer, i * block, block))
    bare_rates, intake_rates = [r for r, _ in bare], [r for r, _ in intake]
    bare_rate, intake_rate = statistics.median(bare_rates), statistics.median(intake_rates)
    bare_cpu, intake_cpu = (statistics.median(c for _, c in side) for side in (bare, intake))
    record(
        "intake HTTP",
        "POST /api/v1/requests per second",
        intake_rate,
        "requests/s",
        baseline=bare_rate,
        baseline_name="bare FastAPI endpoint, same body",
        target=">= 0.5 x bare",
        met=intake_rate >= 0.5 * bare_rate,
        notes=f"{REQUESTS} requests (each another parent), {CONCURRENCY} clients, in-process (ASGI), "
        f"relay off; medians of {BLOCKS} alternating blocks (intake "
        + ", ".join(f"{r:.0f}" for r in intake_rates)
        + "; bare "
        + ", ".join(f"{r:.0f}" for r in bare_rates)
        + f"); CPU of the process a request, medians: intake {intake_cpu:.2f} ms, "
        f"bare {bare_cpu:.2f} ms (the client's share in both, the store's process in neither)",
    )
    print(f"\nintake {intake} (requests/s, CPU ms), bare FastAPI {bare}")
