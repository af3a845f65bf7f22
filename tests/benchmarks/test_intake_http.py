"""Benchmark: intake's staff API (POST /api/v1/requests: token check, validation, sealing,
duplicate lookup, one document write with its outbox) against a bare FastAPI endpoint
validating the same JSON with the same model, both in-process over ASGI, 8 requests at a time.
Each request is another parent (name, phone, e-mail), as at a desk: the duplicate lookup
finds nothing. (With the same parent every time, each lookup found, unpacked and counted
every earlier family: 61 % of the API's time in a profile, a worst case no desk sees.)

    make bench
"""

import asyncio
import os
import time

import httpx
from fastapi import FastAPI

from entraide.intake.app import create_app as intake_app
from entraide.intake.entrypoints.http.schemas import RequestIn
from tests.benchmarks.record import record
from tests.support import request_body, serving

REQUESTS = int(os.environ.get("BENCH_INTAKE_REQUESTS", "800"))
CONCURRENCY = 8


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


async def rate(client: httpx.AsyncClient, headers: dict[str, str]) -> float:
    started = time.perf_counter()
    for round_ in range(REQUESTS // CONCURRENCY):
        answers = await asyncio.gather(
            *[
                client.post(
                    "/api/v1/requests", json=body(round_ * CONCURRENCY + i), headers=headers
                )
                for i in range(CONCURRENCY)
            ]
        )
        assert all(a.status_code == 201 for a in answers), answers[0].text
    return REQUESTS / (time.perf_counter() - started)


async def test_intake_http_against_a_bare_endpoint(intake_settings, staff_bearer) -> None:
    transport = httpx.ASGITransport(app=bare_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://bare") as bare:
        bare_rate = await rate(bare, {})
    settings = intake_settings.model_copy(update={"outbox_relay": False})
    async with serving(intake_app(settings), ready=False) as intake:
        intake_rate = await rate(intake, staff_bearer)
    record(
        "intake HTTP",
        "POST /api/v1/requests per second",
        intake_rate,
        "requests/s",
        baseline=bare_rate,
        baseline_name="bare FastAPI endpoint, same body",
        target=">= 0.5 x bare",
        met=intake_rate >= 0.5 * bare_rate,
        notes=f"{REQUESTS} requests (each another parent), {CONCURRENCY} at a time, in-process (ASGI); relay off",
    )
    print(f"\nintake {intake_rate:.0f} requests/s, bare FastAPI {bare_rate:.0f} requests/s")
