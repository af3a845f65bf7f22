"""The HTTP series keep the names and labels the alerts and the dashboard read
(deploy/observability): one handler label per route template, statuses grouped."""

import httpx
import pytest
from fastapi import FastAPI, HTTPException
from prometheus_client import CollectorRegistry

from entraide.kit.http_metrics import CHILDREN_MAX, HttpMetrics, HttpSeries
from entraide.kit.metrics import HTTP_LATENCY, HTTP_REQUESTS


def app_with(registry: CollectorRegistry) -> FastAPI:
    app = FastAPI()

    @app.get("/familles/{family_id}")
    async def family(family_id: str) -> dict[str, str]:
        if family_id == "inconnue":
            raise HTTPException(404)
        return {"id": family_id}

    @app.post("/boom")
    async def boom() -> None:
        raise RuntimeError("broken")

    app.add_middleware(HttpMetrics, series=HttpSeries(registry))
    return app


def count(registry: CollectorRegistry, **labels: str) -> float:
    return registry.get_sample_value(HTTP_REQUESTS, labels) or 0.0


async def test_requests_are_counted_by_route_template_and_grouped_status() -> None:
    registry = CollectorRegistry()
    transport = httpx.ASGITransport(app=app_with(registry), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://x") as client:
        for family_id in ("a1", "b2", "inconnue"):
            await client.get(f"/familles/{family_id}?nom=Diallo")
        await client.get("/nulle-part/0612345678")
        assert (await client.post("/boom")).status_code == 500

    route = "/familles/{family_id}"
    assert count(registry, method="GET", status="2xx", handler=route) == 2
    assert count(registry, method="GET", status="4xx", handler=route) == 1
    # a path no route serves is one label, whatever it holds
    assert count(registry, method="GET", status="4xx", handler="none") == 1
    assert count(registry, method="POST", status="5xx", handler="/boom") == 1
    latency = registry.get_sample_value(
        f"{HTTP_LATENCY}_count", {"method": "GET", "handler": route}
    )
    assert latency == 3
    assert registry.get_sample_value("http_request_duration_highr_seconds_count") == 5
    # no label holds a path's values
    labels = {v for m in registry.collect() for s in m.samples for v in s.labels.values()}
    assert not any("a1" in v or "0612345678" in v or "Diallo" in v for v in labels)


@pytest.mark.parametrize("name", ["http_request_size_bytes", "http_response_size_bytes"])
async def test_sizes_are_summarised_by_handler(name: str) -> None:
    registry = CollectorRegistry()
    transport = httpx.ASGITransport(app=app_with(registry))
    async with httpx.AsyncClient(transport=transport, base_url="http://x") as client:
        await client.get("/familles/a1")
    assert registry.get_sample_value(f"{name}_count", {"handler": "/familles/{family_id}"}) == 1


def test_counts_stay_right_past_the_series_found_once() -> None:
    """The labelled series are found once per method, route and status class; past the
    bound they are found again, and a series counts on from where it was."""
    registry = CollectorRegistry()
    series = HttpSeries(registry)
    series.observe("GET", "/a", 200, 0.01, (0, 2))
    for n in range(CHILDREN_MAX + 1):  # as many combinations as a client inventing methods
        series.observe(f"M{n}", "/a", 200, 0.01, (0, 2))
    series.observe("GET", "/a", 204, 0.01, (0, 0))
    assert count(registry, method="GET", status="2xx", handler="/a") == 2
    assert count(registry, method=f"M{CHILDREN_MAX}", status="2xx", handler="/a") == 1
    assert registry.get_sample_value("http_response_size_bytes_sum", {"handler": "/a"}) == 2 * (
        CHILDREN_MAX + 2
    )
