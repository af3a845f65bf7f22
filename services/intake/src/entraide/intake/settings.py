"""Intake's settings (environment, prefix `ENTRAIDE_`)."""

from entraide.contracts.kit.settings import ServiceSettings, service_field


class IntakeSettings(ServiceSettings):
    port: int = service_field("intake", "port", 8020)
    database: str = service_field("intake", "database", "entraide_intake")
    outbox_lease_seconds: float = 30.0
    outbox_idle_poll_seconds: float = 1.0
