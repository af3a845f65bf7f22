"""Faults of the services themselves: one killed -9 in the middle of a batch, and a
consumer-group rebalance while events flow. On a throwaway broker; the shared store with
databases of their own. After each: nothing lost, nothing twice, no dead letter.

    make test-slow
"""

from pathlib import Path

import pytest

from entraide.contracts.topics import PARTNER_RAW, REQUESTS
from entraide.intake.app import create_app as intake_app
from entraide.matching.app import create_app as matching_app
from tests.fault_support import (
    World,
    assert_clean_end,
    event_ids,
    new_world,
    post_partner_event,
    send_partner_events,
    send_volunteers,
    settled,
    volunteers_known,
)
from tests.infra import Endpoints, ServiceProcess, free_port, throwaway_kafka
from tests.support import eventually, serving

pytestmark = pytest.mark.slow
BATCH = 200


def process(world: World, service: str, tmp_path: Path) -> ServiceProcess:
    env = world.env(service) | {f"ENTRAIDE_{service.upper()}_PORT": str(free_port())}
    return ServiceProcess(service, env, tmp_path / f"{service}.log")


async def test_services_killed_mid_batch_resume_without_loss_or_duplicates(
    infra: Endpoints, mongo, tmp_path: Path
) -> None:
    with throwaway_kafka(tmp_path / "kafka") as (bootstrap, kafka):
        kafka.up()
        world = new_world(bootstrap, infra.mongodb_uri)
        families = mongo[f"{world.name}_intake"]["families"]
        requests = mongo[f"{world.name}_matching"]["requests"]
        await send_volunteers(bootstrap)
        matching = process(world, "matching", tmp_path).start()
        await eventually(lambda: volunteers_known(mongo, world), timeout=90, what="volunteers")
        await send_partner_events(bootstrap, event_ids(BATCH))
        intake = process(world, "intake", tmp_path).start()
        try:

            async def some(collection, n: int) -> bool:
                return await collection.count_documents({}) >= n

            await eventually(lambda: some(families, 1), timeout=90, what="intake consuming")
            intake.kill()  # mid-batch: uncommitted offsets come again
            assert await families.count_documents({}) < BATCH, "the batch was already done"
            intake = process(world, "intake", tmp_path).start()
            await eventually(lambda: some(requests, 1), timeout=90, what="matching consuming")
            matching.kill()
            assert await requests.count_documents({}) < BATCH, "matching was already done"
            matching = process(world, "matching", tmp_path).start()
            await eventually(lambda: settled(mongo, world, BATCH), timeout=400, what="all settled")
        finally:
            for proc in (intake, matching):
                proc.stop()
        await assert_clean_end(mongo, world, BATCH, PARTNER_RAW.name, REQUESTS.name)


async def test_a_rebalance_while_events_flow_loses_and_duplicates_nothing(
    infra: Endpoints, mongo, tmp_path: Path
) -> None:
    events = 60
    with throwaway_kafka(tmp_path / "kafka") as (bootstrap, kafka):
        kafka.up()
        world = new_world(bootstrap, infra.mongodb_uri)
        await send_volunteers(bootstrap)
        ids = event_ids(events)
        async with serving(intake_app(world.intake())) as intake:
            first = matching_app(world.matching())
            async with serving(first):
                await eventually(
                    lambda: volunteers_known(mongo, world), timeout=90, what="volunteers"
                )
                for event_id in ids[:20]:
                    assert await post_partner_event(intake, event_id) == 201
                # a second replica joins the group: partitions move while events flow
                async with serving(matching_app(world.matching(scheduler=False))):
                    for event_id in ids[20:40]:
                        assert await post_partner_event(intake, event_id) == 201
                # it leaves (its lifespan ends, as on SIGTERM) with work in flight: they move back
                for event_id in ids[40:]:
                    assert await post_partner_event(intake, event_id) == 201
                await eventually(lambda: settled(mongo, world, events), timeout=180, what="settled")
        await assert_clean_end(mongo, world, events, REQUESTS.name)
