"""Intake's Kafka doors: raw partner events (validated like the HTTP door's), and
matching's events that open or close a family's record to an association."""

from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from entraide.contracts import parse_event
from entraide.contracts.kit.broker import subscriber_options
from entraide.contracts.kit.deadletter import PoisonMessageError
from entraide.contracts.topics import MATCHES
from entraide.intake import service, sharing
from entraide.intake.partners import PartnerEvent
from entraide.intake.ports import AuditTrail, FamilyKeys, UnitOfWork
from entraide.intake.settings import IntakeSettings


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

    @broker.subscriber(  # type: ignore[untyped-decorator]
        settings.partner_events_topic,
        title="partner-events",
        **subscriber_options(settings, service_name),
    )
    async def on_partner_event(message: KafkaMessage) -> None:
        """Invalid events go to the dead-letter topic with the fields named; valid ones once."""
        event = PartnerEvent.model_validate_json(message.body)
        if event.source not in sources:
            raise PoisonMessageError("unknown-partner", "source is not a registered partner's")
        await service.ingest_partner_event(uow, keys, event)

    @broker.subscriber(  # type: ignore[untyped-decorator]
        MATCHES.name, title="matches", **subscriber_options(settings, service_name)
    )
    async def on_match_event(message: KafkaMessage) -> None:
        """Open or close the family's record to the match's association."""
        await sharing.match_changed(uow.families, audit, parse_event(message.body))
