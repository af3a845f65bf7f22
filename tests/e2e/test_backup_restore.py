"""The backup and restore drill (deploy/bin/backup, deploy/bin/restore; the runbook's "Back
up and restore"), on a throwaway broker and a throwaway durable store: families recorded
through the partners' Kafka door and proposed by matching, both services real processes;
stopped, backed up; the store's state destroyed (its files deleted) and the consumer
groups' offsets lost (rewound to zero); restored; the services started again. Nothing is
lost, nothing applied twice, and what is published after the restore is handled once.

    make test-slow
"""

import json
import os
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.structs import OffsetAndMetadata
from pymongo import AsyncMongoClient

from entraide.contracts.topics import PARTNER_RAW, REQUESTS
from tests.fault_support import (
    World,
    assert_nothing_lost_nothing_twice,
    dead_letters,
    event_ids,
    send_partner_events,
    send_volunteers,
    settled,
    volunteers_known,
)
from tests.infra import (
    ROOT,
    Endpoints,
    ServiceProcess,
    free_port,
    throwaway_kafka,
    throwaway_store,
)
from tests.support import eventually

pytestmark = pytest.mark.slow
BEFORE, AFTER = 40, 20


def process(world: World, service: str, tmp_path: Path) -> ServiceProcess:
    env = world.env(service) | {f"ENTRAIDE_{service.upper()}_PORT": str(free_port())}
    return ServiceProcess(service, env, tmp_path / f"{service}.log")


def drill(ends: Endpoints, *args: str, fails: bool = False) -> str:
    """deploy/bin/backup or restore on these endpoints: its stdout (stderr when `fails`)."""
    env = {
        **os.environ,
        "ENTRAIDE_KAFKA_BOOTSTRAP": ends.kafka_bootstrap,
        "ENTRAIDE_MONGODB_URI": ends.mongodb_uri,
    }
    done = subprocess.run(
        [str(ROOT / "deploy" / "bin" / args[0]), *args[1:]],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if fails:
        assert done.returncode == 1, done.stdout + done.stderr
        return done.stderr
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


async def counts(mongo: Any, world: World) -> dict[str, int]:
    intake, matching = mongo[f"{world.name}_intake"], mongo[f"{world.name}_matching"]
    return {
        "families": await intake["families"].count_documents({}),
        "requests": await matching["requests"].count_documents({}),
        "proposals": await matching["matches"].count_documents({}),
        "volunteers": await matching["volunteers"].count_documents({}),
    }


async def rewind_to_zero(bootstrap: str, offsets: dict[str, dict[str, dict[str, int]]]) -> None:
    """Lose the groups' positions, as a broker whose __consumer_offsets is gone would."""
    for group, topics in offsets.items():
        consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
        )
        await consumer.start()
        try:
            tps = [TopicPartition(t, int(p)) for t, parts in topics.items() for p in parts]
            consumer.assign(tps)
            await consumer.commit({tp: OffsetAndMetadata(0, "") for tp in tps})
        finally:
            await consumer.stop()


async def committed(bootstrap: str, groups: list[str]) -> dict[str, dict[str, dict[str, int]]]:
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        found: dict[str, dict[str, dict[str, int]]] = {}
        for group in groups:
            for tp, meta in (await admin.list_consumer_group_offsets(group)).items():
                found.setdefault(group, {}).setdefault(tp.topic, {})[str(tp.partition)] = (
                    meta.offset
                )
        return found
    finally:
        await admin.close()


async def test_back_up_destroy_restore_resume_without_loss_or_double(tmp_path: Path) -> None:
    with (
        throwaway_kafka(tmp_path / "kafka") as (bootstrap, kafka),
        throwaway_store(tmp_path / "store") as (store_uri, store),
    ):
        kafka.up()
        ends = Endpoints(bootstrap, store_uri, "throwaway")
        world = World(ends, f"drill_{uuid.uuid4().hex[:8]}")
        mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(store_uri, tz_aware=True)
        try:
            await send_volunteers(bootstrap)
            await send_partner_events(bootstrap, event_ids(BEFORE))
            matching = process(world, "matching", tmp_path).start()
            intake = process(world, "intake", tmp_path).start()
            try:
                await eventually(lambda: volunteers_known(mongo, world), timeout=120, what="vols")
                await eventually(lambda: settled(mongo, world, BEFORE), timeout=300, what="settled")
            finally:
                for proc in (intake, matching):
                    proc.stop()
            before = await counts(mongo, world)
            assert before["families"] == before["requests"] == before["proposals"] == BEFORE

            out = drill(ends, "backup", "--out", str(tmp_path / "backup"))
            assert "consumer groups" in out
            manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
            offsets = json.loads((tmp_path / "backup" / "offsets.json").read_text())
            assert manifest["databases"][f"{world.name}_intake"]["families"] == BEFORE
            ours = [g for g in offsets if g.startswith(world.name)]
            assert {f"{world.name}_intake-intake", f"{world.name}_matching-matching"} <= set(ours)

            # the disaster: the store's files are gone, the groups' positions too
            await mongo.close()
            store.down(purge=True)
            store.up()
            mongo = AsyncMongoClient(store_uri, tz_aware=True)
            assert (await counts(mongo, world))["families"] == 0
            await rewind_to_zero(bootstrap, offsets)

            # a restore refuses to overwrite a database that holds documents
            await mongo[f"{world.name}_intake"]["families"].insert_one({"_id": "stray"})
            refused = drill(ends, "restore", "--from", str(tmp_path / "backup"), fails=True)
            assert "--drop" in refused.splitlines()[-1], refused
            drill(ends, "restore", "--from", str(tmp_path / "backup"), "--drop")

            assert await counts(mongo, world) == before
            assert await committed(bootstrap, ours) == {g: offsets[g] for g in ours}

            # the services resume where the backup left them, then take new events once each
            matching = process(world, "matching", tmp_path).start()
            intake = process(world, "intake", tmp_path).start()
            try:
                await send_partner_events(bootstrap, event_ids(AFTER))
                await eventually(
                    lambda: settled(mongo, world, BEFORE + AFTER), timeout=300, what="resumed"
                )
            finally:
                for proc in (intake, matching):
                    proc.stop()
            await assert_nothing_lost_nothing_twice(mongo, world, BEFORE + AFTER)
            after = await counts(mongo, world)
            assert after["proposals"] == BEFORE + AFTER
            assert after["volunteers"] == before["volunteers"]
            assert await dead_letters(bootstrap, PARTNER_RAW.name, REQUESTS.name) == []
        finally:
            await mongo.close()
