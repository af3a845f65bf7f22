"""The partner door's gate: a partner known to be over its quota never reaches the app."""

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from entraide.intake.adapters.quotas import PartnerQuotas
from entraide.intake.domain.partners import Partner, Quota
from entraide.intake.entrypoints.http import quota_gate
from entraide.kit.metrics import partner_quota_refusals

NOW = 1_000_000.0
CAF = Partner(
    secret=SecretStr("s"), source="urn:entraide:partner:caf-44", quota=Quota(per_minute=60, burst=5)
)


class NoStore(dict):
    """The quotas' database, which the gate must never call."""

    def __missing__(self, name: str) -> object:
        return object()


@pytest.fixture
def gated(monkeypatch) -> tuple[FastAPI, PartnerQuotas, list[str]]:
    monkeypatch.setattr(quota_gate, "HOLD_S", 0.0)
    registry = CollectorRegistry()
    quotas = PartnerQuotas(
        NoStore(), {"caf-44": CAF}, partner_quota_refusals(registry), clock=lambda: NOW
    )  # type: ignore[arg-type]
    reached: list[str] = []
    app = FastAPI()

    @app.post("/api/v1/partner-events")
    async def door() -> dict[str, str]:
        reached.append("door")
        return {}

    quota_gate.install(app, quotas)
    app.state.registry = registry
    return app, quotas, reached


async def post(app: FastAPI, key: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
        return await client.post("/api/v1/partner-events", headers={"X-Entraide-Partner": key})


async def test_a_partner_known_over_its_quota_is_refused_before_the_app(gated) -> None:
    app, quotas, reached = gated
    quotas.buckets._saw("caf-44", NOW + 4 + 3.5)  # 5 at once, then one a second: 3.5 s to wait

    answer = await post(app, "caf-44")

    assert reached == []
    assert answer.status_code == 429
    assert answer.json() == {
        "detail": {"code": "quota-exceeded", "quota": {"per_minute": 60, "burst": 5}}
    }
    assert answer.headers["retry-after"] == "4"  # what is left of the wait, whole seconds
    assert answer.headers["x-content-type-options"] == "nosniff"
    refused = app.state.registry.get_sample_value(
        "entraide_partner_quota_refusals_total", {"source": CAF.source}
    )
    assert refused == 1


async def test_a_partner_within_its_quota_or_unknown_goes_the_whole_way(gated) -> None:
    app, quotas, reached = gated
    quotas.buckets._saw("caf-44", NOW + 4)  # the fifth token just taken: the next one fits now

    answers = [await post(app, "caf-44"), await post(app, "nobody"), await post(app, "")]

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert reached == ["door"] * 3
