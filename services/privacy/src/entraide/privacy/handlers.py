"""Privacy's Kafka handlers: contacts into the subject registry, acknowledgements into cases."""

import logging
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from entraide.contracts import parse_event
from entraide.contracts.events import PrivacyAck
from entraide.contracts.topics import MATCHES, PRIVACY_ACKS, REQUESTS, VOLUNTEERS
from entraide.kit.broker import consumer_group, subscriber_options
from entraide.kit.deadletter import PERMANENT, PoisonMessageError, dead_letters_of
from entraide.kit.settings import ServiceSettings
from entraide.privacy import domain
from entraide.privacy.cases import Rights
from entraide.privacy.ports import Subjects

log = logging.getLogger(__name__)
CONTACTS_BATCH_MAX_RECORDS = 500
CONTACTS_BATCH_TIMEOUT_MS = 50


def register(
    broker: KafkaBroker,
    subjects: Subjects,
    rights: Rights,
    *,
    settings: ServiceSettings,
    service: str,
) -> None:
    # One group per subscriber: subscribers sharing a group rebalance each other
    group = consumer_group(settings, service)
    options = subscriber_options(settings, service)

    @broker.subscriber(  # type: ignore[untyped-decorator]
        REQUESTS.name,
        MATCHES.name,
        VOLUNTEERS.name,
        title="contacts",
        batch=True,
        max_records=CONTACTS_BATCH_MAX_RECORDS,
        batch_timeout_ms=CONTACTS_BATCH_TIMEOUT_MS,
        **options | {"group_id": f"{group}-contacts"},
    )
    async def on_contact_events(message: KafkaMessage) -> None:
        """A batch: each subject's retention clock moved, in one write for the batch;
        redeliveries change nothing (latest wins); events no retry can fix to the
        dead-letter topic; the offsets committed once it is all done."""
        records: tuple[Any, ...] = message.raw_message
        contacts, poison = [], []
        for record in records:
            if not record.value:  # a tombstone on the compacted volunteers topic
                continue
            try:
                contacts.extend(domain.contacts_of(parse_event(record.value).data))
            except PERMANENT as exc:
                poison.append((record, exc))
        kept = await subjects.record_contacts(contacts)
        log.debug("contact events", extra={"records": len(records), "subjects": kept})
        dead_letters = dead_letters_of(broker)
        for record, why in poison:
            await dead_letters.send(record, why)

    @broker.subscriber(  # type: ignore[untyped-decorator]
        PRIVACY_ACKS.name,
        title="privacy-acks",
        # new: from the end (the watchdog resends what is unanswered, services answer again)
        **options | {"group_id": f"{group}-acks", "auto_offset_reset": "latest"},
    )
    async def on_ack(message: KafkaMessage) -> None:
        """A service answered a command: note it on the case, close the case if complete."""
        event = parse_event(message.body)
        if not isinstance(event.data, PrivacyAck):
            raise PoisonMessageError("not-an-acknowledgement", event.type)
        await rights.record_ack(event.data)
