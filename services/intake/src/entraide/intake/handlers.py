"""Intake's Kafka door: raw partner events, validated like the HTTP door's."""

from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from entraide.contracts.kit.broker import subscriber_options
from entraide.contracts.kit.deadletter import PoisonMessageError
from entraide.contracts.kit.outbox import OutboxRelay
from entraide.intake import service
from entraide.intake.keys import FamilyKeys
from entraide.intake.partners import PartnerEvent
from entraide.intake.settings import IntakeSettings
from entraide.intake.store import FamilyStore


def register(
    broker: KafkaBroker,
    families: FamilyStore,
    relay: OutboxRelay,
    keys: FamilyKeys,
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
        await service.ingest_partner_event(families, keys, event)
        relay.wake()
