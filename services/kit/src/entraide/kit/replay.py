"""Replay dead letters to the topic they came from, once the cause is fixed.

    uv run python -m entraide.kit.replay entraide.intake.requests.v1.dlq \\
        [--reason handler-failed] [--consumer-group entraide-matching]

A replay consumer group remembers what was replayed, so running it twice replays nothing
twice. Consumers are idempotent, so groups that had already processed a replayed message
are unaffected by seeing it again.
"""

import argparse
import asyncio
import os
from collections.abc import Sequence

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord

from entraide.kit.deadletter import HEADER_PREFIX

REPLAY_GROUP = "entraide-dlq-replay"


def wanted(
    record: ConsumerRecord[bytes, bytes], *, reason: str | None, consumer_group: str | None
) -> bool:
    """Whether a dead letter matches the operator's filters."""
    headers = {k: v.decode() for k, v in record.headers}
    return (reason is None or headers.get(f"{HEADER_PREFIX}reason") == reason) and (
        consumer_group is None or headers.get(f"{HEADER_PREFIX}consumer-group") == consumer_group
    )


def original_headers(record: ConsumerRecord[bytes, bytes]) -> list[tuple[str, bytes]]:
    """The message's own headers, plus where it was replayed from."""
    kept = [(k, v) for k, v in record.headers if not k.startswith(HEADER_PREFIX)]
    return [*kept, ("x-replayed-from", f"{record.topic}@{record.offset}".encode())]


async def replay(
    bootstrap: str,
    dlq_topic: str,
    *,
    reason: str | None = None,
    consumer_group: str | None = None,
    group: str = REPLAY_GROUP,
) -> int:
    """Send matching dead letters back to their original topic; returns how many."""
    consumer = AIOKafkaConsumer(
        dlq_topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all")
    await consumer.start()
    await producer.start()
    replayed = 0
    try:
        while batch := await consumer.getmany(timeout_ms=2000):
            for records in batch.values():
                for record in records:
                    if not wanted(record, reason=reason, consumer_group=consumer_group):
                        continue
                    original = dict(record.headers)[f"{HEADER_PREFIX}original-topic"].decode()
                    await producer.send_and_wait(
                        original, record.value, key=record.key, headers=original_headers(record)
                    )
                    replayed += 1
            await consumer.commit()
    finally:
        await producer.stop()
        await consumer.stop()
    return replayed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("dlq_topic")
    parser.add_argument(
        "--bootstrap", default=os.environ.get("ENTRAIDE_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
    )
    parser.add_argument("--reason", help="only dead letters with this x-dlq-reason")
    parser.add_argument("--consumer-group", help="only those this consumer group gave up on")
    parser.add_argument("--group", default=REPLAY_GROUP, help="the replay's own consumer group")
    args = parser.parse_args(argv)
    count = asyncio.run(
        replay(
            args.bootstrap,
            args.dlq_topic,
            reason=args.reason,
            consumer_group=args.consumer_group,
            group=args.group,
        )
    )
    print(f"replayed {count} message(s) from {args.dlq_topic}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
