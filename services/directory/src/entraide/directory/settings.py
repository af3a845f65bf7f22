"""Directory's settings (environment, prefix `ENTRAIDE_`)."""

from pydantic import Field

from entraide.contracts.kit.settings import ServiceSettings, service_field


class DirectorySettings(ServiceSettings):
    port: int = service_field("directory", "port", 8010)
    database: str = service_field("directory", "database", "entraide_directory")
    outbox_relay: bool = Field(True, description="Run the outbox relay in this process.")
    outbox_idle_poll_seconds: float = 1.0
