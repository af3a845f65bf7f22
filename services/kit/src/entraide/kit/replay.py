"""Replay dead letters to the topic they came from, once the cause is fixed.

    uv run python -m entraide.kit.replay entraide.intake.requests.v1.dlq \\
        [--reason handler-failed] [--consumer-group entraide-matching] [--dry-run]

Each filter has its own replay consumer group (`entraide-dlq-replay.<reason>.<group>`, `*`
for a filter left out), which remembers what that filter replayed: running it twice
replays nothing twice, and the dead letters it skipped stay for another filter (a shared
group would be past them). Consumers are idempotent, so groups that had already processed
a replayed message are unaffected by seeing it again. `--dry-run` lists the dead letters
the replay would send (their headers and event type, never their content) and commits
nothing.
"""

import argparse
import asyncio
import json
import os
import re
from collections.abc import AsyncIterator, Sequence

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition

from entraide.kit.consumers import Record
from entraide.kit.deadletter import HEADER_PREFIX

REPLAY_GROUP = "entraide-dlq-replay"
ASSIGNMENT_TIMEOUT_S = 30.0  # a new group joins after the broker's initial rebalance delay
EVENT_TYPE = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")  # fr.entraide.request.withdrawn.v1


class Assigned(ConsumerRebalanceListener):  # type: ignore[misc]  # aiokafka has no types
    """Set once the group gave this consumer its partitions."""

    def __init__(self) -> None:
        self.event = asyncio.Event()

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        """Nothing to do: the replay commits after each batch."""

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        self.event.set()


def replay_group(base: str, *, reason: str | None, consumer_group: str | None) -> str:
    """The consumer group of one filter: `base` alone when nothing is filtered."""
    if reason is None and consumer_group is None:
        return base
    return f"{base}.{reason or '*'}.{consumer_group or '*'}"


def wanted(record: Record, *, reason: str | None, consumer_group: str | None) -> bool:
    """Whether a dead letter matches the operator's filters."""
    headers = {k: v.decode() for k, v in record.headers}
    return (reason is None or headers.get(f"{HEADER_PREFIX}reason") == reason) and (
        consumer_group is None or headers.get(f"{HEADER_PREFIX}consumer-group") == consumer_group
    )


def original_headers(record: Record) -> list[tuple[str, bytes]]:
    """The message's own headers, plus where it was replayed from."""
    kept = [(k, v) for k, v in record.headers if not k.startswith(HEADER_PREFIX)]
    return [*kept, ("x-replayed-from", f"{record.topic}@{record.offset}".encode())]


def event_type(value: bytes | None) -> str:
    """The CloudEvent's type, or "-": nothing else of the content is read."""
    try:
        found = json.loads(value or b"").get("type")
    except (ValueError, AttributeError):
        return "-"
    if isinstance(found, str) and EVENT_TYPE.fullmatch(found):
        return found
    return "-"


def described(record: Record) -> str:
    """One line for the operator: where the dead letter is, why, whose, which event."""
    headers: dict[str, str] = {k: v.decode("utf-8", "replace") for k, v in record.headers}

    def header(name: str) -> str:
        return headers.get(f"{HEADER_PREFIX}{name}", "-")

    return (
        f"{record.topic}@{record.partition}:{record.offset} reason={header('reason')} "
        f"consumer-group={header('consumer-group')} type={event_type(record.value)} "
        f"from={header('original-topic')} attempts={header('attempts')} "
        f"failed-at={header('failed-at')} detail={header('detail')}"
    )


async def _up_to_the_end(
    consumer: AIOKafkaConsumer, assigned: Assigned
) -> AsyncIterator[list[Record]]:
    """Batches of the group's partitions until the end offsets seen once assigned (a poll
    that comes back empty is no end: a new group joins after the broker's delay)."""
    await asyncio.wait_for(assigned.event.wait(), ASSIGNMENT_TIMEOUT_S)
    ends = await consumer.end_offsets(list(consumer.assignment()))
    while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
        batch = await consumer.getmany(timeout_ms=1000)
        yield [record for records in batch.values() for record in records]


async def replay(
    bootstrap: str,
    dlq_topic: str,
    *,
    reason: str | None = None,
    consumer_group: str | None = None,
    group: str = REPLAY_GROUP,
    dry_run: bool = False,
) -> list[Record]:
    """Send matching dead letters back to their original topic (unless `dry_run`): the
    dead letters sent, or that would be."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=replay_group(group, reason=reason, consumer_group=consumer_group),
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all")
    assigned = Assigned()
    consumer.subscribe([dlq_topic], listener=assigned)
    await consumer.start()
    await producer.start()
    chosen: list[Record] = []
    try:
        async for records in _up_to_the_end(consumer, assigned):
            for record in records:
                if not wanted(record, reason=reason, consumer_group=consumer_group):
                    continue
                chosen.append(record)
                if dry_run:
                    continue
                original = dict(record.headers)[f"{HEADER_PREFIX}original-topic"].decode()
                await producer.send_and_wait(
                    original, record.value, key=record.key, headers=original_headers(record)
                )
            if not dry_run:
                await consumer.commit()
    finally:
        await producer.stop()
        await consumer.stop()
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("dlq_topic")
    parser.add_argument(
        "--bootstrap", default=os.environ.get("ENTRAIDE_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
    )
    parser.add_argument("--reason", help="only dead letters with this x-dlq-reason")
    parser.add_argument("--consumer-group", help="only those this consumer group gave up on")
    parser.add_argument(
        "--group", default=REPLAY_GROUP, help="the replay's own consumer group (its prefix)"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="list what would be replayed, send nothing"
    )
    args = parser.parse_args(argv)
    chosen = asyncio.run(
        replay(
            args.bootstrap,
            args.dlq_topic,
            reason=args.reason,
            consumer_group=args.consumer_group,
            group=args.group,
            dry_run=args.dry_run,
        )
    )
    for record in chosen if args.dry_run else ():
        print(described(record))
    verb = "would replay" if args.dry_run else "replayed"
    print(f"{verb} {len(chosen)} message(s) from {args.dlq_topic}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
