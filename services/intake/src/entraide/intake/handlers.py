"""Intake's Kafka doors: raw partner events (validated like the HTTP door's), and
matching's events: each request's orientation (proposed, waitlisted, accepted, started,
closed...) and the family's record opened or closed to an association."""

from typing import Any

from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from entraide.contracts import parse_event
from entraide.contracts.topics import MATCHES
from entraide.intake import duplicates, orientation, partners, service, sharing
from entraide.intake.partners import PartnerEvent
from entraide.intake.ports import AuditTrail, FamilyKeys, UnitOfWork
from entraide.intake.settings import IntakeSettings
from entraide.kit.broker import subscriber_options
from entraide.kit.deadletter import PERMANENT, PoisonMessageError, dead_letters_of

# a replay of the matches topic (a new replica, a rebuilt database) goes by batches
MATCHES_BATCH_MAX_RECORDS = 500
MATCHES_BATCH_TIMEOUT_MS = 50


def register(
    broker: KafkaBroker,
    uow: UnitOfWork,
    keys: FamilyKeys,
    audit: AuditTrail,
    *,
    settings: IntakeSettings,
    service_name: str,
) -> None:
    sources = {partner.source for partner in settings.partners.values()}
    partner_uow = duplicates.Flagging(uow)  # partners cannot confirm: flagged, recorded

    @broker.subscriber(  # type: ignore[untyped-decorator]
        settings.partner_events_topic,
        title="partner-events",
        batch=True,
        max_records=settings.partner_batch_max_records,
        batch_timeout_ms=settings.partner_batch_timeout_ms,
        **subscriber_options(settings, service_name),
    )
    async def on_partner_events(message: KafkaMessage) -> None:
        """A batch: valid events recorded once each (one lookup, one key call, one write,
        their events published), invalid ones to the dead-letter topic with the fields
        named; the offsets are committed once it is all done."""
        records: tuple[Any, ...] = message.raw_message
        events: dict[str, tuple[PartnerEvent, Any]] = {}
        poison: list[tuple[Any, BaseException]] = []
        for record in records:
            try:
                event = PartnerEvent.model_validate_json(record.value or b"")
                if event.source not in sources:
                    raise PoisonMessageError(
                        "unknown-partner", "source is not a registered partner's"
                    )
            except PERMANENT as exc:
                poison.append((record, exc))
                continue
            events.setdefault(partners.family_id(event.source, event.id), (event, record))
        batch = await service.ingest_partner_events(
            partner_uow, keys, [event for event, _ in events.values()]
        )
        for event in batch.erased:  # as a single event whose key is gone: handler-failed
            record = events[partners.family_id(event.source, event.id)][1]
            poison.append((record, LookupError("the family's key was destroyed")))
        dead_letters = dead_letters_of(broker)
        for record, why in poison:
            await dead_letters.send(record, why)

    @broker.subscriber(  # type: ignore[untyped-decorator]
        MATCHES.name,
        title="matches",
        batch=True,
        max_records=MATCHES_BATCH_MAX_RECORDS,
        batch_timeout_ms=MATCHES_BATCH_TIMEOUT_MS,
        **subscriber_options(settings, service_name),
    )
    async def on_match_events(message: KafkaMessage) -> None:
        """A batch: the steps noted on the requests' orientation in one write; the
        family's record opened or closed to the match's association; events no retry can
        fix to the dead-letter topic; the offsets committed once it is all done."""
        records: tuple[Any, ...] = message.raw_message
        events, poison = [], []
        for record in records:
            try:
                events.append(parse_event(record.value or b""))
            except PERMANENT as exc:
                poison.append((record, exc))
        await orientation.match_events(uow.families, events)
        for event in events:
            await sharing.match_changed(uow.families, audit, event)
        dead_letters = dead_letters_of(broker)
        for record, why in poison:
            await dead_letters.send(record, why)
