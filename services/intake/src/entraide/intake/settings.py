"""Intake's settings (environment, prefix `ENTRAIDE_`)."""

from pydantic import Field

from entraide.contracts.kit.settings import ServiceSettings, service_field
from entraide.contracts.topics import PARTNER_RAW
from entraide.intake.partners import Partner


class IntakeSettings(ServiceSettings):
    port: int = service_field("intake", "port", 8020)
    database: str = service_field("intake", "database", "entraide_intake")
    outbox_lease_seconds: float = 30.0
    outbox_idle_poll_seconds: float = 1.0
    partners: dict[str, Partner] = Field(
        default_factory=dict,
        description='ENTRAIDE_PARTNERS, JSON: {"<key id>": {"secret": "...", "source": "urn:..."}}',
    )
    partner_signature_tolerance_seconds: float = 300.0
    partner_events_topic: str = Field(PARTNER_RAW.name, description="The partners' Kafka door.")
