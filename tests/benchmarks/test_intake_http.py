"""Benchmark: intake's staff API (POST /api/v1/requests: token check, validation, sealing,
duplicate lookup, one document write with its outbox) against a bare FastAPI endpoint
validating the same JSON with the same model, both in-process over ASGI, 8 requests at a time.

    make bench
"""

import asyncio
import time

import httpx
from fastapi import FastAPI

from entraide.intake.app import create_app as intake_app
from entraide.intake.schemas import RequestIn
from tests.benchmarks.record import record
from tests.support import request_body, serving

REQUESTS = 200
CONCURRENCY = 8
BODY = request_body() | {"confirm_new": True}  # the same parent: reviewed, another family


def bare_app() -> FastAPI:
    app = FastAPI()

    @app.post("/api/v1/requests", status_code=201)
    async def create(body: RequestIn) -> dict[str, str]:
        return {"request_id": "x", "status": "submitted"}

    return app


async def rate(client: httpx.AsyncClient, headers: dict[str, str]) -> float:
    started = time.perf_counter()
    for _ in range(REQUESTS // CONCURRENCY):
        answers = await asyncio.gather(
            *[
                client.post("/api/v1/requests", json=BODY, headers=headers)
                for _ in range(CONCURRENCY)
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
        notes=f"{REQUESTS} requests, {CONCURRENCY} at a time, in-process (ASGI); relay off",
    )
    print(f"\nintake {intake_rate:.0f} requests/s, bare FastAPI {bare_rate:.0f} requests/s")
