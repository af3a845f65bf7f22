"""Matching's settings (environment, prefix `ENTRAIDE_`)."""

from entraide.contracts.kit.settings import ServiceSettings, service_field


class MatchingSettings(ServiceSettings):
    port: int = service_field("matching", "port", 8030)
    database: str = service_field("matching", "database", "entraide_matching")
