"""The observatory on the real broker and store: the network's events become anonymous
facts in Parquet; an erasure command removes the family's open episode (and is counted
once however often privacy resends it); after the requests close, neither the store nor
the files hold a reference; the figures are for the coordination and funders only."""

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from aiokafka import AIOKafkaProducer

from entraide.contracts import new_event
from entraide.contracts.events import (
    ErasureRequested,
    EventData,
    MatchAccepted,
    MatchClosed,
    MatchProposed,
    MatchStarted,
    MatchWaitlisted,
    RequestSubmitted,
)
from entraide.contracts.topics import MATCHES, PRIVACY_ACKS, PRIVACY_COMMANDS, REQUESTS
from entraide.kit.deps import lookup
from entraide.observatory.app import create_app
from entraide.observatory.settings import ObservatorySettings
from entraide.observatory.usecases.publish import Observatory
from tests.auth_support import DevIssuer
from tests.infra import Endpoints, settings_on
from tests.support import eventually, scan, serving

pytestmark = [pytest.mark.kafka, pytest.mark.store]
T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def submitted(family: str, association: str) -> RequestSubmitted:
    return RequestSubmitted(
        request_id=uuid.uuid4().hex,
        family_ref=family,
        revision=1,
        departement="44",
        postal_code="44000",
        children_age_bands=["3-5"],
        needs=["parrainage-de-proximite"],
        urgency="high",
        association_id=association,
        channel="staff-form",
        consent_to_matching=True,
        submitted_at=T0,
    )


async def test_events_become_anonymous_facts_and_erasure_reaches_open_episodes(
    infra: Endpoints, unique: str, tmp_path: Path, dev_issuer: DevIssuer
) -> None:
    settings = dev_issuer.settings_for(
        settings_on(
            ObservatorySettings,
            infra,
            f"test_observatory_{unique}",
            data_dir=tmp_path,
            refresh_interval_seconds=0,
            retry_backoff_seconds=0.05,
        )
    )
    association = f"test-{unique}"
    a, b = uuid.uuid4().hex, uuid.uuid4().hex  # two families
    first, second = submitted(a, association), submitted(b, association)
    match = {"match_id": uuid.uuid4().hex, "request_id": first.request_id, "family_ref": a}
    day = timedelta(days=1)
    lifecycle: list[EventData] = [
        MatchWaitlisted(
            request_id=first.request_id, family_ref=a, reason_code="too-far", waitlisted_at=T0 + day
        ),
        MatchProposed(
            **match,
            association_id=association,
            score=1,
            reasons=[],
            proposed_at=T0 + 4 * day,
            expires_at=T0 + 9 * day,
        ),
        MatchAccepted(**match, accepted_at=T0 + 6 * day),
        MatchStarted(**match, started_at=T0 + 10 * day),
    ]
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka_bootstrap, acks="all")
    await producer.start()

    async def send(topic: str, data: EventData, key: str) -> None:
        event = new_event(data, source="/tests", subject=key)
        await producer.send_and_wait(topic, event.model_dump_json().encode(), key=key.encode())

    app = create_app(settings)
    db = app.state.db
    try:
        async with serving(app) as client:
            await send(REQUESTS.name, first, a)
            await send(REQUESTS.name, second, b)

            async def opened() -> bool:
                return await db["episodes"].count_documents({"family_ref": {"$in": [a, b]}}) == 2

            await eventually(opened, timeout=60, what="both requests open")
            for data in lifecycle:
                await send(MATCHES.name, data, a)

            async def started() -> bool:
                return (
                    await db["episodes"].count_documents(
                        {"family_ref": a, "started_at": {"$ne": None}}
                    )
                    == 1
                )

            await eventually(started, timeout=60, what="the match started")

            # privacy's erasure of family b (resent until the observatory answers)
            case = uuid.uuid4().hex
            erase = ErasureRequested(
                case_id=case,
                subject_ref=b,
                subject_kind="family",
                deadline=T0 + 30 * day,
                reason="rights-request",
            )

            async def acknowledged() -> bool:
                await send(PRIVACY_COMMANDS.name, erase, b)
                acks = await scan(
                    infra.kafka_bootstrap,
                    PRIVACY_ACKS.name,
                    lambda r: r.key == b.encode(),
                    timeout=3,
                )
                return any(json.loads(r.value)["data"]["service"] == "observatory" for r in acks)

            await eventually(acknowledged, timeout=90, what="the observatory's acknowledgement")
            assert await db["episodes"].count_documents({"family_ref": b}) == 0
            await send(
                MATCHES.name,
                MatchClosed(
                    **match,
                    association_id=association,
                    outcome="completed",
                    closed_at=T0 + 90 * day,
                ),
                a,
            )

            async def closed() -> bool:
                return await db["episodes"].count_documents({"family_ref": a}) == 0

            await eventually(closed, timeout=60, what="the episode closed")
            observatory = lookup(app, Observatory)

            async def erasure_counted() -> bool:
                return await db["counted_cases"].count_documents({"_id": case}) == 1

            await eventually(erasure_counted, timeout=30, what="the erasure counted")
            await observatory.refresh()

            files = observatory.archive.files()
            mine = duckdb.sql(
                f"SELECT kind, days, reason, outcome FROM read_parquet('{files}', hive_partitioning = true) "
                f"WHERE association = '{association}' ORDER BY kind"
            ).fetchall()
            kinds = sorted(str(row[0]) for row in mine)
            assert kinds == [
                "accepted",
                "closed",
                "proposed",
                "request",
                "request",
                "started",
                "waited",
                "waitlisted",
            ]
            days = {str(row[0]): row[1] for row in mine}
            assert days["proposed"] == pytest.approx(4)
            assert days["started"] == pytest.approx(10)
            assert days["closed"] == pytest.approx(80)
            erasures = duckdb.sql(
                f"SELECT count(*) FROM read_parquet('{observatory.archive.files('erasure')}')"
            ).fetchall()
            # the commands topic is shared with the session's other tests: one fact per
            # erasure case seen, this one's resends counted once
            assert erasures == [(await db["counted_cases"].count_documents({}),)]

            # nothing in the store nor the files names a family, a request or a match
            references = {a, b, first.request_id, second.request_id, match["match_id"]}
            stored = ""
            for name in await db.list_collection_names():
                stored += json.dumps(await db[name].find({}).to_list(), default=str)
            archived = str(duckdb.sql(f"SELECT * FROM read_parquet('{files}')").fetchall())
            assert not [r for r in references if r in stored or r in archived]

            # the figures: to the network's coordination and funders, not to an association
            funder = {"Authorization": f"Bearer {await dev_issuer.token_for('financeur')}"}
            staff = {"Authorization": f"Bearer {await dev_issuer.token_for('ppm-nantes')}"}
            assert (
                await client.get("/api/indicateurs/demande-besoin.csv", headers=funder)
            ).status_code == 200
            assert (
                await client.get("/api/indicateurs/demande-besoin.csv", headers=staff)
            ).status_code == 403
            assert (await client.post("/api/actualiser", headers=funder)).status_code == 403
            page = await client.get("/indicateurs/demande-besoin", headers=funder)
            assert page.status_code == 200
            assert "Demandes par besoin" in page.text
    finally:
        await producer.stop()
