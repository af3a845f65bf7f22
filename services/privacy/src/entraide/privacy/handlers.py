"""Privacy's Kafka handlers: contacts into the subject registry, acknowledgements into cases."""

import logging

from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from entraide.contracts import parse_event
from entraide.contracts.events import PrivacyAck
from entraide.contracts.kit.broker import consumer_group, subscriber_options
from entraide.contracts.kit.deadletter import PoisonMessageError
from entraide.contracts.kit.settings import ServiceSettings
from entraide.contracts.topics import MATCHES, PRIVACY_ACKS, REQUESTS, VOLUNTEERS
from entraide.privacy import domain
from entraide.privacy.cases import Rights
from entraide.privacy.ports import Subjects

log = logging.getLogger(__name__)


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
        **options | {"group_id": f"{group}-contacts"},
    )
    async def on_contact_event(message: KafkaMessage) -> None:
        """Move each subject's retention clock; redeliveries change nothing (latest wins)."""
        if not message.body:  # a tombstone on the compacted volunteers topic
            return
        event = parse_event(message.body)
        touched = [await subjects.record_contact(c) for c in domain.contacts_of(event.data)]
        log.debug("contact event", extra={"event_id": event.id, "subjects": len(touched)})

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
