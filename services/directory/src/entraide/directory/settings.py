"""Directory's settings (environment, prefix `ENTRAIDE_`)."""

import base64

from pydantic import Field, SecretStr

from entraide.contracts.topics import OFFERS, VOLUNTEER_APPLICATIONS, VOLUNTEERS
from entraide.kit.settings import (
    KeyVaultSettings,
    NotificationSettings,
    ServiceSettings,
    service_field,
)


class DirectorySettings(ServiceSettings, KeyVaultSettings, NotificationSettings):
    port: int = service_field("directory", "port", 8010)
    database: str = service_field("directory", "database", "entraide_directory")
    outbox_relay: bool = Field(True, description="Run the outbox relay in this process.")
    outbox_idle_poll_seconds: float = 1.0
    sweep_every_seconds: float = Field(
        300.0,
        description="How often withdrawn offers, and erased volunteers' tombstones, whose "
        "events are out are deleted.",
    )
    search_cache_cells: int = Field(
        4096,
        ge=0,
        description="How many H3 cells' (and départements') search cards each process keeps "
        "in memory, least recently used out first (metropolitan France is about 2,200 cells).",
    )
    search_cache_max_age_seconds: float = Field(
        300.0,
        gt=0,
        description="A cached cell is read again after this long even if its change count "
        "did not move (a writer that died between a card and its count, a replica of an "
        "older version); the search that reads it again pays the store's read.",
    )
    application_retention_years: int = Field(
        3,
        ge=1,
        description="Would-be volunteers never approved (declined, left before approval, "
        "never reviewed) are erased this many years after their application's last change; "
        "an approved volunteer's retention is privacy's.",
    )
    offers_topic: str = Field(OFFERS.name, description="Where offers go (tests use their own).")
    volunteers_topic: str = VOLUNTEERS.name
    volunteer_applications_topic: str = Field(
        VOLUNTEER_APPLICATIONS.name, description="Applications' changes (the observatory's)."
    )
    master_key: SecretStr = service_field(
        "directory",
        "master_key",
        SecretStr(base64.b64encode(b"entraide-directory-dev-master-k!").decode()),
    )

    def master_key_bytes(self) -> bytes:
        """ENTRAIDE_DIRECTORY_MASTER_KEY: base64 of 32 bytes (the default is for development)."""
        key = base64.b64decode(self.master_key.get_secret_value())
        if len(key) != 32:
            raise ValueError("ENTRAIDE_DIRECTORY_MASTER_KEY must be base64 of exactly 32 bytes")
        return key
