"""Settings every service reads from the environment (prefix `ENTRAIDE_`)."""

from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """What every service needs; a service adds its own fields in a subclass."""

    model_config = SettingsConfigDict(env_prefix="ENTRAIDE_", extra="ignore", populate_by_name=True)

    port: int = Field(description="Each service sets its default and ENTRAIDE_<SERVICE>_PORT.")
    database: str = Field(description="The service's own database (ENTRAIDE_<SERVICE>_DATABASE).")
    kafka_bootstrap: str = "127.0.0.1:9092"
    mongodb_uri: str = "mongodb://127.0.0.1:27017"
    host: str = "127.0.0.1"
    log_level: str = "INFO"
    consumer_attempts: int = Field(4, ge=1, description="Tries before a message is dead-lettered.")
    retry_backoff_seconds: float = Field(0.2, ge=0)
    graceful_timeout_seconds: float = Field(15.0, gt=0)
    consumer_group_prefix: str = Field(
        "entraide", description="Consumer groups are <prefix>-<service>."
    )


def service_field(service: str, name: str, default: Any) -> Any:
    """A field read from `ENTRAIDE_<SERVICE>_<NAME>`, so four services can share one shell."""
    return Field(default, validation_alias=f"ENTRAIDE_{service.upper()}_{name.upper()}")
