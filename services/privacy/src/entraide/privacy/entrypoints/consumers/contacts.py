"""Contacts into the subject registry: every event that shows a subject's sign of life
(requests, matches, volunteers' availability, volunteers' applications) moves its
retention clock, a batch at a time in one write (redeliveries change nothing: the latest
wins). A topic new to the group is read from its start (`earliest`): the applications'
topic keeps 90 days, so the applicants of those 90 days are registered on the first run."""

import logging

from faststream.kafka import KafkaBroker

from entraide.contracts.topics import MATCHES, REQUESTS, VOLUNTEER_APPLICATIONS, VOLUNTEERS
from entraide.kit.broker import consumer_group, subscriber_options
from entraide.kit.consumers import Batch, Record, event_of, subscribe_batches
from entraide.kit.settings import ServiceSettings
from entraide.privacy.domain.contacts import Contact, contacts_of
from entraide.privacy.usecases.ports import Subjects

log = logging.getLogger(__name__)
CONTACTS_BATCH_MAX_RECORDS = 500
CONTACTS_BATCH_TIMEOUT_MS = 50


def contacts_in(record: Record) -> list[Contact] | None:
    """The contacts a record's event shows; None for a tombstone (an empty or missing value
    on the compacted volunteers topic)."""
    if not record.value:
        return None
    return contacts_of(event_of(record).data)


def contacts_group(settings: ServiceSettings, service: str) -> str:
    """The registry's consumer group (its own: groups shared by several subscribers
    rebalance each other)."""
    return f"{consumer_group(settings, service)}-contacts"


def register(
    broker: KafkaBroker, subjects: Subjects, *, settings: ServiceSettings, service: str
) -> None:
    """Subscribe the registry to the contact events (`contacts_group`)."""

    async def on_contact_events(batch: Batch[list[Contact]]) -> None:
        """A batch: each subject's retention clock moved, in one write for the batch;
        redeliveries change nothing (latest wins); events no retry can fix to the
        dead-letter topic; the offsets committed once it is all done."""
        contacts = [contact for found in batch for contact in found]
        kept = await subjects.record_contacts(contacts)
        log.debug("contact events", extra={"records": len(batch), "subjects": kept})

    group = contacts_group(settings, service)
    subscribe_batches(
        broker,
        [REQUESTS.name, MATCHES.name, VOLUNTEERS.name, VOLUNTEER_APPLICATIONS.name],
        title="contacts",
        parse=contacts_in,
        handle=on_contact_events,
        options=subscriber_options(settings, service) | {"group_id": group},
        max_records=CONTACTS_BATCH_MAX_RECORDS,
        batch_timeout_ms=CONTACTS_BATCH_TIMEOUT_MS,
    )
