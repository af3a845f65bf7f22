"""Partner quotas on the HTTP door: per authenticated partner, shared by replicas through
the store; failed signatures limited per address; a store that does not answer, 503."""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from pydantic import SecretStr
from pymongo import AsyncMongoClient

from entraide.intake.adapters.quotas import COLLECTION, PartnerQuotas
from entraide.intake.app import create_app as intake_app
from entraide.intake.domain import partners
from entraide.intake.domain.partners import Partner, Quota
from entraide.intake.usecases.partner_door import PartnerDoor
from entraide.kit.deps import lookup
from entraide.kit.metrics import partner_quota_refusals
from entraide.kit.outages import OUTAGES, STORE
from tests.infra import free_port
from tests.integration.test_partner_doors import partner_event

DOOR = "/api/v1/partner-events"
CAF, CD = "caf-44", "cd-35"
SECRETS = {CAF: "caf-secret-for-quotas", CD: "cd-secret-for-quotas"}


def signed(key: str, body: bytes, secret: str | None = None) -> dict[str, str]:
    stamp = str(int(time.time()))
    return {
        "X-Entraide-Partner": key,
        "X-Entraide-Timestamp": stamp,
        "X-Entraide-Signature": partners.signature(secret or SECRETS[key], stamp, body),
        "content-type": "application/cloudevents+json",
    }


@pytest.fixture
def quota_settings(intake_settings, unique):
    """Two partners: the CAF with a small quota (5 at once, then one every 5 s), the
    département with the defaults; failed signatures limited to 2 a minute per address."""
    return intake_settings.model_copy(
        update={
            "partners": {
                CAF: Partner(
                    secret=SecretStr(SECRETS[CAF]),
                    source=f"urn:entraide:partner:caf-44-{unique}",
                    quota=Quota(per_minute=12, burst=5),
                ),
                CD: Partner(
                    secret=SecretStr(SECRETS[CD]), source=f"urn:entraide:partner:cd-35-{unique}"
                ),
            },
            "public_rate_limit": "2/minute",
        }
    )


@contextlib.asynccontextmanager
async def replica(app: FastAPI) -> AsyncIterator[FastAPI]:
    async with app.router.lifespan_context(app):
        yield app


def client(app: FastAPI, address: str = "192.0.2.10") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://intake")


async def post(http: httpx.AsyncClient, settings, key: str) -> httpx.Response:
    body = partner_event(settings.partners[key].source)
    return await http.post(DOOR, content=body, headers=signed(key, body))


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_two_quota_books_on_one_store_count_each_partner_once_at_its_quota(
    mongo, unique
) -> None:
    """The buckets themselves (kit/buckets.py under the partner's quota), two replicas'
    books on one real store: each partner's own quota, Retry-After in whole seconds rounded
    up, one document `{_id: key id, tat}` a partner, and a bucket already in the store (as
    any earlier version wrote it) honoured."""
    db = mongo[f"test_quotas_{unique}"]
    caf = Partner(secret=SecretStr("s"), source="urn:caf", quota=Quota(per_minute=12, burst=3))
    cd = Partner(secret=SecretStr("s"), source="urn:cd")  # 600 a minute, 100 at once
    clock, registry = Clock(), CollectorRegistry()
    refusals = partner_quota_refusals(registry)
    await db[COLLECTION].insert_one({"_id": CD, "tat": clock.now + 60.0})  # a live bucket
    one, two = (PartnerQuotas(db, {CAF: caf, CD: cd}, refusals, clock=clock) for _ in range(2))

    waits = [await (one, two)[i % 2].retry_after(CAF, caf) for i in range(5)]
    assert waits == [None] * 3 + [5, 5]  # 3 at once, then a token every 5 s, for both
    clock.now += 2.5
    assert one.known_over(CAF) == 2.5  # exact, no store call: this replica saw the bucket
    assert await two.retry_after(CAF, caf) == 3  # whole seconds, rounded up
    clock.now += 2.5  # one token back: one request, whichever replica serves it
    assert await two.retry_after(CAF, caf) is None
    assert await one.retry_after(CAF, caf) == 5
    clock.now += 0.9999
    assert await one.retry_after(CAF, caf) == 5
    assert one.known_over(CAF) == pytest.approx(4.0001)
    assert await two.retry_after(CD, cd) == 45  # 54 s ahead now, 9.9 s of tolerance: 44.1 s
    assert one.known_over("nobody") is None

    stored = [bucket async for bucket in db[COLLECTION].find({})]
    assert sorted(stored, key=lambda b: b["_id"]) == [
        {"_id": CAF, "tat": 1_800_000_000.0 + 20.0},
        {"_id": CD, "tat": 1_800_000_000.0 + 60.0},
    ]
    counted = {
        source: registry.get_sample_value(
            "entraide_partner_quota_refusals_total", {"source": source}
        )
        for source in ("urn:caf", "urn:cd")
    }
    assert counted == {"urn:caf": 7.0, "urn:cd": 1.0}


async def test_two_replicas_share_a_partners_quota_and_another_partner_is_unaffected(
    quota_settings, mongo
) -> None:
    async with (
        replica(intake_app(quota_settings)) as a,
        replica(intake_app(quota_settings)) as b,
        client(a) as via_a,
        client(b) as via_b,
    ):
        first = [await post(via, quota_settings, CAF) for via in (via_a, via_b) * 2]
        first.append(await post(via_a, quota_settings, CAF))
        over_a = await post(via_a, quota_settings, CAF)
        over_b = await post(via_b, quota_settings, CAF)
        other = [await post(via, quota_settings, CD) for via in (via_a, via_b)]
        status = await via_b.get(f"{DOOR}/anything", headers=signed(CAF, b""))
        await asyncio.sleep(float(over_b.headers["retry-after"]) + 0.05)
        later = await post(via_b, quota_settings, CAF)
        metrics = (await via_a.get("/metrics")).text + (await via_b.get("/metrics")).text

    assert [a.status_code for a in first] == [201] * 5, first[-1].text
    for over in (over_a, over_b):
        assert over.status_code == 429
        assert over.json() == {
            "detail": {"code": "quota-exceeded", "quota": {"per_minute": 12, "burst": 5}}
        }
        assert 1 <= int(over.headers["retry-after"]) <= 5  # one token every 5 s
    assert [o.status_code for o in other] == [201, 201]
    # a status read counts as well; replica b knows the CAF is over: refused at its gate
    assert (status.status_code, status.json()) == (429, over_b.json())
    assert 1 <= int(status.headers["retry-after"]) <= 5
    assert status.headers["x-content-type-options"] == "nosniff"
    assert later.status_code == 201, "Retry-After said a request would fit by then"
    source = quota_settings.partners[CAF].source
    refused = [
        line
        for line in metrics.splitlines()
        if line.startswith("entraide_partner_quota_refusals_total{") and source in line
    ]
    assert sum(float(line.rsplit(" ", 1)[1]) for line in refused) == 3  # over_a, over_b, status
    buckets = mongo[quota_settings.database][COLLECTION]
    assert sorted(await buckets.distinct("_id")) == [CAF, CD]


async def test_failed_signatures_are_limited_per_address_and_never_a_partners_requests(
    quota_settings,
) -> None:
    source = quota_settings.partners[CD].source
    async with (
        replica(intake_app(quota_settings)) as app,
        client(app, "192.0.2.20") as shared_nat,
        client(app, "192.0.2.30") as elsewhere,
    ):
        body = partner_event(source)
        unsigned = await shared_nat.post(
            DOOR, content=body, headers={"content-type": "application/cloudevents+json"}
        )
        forged = await shared_nat.post(DOOR, content=body, headers=signed(CD, body, "guess"))
        past = await shared_nat.post(DOOR, content=body, headers=signed("nobody", body, "x"))
        partner_behind_the_same_nat = await post(shared_nat, quota_settings, CD)
        from_elsewhere = await elsewhere.post(DOOR, content=body, headers=signed(CD, body, "y"))

    assert (unsigned.status_code, unsigned.json()["detail"]["code"]) == (401, "missing-signature")
    assert (forged.status_code, forged.json()["detail"]["code"]) == (401, "bad-signature")
    assert (past.status_code, past.json()["detail"]["code"]) == (429, "rate-limited")
    assert int(past.headers["retry-after"]) >= 1
    assert partner_behind_the_same_nat.status_code == 201
    assert (from_elsewhere.status_code, from_elsewhere.json()["detail"]["code"]) == (
        401,
        "bad-signature",
    )


async def test_a_quota_the_store_cannot_count_answers_503_naming_the_store(
    quota_settings, mongo
) -> None:
    """The quota's own store call fails (here: its collection on a port where nothing
    listens): the door refuses as for any store outage, and records nothing."""
    families = mongo[quota_settings.database]["families"]
    unreachable: AsyncMongoClient[dict] = AsyncMongoClient(
        f"mongodb://127.0.0.1:{free_port()}", serverSelectionTimeoutMS=300
    )
    async with replica(intake_app(quota_settings)) as app, client(app) as http:
        lookup(app, PartnerDoor).quotas.buckets.collection = unreachable["nowhere"][COLLECTION]
        answer = await post(http, quota_settings, CAF)
    await unreachable.close()
    OUTAGES.restored(STORE)  # the process-wide outage note: not left for the next tests

    assert answer.status_code == 503, answer.text
    assert answer.json()["detail"]["code"] == "store-unavailable"
    assert answer.headers["retry-after"] == "5"
    assert await families.count_documents({}) == 0
