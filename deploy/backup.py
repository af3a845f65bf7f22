"""Back up and restore Entraide's state: every database of the document store and the
committed offsets of the Kafka consumer groups (deploy/bin/backup, deploy/bin/restore).

    deploy/bin/backup  [--out DIR]                  # default .run/backups/<UTC time>/
    deploy/bin/restore --from DIR [--drop]          # services stopped first

A backup is a directory: `manifest.json` (when, what, how many documents per collection,
the offsets), `offsets.json` (group -> topic -> partition -> offset) and
`mongo/<database>/<collection>.bson` (the documents, one BSON document after another, as
mongodump writes them) with `<collection>.indexes.json` (their indexes, Extended JSON).
No mongodump here: pymongo reads and writes the same BSON, byte for byte (RawBSONDocument).

The offsets are read BEFORE the databases: a database then holds at least everything the
offsets say was consumed, so what the services consumed meanwhile is delivered again after
a restore and dropped by their idempotent consumers (each event applied once). Backing up
with the services stopped (`deploy/bin/services-down`) makes it exact.

Restore puts the databases back (refusing a database that already holds documents unless
`--drop`), then the offsets: each group's committed offset per partition, clamped to what
the topic still holds (a partition whose records expired resumes at its earliest). A group
with live members is refused (stop the services first): Kafka would reject the commit
anyway. Without the offsets, groups that start at `latest` (the rights commands' listener)
would skip what was sent while they were down, and the others would replay from zero.

Environment (as the services): ENTRAIDE_MONGODB_URI (else mongodb://127.0.0.1:
$ENTRAIDE_MONGODB_PORT, 27017), ENTRAIDE_KAFKA_BOOTSTRAP (else 127.0.0.1:$ENTRAIDE_KAFKA_PORT,
9092), ENTRAIDE_STATE_DIR (default .run, for the default output directory).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import OffsetAndMetadata
from bson import decode_file_iter, json_util
from bson.codec_options import CodecOptions
from bson.raw_bson import RawBSONDocument
from pymongo import IndexModel, MongoClient

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_DATABASES = {"admin", "local", "config"}
FORMAT = 1
BATCH = 1000
RAW: CodecOptions[RawBSONDocument] = CodecOptions(document_class=RawBSONDocument)

Offsets = dict[str, dict[str, dict[str, int]]]  # group -> topic -> partition (str) -> offset


def say(message: str) -> None:
    print(message, flush=True)


class DrillError(Exception):
    """A refusal or failure, said in one line."""


# ------------------------------------------------------------------ Kafka offsets


async def export_offsets(bootstrap: str, groups: re.Pattern[str]) -> Offsets:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        found: Offsets = {}
        for group, _protocol in await admin.list_consumer_groups():
            if not groups.search(group):
                continue
            committed = await admin.list_consumer_group_offsets(group)
            per_topic: dict[str, dict[str, int]] = {}
            for tp, meta in committed.items():
                if meta is not None and meta.offset >= 0:
                    per_topic.setdefault(tp.topic, {})[str(tp.partition)] = meta.offset
            if per_topic:
                found[group] = per_topic
        return dict(sorted(found.items()))
    finally:
        await admin.close()


async def live_members(bootstrap: str, groups: list[str]) -> dict[str, str]:
    """Groups (of these) that have members right now, with Kafka's answer.

    The probe commits back each group's own committed offsets as a "simple" consumer
    (no member id, no generation): Kafka accepts that only from outside an empty group,
    and the values do not change. (aiokafka 0.14 cannot decode Kafka 4's DescribeGroups.)
    """
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    busy: dict[str, str] = {}
    try:
        for group in groups:
            current = {
                tp: OffsetAndMetadata(meta.offset, meta.metadata or "")
                for tp, meta in (await admin.list_consumer_group_offsets(group)).items()
                if meta is not None and meta.offset >= 0
            }
            if not current:
                continue
            consumer = AIOKafkaConsumer(
                bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
            )
            await consumer.start()
            try:
                consumer.assign(list(current))
                await consumer.commit(current)
            except Exception as exc:  # UnknownMemberId, RebalanceInProgress, CommitFailed...
                busy[group] = type(exc).__name__
            finally:
                await consumer.stop()
        return busy
    finally:
        await admin.close()


async def import_offsets(bootstrap: str, offsets: Offsets) -> Offsets:
    """Commit each group's offsets (clamped to what the topics hold); return what was set."""
    busy = await live_members(bootstrap, list(offsets))
    if busy:
        names = ", ".join(f"{g} ({why})" for g, why in sorted(busy.items()))
        raise DrillError(f"consumer groups still have members, stop the services first: {names}")
    applied: Offsets = {}
    for group, topics in offsets.items():
        consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
        )
        await consumer.start()
        try:
            # the whole cluster's metadata (the consumer's own only knows subscribed topics)
            cluster = await consumer._client.fetch_all_metadata()
            existing = cluster.topics()
            wanted: dict[TopicPartition, int] = {}
            for topic, partitions in topics.items():
                if topic not in existing:
                    say(f"  {group}: topic {topic} does not exist any more, its offsets skipped")
                    continue
                known = cluster.partitions_for_topic(topic) or set()
                for partition, offset in partitions.items():
                    if int(partition) in known:
                        wanted[TopicPartition(topic, int(partition))] = offset
                    else:
                        say(f"  {group}: {topic}[{partition}] does not exist any more, skipped")
            if not wanted:
                continue
            consumer.assign(list(wanted))
            low = await consumer.beginning_offsets(list(wanted))
            high = await consumer.end_offsets(list(wanted))
            commit = {}
            for tp, offset in wanted.items():
                clamped = min(max(offset, low[tp]), high[tp])
                if clamped != offset:
                    say(
                        f"  {group} {tp.topic}[{tp.partition}]: {offset} -> {clamped} (topic holds {low[tp]}..{high[tp]})"
                    )
                commit[tp] = OffsetAndMetadata(clamped, "")
                applied.setdefault(group, {}).setdefault(tp.topic, {})[str(tp.partition)] = clamped
            await consumer.commit(commit)
        finally:
            await consumer.stop()
    return applied


# ------------------------------------------------------------------ databases


def chosen_databases(client: MongoClient[Any], databases: re.Pattern[str]) -> list[str]:
    names = client.list_database_names()
    return sorted(n for n in names if n not in SYSTEM_DATABASES and databases.search(n))


def dump_databases(
    client: MongoClient[Any], names: list[str], out: Path
) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for name in names:
        db = client.get_database(name, codec_options=RAW)
        folder = out / name
        folder.mkdir(parents=True)
        counts[name] = {}
        for collection in sorted(db.list_collection_names()):
            if collection.startswith("system."):
                continue
            n = 0
            with (folder / f"{collection}.bson").open("wb") as f:
                for doc in db[collection].find({}, sort=[("_id", 1)], batch_size=BATCH):
                    f.write(doc.raw)
                    n += 1
            indexes = [
                json.loads(json_util.dumps(dict(ix)))
                for ix in client[name][collection].list_indexes()
                if ix["name"] != "_id_"
            ]
            (folder / f"{collection}.indexes.json").write_text(json.dumps(indexes, indent=1))
            counts[name][collection] = n
    return counts


def _batches(path: Path) -> Iterator[list[RawBSONDocument]]:
    batch: list[RawBSONDocument] = []
    with path.open("rb") as f:
        for doc in decode_file_iter(f, RAW):
            batch.append(doc)
            if len(batch) >= BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def load_databases(
    client: MongoClient[Any], source: Path, expected: dict[str, dict[str, int]], drop: bool
) -> None:
    present = set(client.list_database_names())
    for name in expected:
        if name in present:
            db = client[name]
            holding = [c for c in db.list_collection_names() if db[c].estimated_document_count()]
            if holding and not drop:
                raise DrillError(
                    f"database {name} already holds documents ({', '.join(sorted(holding))}): "
                    "restore with --drop to replace it"
                )
    for name, collections in expected.items():
        if drop:
            client.drop_database(name)
        db = client.get_database(name, codec_options=RAW)
        for collection, count in collections.items():
            loaded = 0
            for batch in _batches(source / name / f"{collection}.bson"):
                db[collection].insert_many(batch, ordered=True)
                loaded += len(batch)
            if loaded == 0 and collection not in db.list_collection_names():
                db.create_collection(collection)
            specs = json_util.loads((source / name / f"{collection}.indexes.json").read_text())
            models = []
            for spec in specs:
                options = {k: v for k, v in spec.items() if k not in {"v", "ns", "key"}}
                models.append(IndexModel(list(spec["key"].items()), **options))
            if models:
                db[collection].create_indexes(models)
            if loaded != count:
                raise DrillError(
                    f"{name}.{collection}: {loaded} documents read, manifest says {count}"
                )
        say(f"  {name}: {sum(collections.values())} documents in {len(collections)} collections")


# ------------------------------------------------------------------ commands


def backup(args: argparse.Namespace) -> None:
    out: Path = args.out
    if out.exists():
        raise DrillError(f"{out} exists already")
    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    started = dt.datetime.now(dt.UTC)
    # offsets first: the databases then hold at least what the offsets say was consumed
    offsets = asyncio.run(export_offsets(args.bootstrap, re.compile(args.groups)))
    (tmp / "offsets.json").write_text(json.dumps(offsets, indent=1, sort_keys=True))
    client: MongoClient[dict[str, Any]]
    with MongoClient(args.mongodb_uri, serverSelectionTimeoutMS=10_000) as client:
        names = chosen_databases(client, re.compile(args.databases))
        counts = dump_databases(client, names, tmp / "mongo")
    manifest = {
        "format": FORMAT,
        "started_at": started.isoformat(),
        "finished_at": dt.datetime.now(dt.UTC).isoformat(),
        "mongodb_uri_host": args.mongodb_uri.rsplit("@", 1)[-1],
        "kafka_bootstrap": args.bootstrap,
        "databases": counts,
        "consumer_groups": sorted(offsets),
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    tmp.rename(out)
    docs = sum(sum(c.values()) for c in counts.values())
    say(f"backup {out}: {len(counts)} databases, {docs} documents, {len(offsets)} consumer groups")


def restore(args: argparse.Namespace) -> None:
    source: Path = args.source
    manifest = json.loads((source / "manifest.json").read_text())
    if manifest.get("format") != FORMAT:
        raise DrillError(f"{source}: unknown backup format {manifest.get('format')}")
    databases = {n: c for n, c in manifest["databases"].items() if re.search(args.databases, n)}
    offsets = {
        g: t
        for g, t in json.loads((source / "offsets.json").read_text()).items()
        if re.search(args.groups, g)
    }
    # refuse before touching anything while a service still consumes
    busy = asyncio.run(live_members(args.bootstrap, list(offsets)))
    if busy:
        raise DrillError(
            "consumer groups still have members, stop the services first: "
            + ", ".join(sorted(busy))
        )
    say(f"restoring {source} (taken {manifest['started_at']})")
    client: MongoClient[dict[str, Any]]
    with MongoClient(args.mongodb_uri, serverSelectionTimeoutMS=10_000) as client:
        load_databases(client, source / "mongo", databases, args.drop)
    applied = asyncio.run(import_offsets(args.bootstrap, offsets))
    say(f"  offsets of {len(applied)} consumer groups committed")
    say("restore done: start the services (deploy/bin/services-up)")


def main(argv: list[str] | None = None) -> int:
    port = os.environ.get("ENTRAIDE_MONGODB_PORT", "27017")
    kport = os.environ.get("ENTRAIDE_KAFKA_PORT", "9092")
    state = Path(os.environ.get("ENTRAIDE_STATE_DIR", ROOT / ".run"))
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--mongodb-uri",
        default=os.environ.get("ENTRAIDE_MONGODB_URI", f"mongodb://127.0.0.1:{port}"),
    )
    common.add_argument(
        "--bootstrap", default=os.environ.get("ENTRAIDE_KAFKA_BOOTSTRAP", f"127.0.0.1:{kport}")
    )
    common.add_argument(
        "--databases", default=".", help="regex: the databases to take (default every one)"
    )
    common.add_argument("--groups", default=".", help="regex: the consumer groups to take")
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    take = commands.add_parser(
        "backup", parents=[common], help="dump the databases and the consumer offsets"
    )
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    take.add_argument("--out", type=Path, default=state / "backups" / stamp)
    put = commands.add_parser("restore", parents=[common], help="load a backup (services stopped)")
    put.add_argument("--from", dest="source", type=Path, required=True)
    put.add_argument("--drop", action="store_true", help="replace databases that hold documents")
    args = parser.parse_args(argv)
    try:
        backup(args) if args.command == "backup" else restore(args)
    except DrillError as exc:
        print(f"{args.command}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
