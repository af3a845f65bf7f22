"""Dead letters go back to their topic once, with their own headers, when an operator asks."""

import uuid
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer

from entraide.contracts import new_event
from entraide.contracts.events import RequestWithdrawn
from entraide.contracts.topics import REQUESTS
from entraide.contracts.vocab import WithdrawalReason
from entraide.kit.replay import replay
from tests.infra import Endpoints
from tests.support import records


async def test_replay_sends_matching_dead_letters_back_once(infra: Endpoints) -> None:
    key = f"replay-{uuid.uuid4().hex[:12]}".encode()
    group = f"test-replay-{uuid.uuid4().hex[:8]}"
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka_bootstrap, acks="all")
    await producer.start()
    fixed = (
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
    for reason, body in (("handler-failed", fixed), ("not-json", b"\xff garbage")):
        await producer.send_and_wait(
            REQUESTS.dlq,
            body,
            key=key,
            headers=[
                ("content-type", b"application/cloudevents+json"),
                ("x-dlq-reason", reason.encode()),
                ("x-dlq-original-topic", REQUESTS.name.encode()),
                ("x-dlq-consumer-group", b"entraide-matching"),
            ],
        )
    await producer.stop()

    first = await replay(infra.kafka_bootstrap, REQUESTS.dlq, reason="handler-failed", group=group)
    again = await replay(infra.kafka_bootstrap, REQUESTS.dlq, reason="handler-failed", group=group)

    assert first >= 1  # earlier runs' dead letters may match too; ours is checked below
    assert again == 0
    [back] = await records(infra.kafka_bootstrap, REQUESTS.name, key=key)
    assert back.value == fixed
    headers = dict(back.headers)
    assert headers["content-type"] == b"application/cloudevents+json"
    assert not any(name.startswith("x-dlq-") for name in headers)
    assert headers["x-replayed-from"].startswith(REQUESTS.dlq.encode())
