"""The partners' Kafka door: raw partner events, validated like the HTTP door's, each
recorded once; an invalid one, or one whose family was erased, to the dead-letter topic
with why."""

from faststream.kafka import KafkaBroker

from entraide.intake.entrypoints.partner_event import PartnerEvent
from entraide.intake.settings import IntakeSettings
from entraide.intake.usecases.commands import PartnerSubmission
from entraide.intake.usecases.partner_requests import family_of, ingest_partner_events
from entraide.intake.usecases.ports import FamilyKeys, UnitOfWork
from entraide.kit.broker import subscriber_options
from entraide.kit.consumers import Batch, Record, subscribe_batches
from entraide.kit.deadletter import PoisonMessageError


def register(
    broker: KafkaBroker,
    writes: UnitOfWork,
    keys: FamilyKeys,
    *,
    settings: IntakeSettings,
    service_name: str,
) -> None:
    """Subscribe to the partners' topic; `writes` flags possible duplicates (a partner
    cannot confirm a family is another one)."""
    sources = {partner.source for partner in settings.partners.values()}

    def partner_event(record: Record) -> PartnerEvent:
        event = PartnerEvent.model_validate_json(record.value or b"")
        if event.source not in sources:
            raise PoisonMessageError("unknown-partner", "source is not a registered partner's")
        return event

    async def on_partner_events(batch: Batch[PartnerEvent]) -> None:
        """A batch: valid events recorded once each (one lookup, one key call, one write,
        their events published), invalid ones to the dead-letter topic with the fields
        named; the offsets are committed once it is all done."""
        received: dict[str, tuple[PartnerSubmission, Record]] = {}
        for event, record in batch.items:
            submission = event.submission()
            received.setdefault(family_of(submission), (submission, record))
        done = await ingest_partner_events(writes, keys, [s for s, _ in received.values()])
        for submission in done.erased:  # as a single event whose key is gone: handler-failed
            record = received[family_of(submission)][1]
            batch.reject(record, LookupError("the family's key was destroyed"))

    subscribe_batches(
        broker,
        [settings.partner_events_topic],
        title="partner-events",
        parse=partner_event,
        handle=on_partner_events,
        options=subscriber_options(settings, service_name),
        max_records=settings.partner_batch_max_records,
        batch_timeout_ms=settings.partner_batch_timeout_ms,
    )
