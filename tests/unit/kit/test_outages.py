"""A dependency that breaks: 503 naming it with Retry-After on any route, JSON or page; the
outage logged once when it starts and once when it ends, aiokafka's flood kept out."""

import logging
from collections.abc import Awaitable, Callable

import httpx
import pytest
from aiokafka.errors import KafkaConnectionError
from fastapi import APIRouter
from prometheus_client import CollectorRegistry
from pymongo.errors import ServerSelectionTimeoutError

from entraide.intake.settings import IntakeSettings
from entraide.kit.auth import install_auth
from entraide.kit.outages import (
    KAFKA,
    KEY_VAULT,
    OUTAGES,
    STORE,
    DependencyUnavailableError,
    QuietBrokerOutage,
)
from entraide.kit.service import runtime, service_app
from entraide.kit.web import templates_for


@pytest.fixture(autouse=True)
def no_outage_before_or_after():
    for component in OUTAGES.down():
        OUTAGES.restored(component)
    yield
    for component in OUTAGES.down():
        OUTAGES.restored(component)


def broken_app() -> httpx.AsyncClient:
    router = APIRouter()
    failures = {
        "store": ServerSelectionTimeoutError("no server"),
        "kafka": KafkaConnectionError("no broker"),
        "vault": DependencyUnavailableError(KEY_VAULT, "ReadTimeout"),
    }
    for name, failure in failures.items():

        def fail_with(failure: Exception) -> Callable[[], Awaitable[None]]:
            async def fail() -> None:
                raise failure

            return fail

        router.add_api_route(f"/api/v1/{name}", fail_with(failure))
        router.add_api_route(f"/pages/{name}", fail_with(failure))
    app = service_app(runtime("intake", IntakeSettings()), routers=[router])
    install_auth(app, IntakeSettings(), templates_for("entraide.intake"))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://intake")


@pytest.mark.parametrize(
    ("route", "component", "retry_after"),
    [("store", STORE, "5"), ("kafka", KAFKA, "10"), ("vault", KEY_VAULT, "5")],
)
async def test_a_dependency_down_answers_503_naming_it_with_retry_after(
    route: str, component: str, retry_after: str
) -> None:
    async with broken_app() as client:
        api = await client.get(f"/api/v1/{route}")
        page = await client.get(f"/pages/{route}")
    assert api.status_code == 503
    assert api.headers["retry-after"] == retry_after
    assert api.json()["detail"]["component"] == component
    assert api.json()["detail"]["code"] == f"{component}-unavailable"
    assert "Rien n'a été enregistré" in api.json()["detail"]["message"]
    assert page.status_code == 503
    assert page.headers["retry-after"] == retry_after
    assert page.headers["content-type"].startswith("text/html")
    assert "Service indisponible" in page.text
    assert OUTAGES.is_down(component)


def aiokafka_record(message: str, name: str = "aiokafka", level: int = logging.ERROR):
    return logging.LogRecord(name, level, __file__, 1, message, None, None)


def test_a_broker_outage_is_one_line_when_it_starts_and_one_when_it_ends(caplog) -> None:
    quiet = QuietBrokerOutage()
    flood = [
        aiokafka_record("Unable connect to node with id 1: [Errno 111] Connect call failed"),
        aiokafka_record("Unable to update metadata from [1]"),
        aiokafka_record("Failed fetch messages from 1: NodeNotReadyError", "aiokafka.consumer"),
    ] * 200
    with caplog.at_level(logging.WARNING, logger="entraide.kit.outages"):
        passed = [record for record in flood if quiet.filter(record)]
        OUTAGES.restored(KAFKA)
    assert passed == []
    lines = [(r.getMessage(), getattr(r, "component", None)) for r in caplog.records]
    assert lines == [("dependency unreachable", KAFKA), ("dependency back", KAFKA)]
    assert caplog.records[1].outage_s >= 0


def test_aiokafka_lines_that_are_no_outage_pass_and_others_loggers_too() -> None:
    quiet = QuietBrokerOutage()
    rebalance = aiokafka_record(
        "OffsetCommit failed for group g due to group error (RebalanceInProgressError)",
        "aiokafka.consumer.group_coordinator",
    )
    assert quiet.filter(rebalance)
    assert quiet.filter(aiokafka_record("Unable connect to node", "entraide.intake"))
    assert quiet.filter(aiokafka_record("Unable connect to node", level=logging.INFO))
    assert not OUTAGES.is_down(KAFKA)


def test_an_outage_under_way_shows_as_open_until_it_ends() -> None:
    registry = CollectorRegistry()
    OUTAGES.bind(registry)

    def sample(name: str) -> float | None:
        return registry.get_sample_value(name, {"component": STORE})

    OUTAGES.broken(STORE, "ServerSelectionTimeoutError")
    OUTAGES.broken(STORE, "ServerSelectionTimeoutError")  # the same outage
    assert sample("entraide_dependency_outages_total") == 1
    assert sample("entraide_dependency_outages_open") == 1
    OUTAGES.restored(STORE)
    assert sample("entraide_dependency_outages_open") == 0
    assert sample("entraide_dependency_outages_total") == 1
