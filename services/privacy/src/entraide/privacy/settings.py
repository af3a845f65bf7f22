"""Privacy's settings (environment, prefix `ENTRAIDE_`)."""

from entraide.contracts.kit.settings import ServiceSettings, service_field


class PrivacySettings(ServiceSettings):
    port: int = service_field("privacy", "port", 8040)
    database: str = service_field("privacy", "database", "entraide_privacy")
