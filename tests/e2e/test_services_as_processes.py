"""The four services and the observatory run as real processes: probes, a request end to
end, JSON logs without identity, and a graceful stop on SIGTERM."""

import json

import httpx

from tests.support import IDENTITY_VALUES, eventually, request_body

SERVICES = ("directory", "intake", "matching", "privacy")


async def test_services_run_serve_and_stop_gracefully(processes, dev_issuer) -> None:
    async with httpx.AsyncClient(timeout=5) as http:

        async def all_ready() -> bool:
            try:
                codes = [
                    (await http.get(f"{url}/readyz")).status_code for url, _ in processes.values()
                ]
            except httpx.TransportError:
                return False
            return codes == [200] * len(processes)

        await eventually(all_ready, timeout=60, what="every service ready")
        for url, _ in processes.values():
            assert (await http.get(f"{url}/healthz")).json() == {"status": "ok"}
            assert "paths" in (await http.get(f"{url}/openapi.json")).json()
            assert (await http.get(f"{url}/asyncapi.json")).json()["asyncapi"].startswith("3.")
            metrics = (await http.get(f"{url}/metrics")).text
            assert "http_requests_total" in metrics

        intake, matching = processes["intake"][0], processes["matching"][0]
        staff = {"Authorization": f"Bearer {await dev_issuer.token_for('ppm-nantes')}"}
        created = await http.post(f"{intake}/api/v1/requests", json=request_body(), headers=staff)
        assert created.status_code == 201
        request_id = created.json()["request_id"]

        async def in_matching() -> bool:
            url = f"{matching}/api/v1/requests/{request_id}"
            return (await http.get(url, headers=staff)).status_code == 200

        await eventually(in_matching, what="request in matching")
        asyncapi = (await http.get(f"{matching}/asyncapi.json")).json()
        assert any(
            "entraide.intake.requests.v1" in json.dumps(c) for c in asyncapi["channels"].values()
        )
        assert (
            'entraide_outbox_published_events_total{outbox="families"} 1.0'
            in (await http.get(f"{intake}/metrics")).text
        )

    for _, log in processes.values():
        lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
        assert lines, f"no JSON log lines in {log}"
        assert not any(value in log.read_text() for value in IDENTITY_VALUES)
