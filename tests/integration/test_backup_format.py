"""deploy/backup.py's pieces against the real store and broker: a database comes back
document for document (every BSON type the services write) with its indexes, a database
that holds documents is not overwritten, and a group's offsets come back, clamped to what
the topic holds. The whole drill, with the services, is tests/e2e/test_backup_restore.py."""

import datetime as dt
import importlib.util
import re
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from bson import Decimal128, Int64, ObjectId
from pymongo import ASCENDING, DESCENDING, IndexModel, MongoClient
from pymongo.errors import DuplicateKeyError

from tests.infra import ROOT, Endpoints


def load_backup_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("deploy_backup", ROOT / "deploy" / "backup.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


backup = load_backup_module()


Client = MongoClient[dict[str, Any]]


@pytest.fixture
def client(infra: Endpoints) -> Iterator[Client]:
    found: Client
    with MongoClient(infra.mongodb_uri, tz_aware=True) as found:
        yield found


def documents() -> list[dict[str, Any]]:
    at = dt.datetime(2026, 11, 29, 22, 15, 3, 123000, tzinfo=dt.UTC)
    found: list[dict[str, Any]] = [
        {
            "_id": f"family-{i}",
            "at": at,
            "sealed": bytes((i + k) % 256 for k in range(32)),  # subtype 0, read back as bytes
            "score": 0.125 * i,
            "count": Int64(2**40 + i),
            "amount": Decimal128(Decimal("12.50")),
            "flag": i % 2 == 0,
            "nothing": None,
            "oid": ObjectId(),
            "nested": {"needs": ["repit", "parrainage"], "slots": [{"day": "mon", "am": True}]},
            "open_request": f"req-{i}" if i % 3 else None,
            "name": f"Émilie Dupré-Ndiaye {i}",
        }
        for i in range(2500)  # more than one insert batch
    ]
    for doc in found[::5]:  # the unique index is sparse: some have no name
        del doc["name"]
    return found


def test_a_database_comes_back_document_for_document_with_its_indexes(
    client: Client, tmp_path: Path
) -> None:
    name = f"backup_{uuid.uuid4().hex[:8]}"
    db = client[name]
    docs = documents()
    db["families"].insert_many(docs)
    db["families"].create_indexes(
        [
            IndexModel([("at", DESCENDING), ("count", ASCENDING)], name="by_time"),
            IndexModel([("name", ASCENDING)], name="by_name", unique=True, sparse=True),
        ]
    )
    db.create_collection("empty_outbox")
    try:
        counts = backup.dump_databases(client, [name], tmp_path)
        assert counts == {name: {"empty_outbox": 0, "families": len(docs)}}
        raw = (tmp_path / name / "families.bson").read_bytes()
        assert b"\xc3\x89milie" in raw  # the documents as they are, UTF-8 BSON

        with pytest.raises(backup.DrillError, match="--drop"):
            backup.load_databases(client, tmp_path, counts, drop=False)

        client.drop_database(name)
        backup.load_databases(client, tmp_path, counts, drop=False)
        assert sorted(db.list_collection_names()) == ["empty_outbox", "families"]
        assert list(db["families"].find({}, sort=[("_id", 1)])) == sorted(
            docs, key=lambda d: str(d["_id"])
        )
        indexes = {ix["name"]: ix for ix in db["families"].list_indexes()}
        assert dict(indexes["by_time"]["key"]) == {"at": -1, "count": 1}
        assert indexes["by_name"].get("unique")
        assert indexes["by_name"].get("sparse")
        with pytest.raises(DuplicateKeyError):
            db["families"].insert_one({"_id": "another", "name": docs[1]["name"]})

        # services started before the restore made their collections and indexes, empty
        client.drop_database(name)
        db.create_collection("empty_outbox")
        db["families"].create_index([("name", ASCENDING)], name="by_name", unique=True, sparse=True)
        backup.load_databases(client, tmp_path, counts, drop=False)
        assert db["families"].count_documents({}) == len(docs)

        db["families"].insert_one({"_id": "after-the-backup"})
        backup.load_databases(client, tmp_path, counts, drop=True)
        assert db["families"].count_documents({}) == len(docs)
    finally:
        client.drop_database(name)


async def test_a_groups_offsets_come_back_clamped_to_what_the_topic_holds(
    infra: Endpoints,
) -> None:
    topic = "entraide.intake.partner-events.raw.v1"  # exists (deploy/topics.py), 6 partitions
    group = f"backup-test-{uuid.uuid4().hex[:8]}"
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka_bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, b"not for anyone", partition=0)
    finally:
        await producer.stop()
    await backup.import_offsets(infra.kafka_bootstrap, {group: {topic: {"0": 1, "1": 0}}})
    exported = await backup.export_offsets(infra.kafka_bootstrap, re.compile(re.escape(group)))
    assert exported == {group: {topic: {"0": 1, "1": 0}}}

    # beyond the end (a backup of another cluster, say): each partition at its end
    applied = await backup.import_offsets(
        infra.kafka_bootstrap, {group: {topic: {"1": 10**12}, "no.such.topic.v1": {"0": 5}}}
    )
    end = applied[group][topic]["1"]
    assert 0 <= end < 10**12
    assert (await backup.export_offsets(infra.kafka_bootstrap, re.compile(re.escape(group))))[
        group
    ][topic] == {"0": 1, "1": end}
