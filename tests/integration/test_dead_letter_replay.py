"""Dead letters go back to their topic once, with their own headers, when an operator asks;
what one replay skipped stays for the next, and a dry run lists without sending."""

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from aiokafka import AIOKafkaProducer

from entraide.contracts import new_event
from entraide.contracts.events import RequestWithdrawn
from entraide.contracts.topics import REQUESTS
from entraide.contracts.vocab import WithdrawalReason
from entraide.kit.replay import main, replay
from tests.infra import Endpoints
from tests.support import everything, records


def withdrawn(key: bytes) -> bytes:
    """A valid request event, keyed by `key`."""
    return (
        new_event(
            RequestWithdrawn(
                request_id=uuid.uuid4().hex,
                family_ref=key.decode(),
                revision=9,
                reason=WithdrawalReason.OTHER,
                withdrawn_at=datetime.now(UTC),
            ),
            source="/test",
            subject=key.decode(),
        )
        .model_dump_json()
        .encode()
    )


async def dead_letter(
    bootstrap: str, body: bytes, *, key: bytes, reason: str, group: str = "entraide-matching"
) -> None:
    """One dead letter on the requests' dead-letter topic, as the services' policy writes it."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(
            REQUESTS.dlq,
            body,
            key=key,
            headers=[
                ("content-type", b"application/cloudevents+json"),
                ("x-dlq-reason", reason.encode()),
                ("x-dlq-original-topic", REQUESTS.name.encode()),
                ("x-dlq-consumer-group", group.encode()),
            ],
        )
    finally:
        await producer.stop()


async def test_replay_sends_matching_dead_letters_back_once(infra: Endpoints) -> None:
    key = f"replay-{uuid.uuid4().hex[:12]}".encode()
    group = f"test-replay-{uuid.uuid4().hex[:8]}"
    fixed = withdrawn(key)
    for reason, body in (("handler-failed", fixed), ("not-json", b"\xff garbage")):
        await dead_letter(infra.kafka_bootstrap, body, key=key, reason=reason)

    first = await replay(infra.kafka_bootstrap, REQUESTS.dlq, reason="handler-failed", group=group)
    again = await replay(infra.kafka_bootstrap, REQUESTS.dlq, reason="handler-failed", group=group)

    assert len(first) >= 1  # earlier runs' dead letters may match too; ours is checked below
    assert again == []
    [back] = await records(infra.kafka_bootstrap, REQUESTS.name, key=key)
    assert back.value == fixed
    headers = dict(back.headers)
    assert headers["content-type"] == b"application/cloudevents+json"
    assert not any(name.startswith("x-dlq-") for name in headers)
    assert headers["x-replayed-from"].startswith(REQUESTS.dlq.encode())


async def test_a_replay_leaves_what_it_skipped_for_the_next_one(infra: Endpoints) -> None:
    """Matching's replay, then the observatory's, both with the default replay group."""
    unique = uuid.uuid4().hex[:8]
    matching, observatory = f"entraide-matching-{unique}", f"entraide-observatory-facts-{unique}"
    first, second = (f"replay-{unique}-{n}".encode() for n in (1, 2))
    await dead_letter(
        infra.kafka_bootstrap, withdrawn(first), key=first, reason="handler-failed", group=matching
    )
    await dead_letter(
        infra.kafka_bootstrap,
        withdrawn(second),
        key=second,
        reason="invalid-event",
        group=observatory,
    )

    for_matching = await replay(
        infra.kafka_bootstrap, REQUESTS.dlq, reason="handler-failed", consumer_group=matching
    )
    for_observatory = await replay(
        infra.kafka_bootstrap, REQUESTS.dlq, reason="invalid-event", consumer_group=observatory
    )

    assert [r.key for r in for_matching] == [first]
    assert [r.key for r in for_observatory] == [second]  # was none: the shared group was past it
    await records(infra.kafka_bootstrap, REQUESTS.name, key=second)


async def test_a_dry_run_lists_headers_and_type_never_content_and_sends_nothing(
    infra: Endpoints, capsys: pytest.CaptureFixture[str]
) -> None:
    unique = uuid.uuid4().hex[:8]
    key, group = f"replay-{unique}".encode(), f"entraide-observatory-facts-{unique}"
    # the content a dry run must not print: a marker, not a name (the shared topics are
    # scanned for names by test_no_identity_on_topics)
    marker = f"payload-{unique}"
    body = withdrawn(key).replace(b'"other"', f'"{marker}"'.encode())
    await dead_letter(infra.kafka_bootstrap, body, key=key, reason="invalid-event", group=group)
    args = [REQUESTS.dlq, "--bootstrap", infra.kafka_bootstrap, "--consumer-group", group]

    await asyncio.to_thread(main, [*args, "--dry-run"])  # the command runs its own loop
    listed = capsys.readouterr().out
    await asyncio.to_thread(main, [*args, "--dry-run"])
    again = capsys.readouterr().out

    assert "reason=invalid-event" in listed
    assert f"consumer-group={group}" in listed
    assert "type=fr.entraide.request.withdrawn.v1" in listed
    assert marker not in listed
    assert listed.endswith(f"would replay 1 message(s) from {REQUESTS.dlq}\n")
    assert again == listed  # nothing committed
    assert not [r for r in await everything(infra.kafka_bootstrap, REQUESTS.name) if r.key == key]
