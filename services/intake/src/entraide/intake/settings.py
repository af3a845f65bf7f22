"""Intake's settings (environment, prefix `ENTRAIDE_`)."""

import base64

from pydantic import Field, SecretStr

from entraide.contracts.topics import PARTNER_RAW
from entraide.intake.domain.partners import Partner
from entraide.kit.settings import (
    KeyVaultSettings,
    NotificationSettings,
    ServiceSettings,
    service_field,
)

DEV_MASTER_KEY = base64.b64encode(b"entraide-development-master-key!").decode()


class IntakeSettings(ServiceSettings, KeyVaultSettings, NotificationSettings):
    """Its notifier tells families by e-mail and SMS (NotificationSettings)."""

    port: int = service_field("intake", "port", 8020)
    database: str = service_field("intake", "database", "entraide_intake")
    outbox_relay: bool = Field(
        True, description="Run the outbox relay in this process (replicas may leave it to others)."
    )
    outbox_lease_seconds: float = 30.0
    # the relay is woken by every write it has to publish (the partner door's batches
    # publish their own events): its idle poll, a scan of the pending, only finds stragglers
    outbox_idle_poll_seconds: float = 5.0
    partners: dict[str, Partner] = Field(
        default_factory=dict,
        description='ENTRAIDE_PARTNERS, JSON: {"<key id>": {"secret": "...", "source": "urn:...", '
        '"quota": {"per_minute": 600, "burst": 100}}}. `quota` (optional, these defaults) bounds '
        "each partner's signed requests on the HTTP door, counted in the store for all replicas: "
        "`burst` at once, then `per_minute` a minute; past it, 429 quota-exceeded with Retry-After.",
    )
    partner_signature_tolerance_seconds: float = 300.0
    master_key: SecretStr = Field(
        SecretStr(DEV_MASTER_KEY),
        description="ENTRAIDE_MASTER_KEY: base64 of 32 bytes wrapping the families' data keys. "
        "The default is for development only.",
    )
    partner_events_topic: str = Field(PARTNER_RAW.name, description="The partners' Kafka door.")
    partner_batch_max_records: int = Field(
        500, ge=1, description="Partner events the Kafka door takes, stores and commits at once."
    )
    partner_batch_timeout_ms: int = Field(
        50, ge=1, description="How long the Kafka door waits for a batch when none is ready."
    )
    coordinator_emails: dict[str, str] = Field(
        {},
        description="The daily count of families' own requests waiting on « À confirmer », "
        'by e-mail: association id → address, JSON (`{"parrains-par-mille": "accueil@…", '
        '"reseau": "coordination@…"}`: `reseau` for those sent to no association); empty: '
        "none. Sent through the kit's notifier (ENTRAIDE_SMTP_*).",
    )
    queue_link: str = Field(
        "http://127.0.0.1:8020/a-confirmer", description="The page the daily count links to."
    )
    door_retention_years: int = Field(
        3,
        ge=1,
        description="Families' own requests still waiting, or refused, are deleted this many "
        "years after they were sent (or refused); confirmed ones go with the family's record.",
    )

    def master_key_bytes(self) -> bytes:
        key = base64.b64decode(self.master_key.get_secret_value())
        if len(key) != 32:
            raise ValueError("ENTRAIDE_MASTER_KEY must be base64 of exactly 32 bytes")
        return key
