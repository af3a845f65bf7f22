"""The four services run as real processes: probes, a request end to end, JSON logs without
identity, and a graceful stop on SIGTERM."""

import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.infra import Endpoints, free_port
from tests.support import IDENTITY_VALUES, eventually, request_body

SERVICES = ("directory", "intake", "matching", "privacy")


@pytest.fixture
def processes(infra: Endpoints, tmp_path: Path) -> Iterator[dict[str, tuple[str, Path]]]:
    run = uuid.uuid4().hex[:8]
    env = {
        **os.environ,
        "ENTRAIDE_KAFKA_BOOTSTRAP": infra.kafka_bootstrap,
        "ENTRAIDE_MONGODB_URI": infra.mongodb_uri,
        "ENTRAIDE_CONSUMER_GROUP_PREFIX": f"e2e-{run}",
    }
    started: dict[str, tuple[subprocess.Popen[bytes], str, Path]] = {}
    for service in SERVICES:
        port = free_port()
        env[f"ENTRAIDE_{service.upper()}_PORT"] = str(port)
        env[f"ENTRAIDE_{service.upper()}_DATABASE"] = f"e2e_{service}_{run}"
        log = tmp_path / f"{service}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", f"entraide.{service}"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        started[service] = (proc, f"http://127.0.0.1:{port}", log)
    try:
        yield {name: (url, log) for name, (_, url, log) in started.items()}
        for service, (proc, _, log) in started.items():
            proc.send_signal(signal.SIGTERM)
            # uvicorn re-raises SIGTERM once its shutdown completed
            assert proc.wait(timeout=30) in (0, -signal.SIGTERM)
            assert "Application shutdown complete." in log.read_text(), service
    finally:
        for proc, _, _ in started.values():
            if proc.poll() is None:
                proc.kill()


async def test_services_run_serve_and_stop_gracefully(processes) -> None:
    async with httpx.AsyncClient(timeout=5) as http:

        async def all_ready() -> bool:
            try:
                codes = [
                    (await http.get(f"{url}/readyz")).status_code for url, _ in processes.values()
                ]
            except httpx.TransportError:
                return False
            return codes == [200] * len(processes)

        await eventually(all_ready, timeout=60, what="four services ready")
        for url, _ in processes.values():
            assert (await http.get(f"{url}/healthz")).json() == {"status": "ok"}
            assert "paths" in (await http.get(f"{url}/openapi.json")).json()
            assert (await http.get(f"{url}/asyncapi.json")).json()["asyncapi"].startswith("3.")
            metrics = (await http.get(f"{url}/metrics")).text
            assert "http_requests_total" in metrics

        intake, matching = processes["intake"][0], processes["matching"][0]
        created = await http.post(f"{intake}/api/v1/requests", json=request_body())
        assert created.status_code == 201
        request_id = created.json()["request_id"]

        async def in_matching() -> bool:
            return (await http.get(f"{matching}/api/v1/requests/{request_id}")).status_code == 200

        await eventually(in_matching, what="request in matching")
        asyncapi = (await http.get(f"{matching}/asyncapi.json")).json()
        assert any(
            "entraide.intake.requests.v1" in json.dumps(c) for c in asyncapi["channels"].values()
        )
        assert (
            "entraide_outbox_published_events_total 1.0"
            in (await http.get(f"{intake}/metrics")).text
        )

    for _, log in processes.values():
        lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
        assert lines, f"no JSON log lines in {log}"
        assert not any(value in log.read_text() for value in IDENTITY_VALUES)
