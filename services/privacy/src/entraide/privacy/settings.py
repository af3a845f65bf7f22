"""Privacy's settings (environment, prefix `ENTRAIDE_`)."""

import base64
import hashlib
import hmac

from pydantic import Field, SecretStr

from entraide.contracts.vocab import SubjectKind
from entraide.kit.i18n import N_
from entraide.kit.keyvault_client import dev_secret
from entraide.kit.settings import NotificationSettings, ServiceSettings, service_field

DEV_MASTER_KEY = base64.b64encode(b"entraide-dev-privacy-master-key!").decode()
SERVICES = ("directory", "intake", "matching", "privacy", "observatory")


# the default is a title, translated on the public page (a configured name is in no catalog)
DPO_NAME = N_("Délégué à la protection des données du réseau Entraide")


class PrivacySettings(ServiceSettings, NotificationSettings):
    port: int = service_field("privacy", "port", 8040)
    database: str = service_field("privacy", "database", "entraide_privacy")
    master_keys: dict[str, SecretStr] = Field(
        {"dev": SecretStr(DEV_MASTER_KEY)},
        description='ENTRAIDE_MASTER_KEYS, JSON {"<id>": "<base64 of 32 bytes>"}: the key '
        "vault's master keys (a KMS in production). The default is for development only.",
    )
    active_master: str = Field(
        "dev", description="ENTRAIDE_ACTIVE_MASTER: the master key new keys are wrapped under."
    )
    public_rights_master: str = Field(
        "",
        description="ENTRAIDE_PUBLIC_RIGHTS_MASTER: the master key the public rights channel's "
        "key comes from (its codes, follow-ups and export links, valid up to 7 days): pinned, "
        "so that rotating ENTRAIDE_ACTIVE_MASTER refuses none of them. Empty: the first of "
        "ENTRAIDE_MASTER_KEYS. Moving it refuses what the channel sent in the last 7 days.",
    )
    keyvault_clients: dict[str, SecretStr] = Field(
        {s: SecretStr(dev_secret(s)) for s in ("intake", "directory")},
        description='ENTRAIDE_KEYVAULT_CLIENTS, JSON {"<service>": "<shared secret>"}: who may '
        "use the key vault. The defaults are for development only.",
    )
    rights_services: tuple[str, ...] = Field(
        SERVICES, description="The services every erasure and access command must hear from."
    )
    ack_retry_seconds: float = Field(300.0, gt=0, description="Resend to silent services after.")
    ack_escalate_after: int = Field(3, ge=1, description="Sends before a case is escalated.")
    watchdog_interval_seconds: float = Field(30.0, gt=0)
    retention_years: dict[SubjectKind, int] = Field(
        {SubjectKind.FAMILY: 3, SubjectKind.VOLUNTEER: 3},
        description="Years kept after the last contact, per kind of subject.",
    )
    retention_warning_days: tuple[int, ...] = (30, 7)
    sweep_interval_seconds: float = Field(
        86400.0, ge=0, description="The retention sweep runs this often (0: never by itself)."
    )

    dpo_name: str = Field(
        DPO_NAME,
        description="Who answers rights requests, as the public page names them (the "
        "default in the page's language, a configured name as it is).",
    )
    dpo_contact: str = Field(
        "dpo@entraide.example", description="The DPO's address on the public page."
    )
    public_url: str = Field(
        "http://127.0.0.1:8040", description="Privacy's public address (the export links)."
    )
    owners_urls: dict[str, str] = Field(
        {"intake": "http://127.0.0.1:8020", "directory": "http://127.0.0.1:8010"},
        description="Where the services owning contact data answer which subjects a proved "
        "contact names (the public rights channel).",
    )

    def public_rights_key(self) -> bytes:
        """The key of the public channel's hashes and links, from its pinned master key (not
        the active one: a rotation would refuse every code and link sent before it)."""
        masters = self.masters()
        pinned = self.public_rights_master or next(iter(self.master_keys))
        if pinned not in masters:
            raise ValueError("ENTRAIDE_PUBLIC_RIGHTS_MASTER must name one of the master keys")
        return hmac.new(masters[pinned], b"public-rights-channel", hashlib.sha256).digest()

    def owner_secrets(self) -> dict[str, str]:
        """The secret privacy shares with each owner of contact data (the vault's)."""
        return {name: self.keyvault_clients[name].get_secret_value() for name in self.owners_urls
                if name in self.keyvault_clients}  # fmt: skip

    def masters(self) -> dict[str, bytes]:
        keys = {k: base64.b64decode(v.get_secret_value()) for k, v in self.master_keys.items()}
        if any(len(k) != 32 for k in keys.values()) or self.active_master not in keys:
            raise ValueError("master keys must be base64 of 32 bytes, the active one among them")
        return keys
