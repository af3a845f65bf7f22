"""Faults on the real stack: the broker killed, the store killed -9, a service killed in the
middle of a batch, a consumer-group rebalance. Each runs on a throwaway broker (and store)
of its own, so the shared ones are never touched. After each: every accepted request is in
intake once and in matching once with one proposal, outboxes drained, no dead letter.

    make test-slow
"""

import asyncio
from pathlib import Path

import pytest
from pymongo import AsyncMongoClient

from entraide.contracts.topics import REQUESTS
from tests.fault_support import (
    assert_clean_end,
    event_ids,
    intake_and_matching,
    new_world,
    post_partner_event,
    ready,
    settled,
)
from tests.infra import Endpoints, throwaway_kafka, throwaway_store
from tests.support import eventually

pytestmark = pytest.mark.slow
EVENTS = 60


async def test_kafka_killed_mid_stream_loses_and_duplicates_nothing(
    infra: Endpoints, mongo, tmp_path: Path
) -> None:
    with throwaway_kafka(tmp_path / "kafka") as (bootstrap, kafka):
        kafka.up()
        world = new_world(bootstrap, infra.mongodb_uri)
        async with intake_and_matching(world, mongo) as (intake, matching):
            ids = event_ids(EVENTS)
            answers = []
            for i, event_id in enumerate(ids):
                if i == EVENTS // 3:
                    kafka.kill()  # kill -9, mid-stream
                if i == 2 * EVENTS // 3:
                    kafka.up()
                answers.append(await post_partner_event(intake, event_id))
            # partners resend after a timeout: the same events again are the same requests
            resent = [await post_partner_event(intake, event_id) for event_id in ids[:10]]
            assert answers == [201] * EVENTS  # the outbox takes them while Kafka is away
            assert resent == [200] * 10

            await eventually(
                lambda: settled(mongo, world, EVENTS), timeout=180, what="all delivered"
            )
            await eventually(lambda: ready(intake, matching), timeout=60, what="consumers resumed")
        await assert_clean_end(mongo, world, EVENTS, REQUESTS.name)


async def test_store_killed_and_restarted_loses_and_duplicates_nothing(
    mongo, tmp_path: Path
) -> None:
    with (
        throwaway_kafka(tmp_path / "kafka") as (bootstrap, kafka),
        throwaway_store(tmp_path / "store") as (uri, store),
    ):
        kafka.up()
        world = new_world(bootstrap, uri)
        own: AsyncMongoClient = AsyncMongoClient(uri)
        async with intake_and_matching(world, own) as (intake, matching):
            ids = event_ids(EVENTS)
            first = [await post_partner_event(intake, e) for e in ids[: EVENTS // 2]]
            in_flight = EVENTS // 2 - await own[f"{world.name}_matching"][
                "requests"
            ].count_documents({})
            # kill -9: what the store acknowledged is in its file (the durable H2 backend);
            # published events still reach matching, whose store is gone
            store.kill()
            during = await post_partner_event(intake, ids[EVENTS // 2])
            # longer than a handler's retries (4 x the driver's 5 s server selection): an
            # event in flight waits for the store instead of becoming a dead letter
            await asyncio.sleep(30)
            store.up()
            rest = [await post_partner_event(intake, e) for e in ids[EVENTS // 2 :]]
            assert first == [201] * (EVENTS // 2)
            assert in_flight > 0, "matching had caught up: the outage tested nothing"
            assert during == 503  # refused, nothing half-written: the partner resends it
            assert rest == [201] * (EVENTS - EVENTS // 2)
            await eventually(lambda: settled(own, world, EVENTS), timeout=180, what="delivered")
            await eventually(lambda: ready(intake, matching), timeout=60, what="consumers resumed")
        await assert_clean_end(own, world, EVENTS, REQUESTS.name)
        await own.close()
