"""Settings every service reads from the environment (prefix `ENTRAIDE_`)."""

from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_ISSUER = "http://127.0.0.1:8001"
DEV_SESSION_SECRET = "entraide-development-session-secret"


class ServiceSettings(BaseSettings):
    """What every service needs; a service adds its own fields in a subclass."""

    model_config = SettingsConfigDict(env_prefix="ENTRAIDE_", extra="ignore", populate_by_name=True)

    port: int = Field(description="Each service sets its default and ENTRAIDE_<SERVICE>_PORT.")
    database: str = Field(description="The service's own database (ENTRAIDE_<SERVICE>_DATABASE).")
    kafka_bootstrap: str = Field("127.0.0.1:9092", description="Kafka bootstrap servers.")
    mongodb_uri: str = Field(
        "mongodb://127.0.0.1:27017",
        description="MongoDB URI (mongo-java-server on these machines); its user may use the service's database only.",
    )
    host: str = Field("127.0.0.1", description="Address to listen on (0.0.0.0 in a container).")
    forwarded_allow_ips: str = Field(
        "127.0.0.1",
        description="The proxies whose X-Forwarded-For (and -Proto) is believed, comma-separated "
        "addresses or CIDR ranges: in Kubernetes the Ingress controller's pods' range (the "
        "overlay sets it), else every rate limit per client address counts the Ingress as "
        "one client. A peer not listed is the client itself, whatever header it sends. Never "
        "`*` where anyone else can reach the service.",
    )
    log_level: str = Field("INFO", description="DEBUG, INFO, WARNING or ERROR (JSON on stderr).")
    consumer_attempts: int = Field(4, ge=1, description="Tries before a message is dead-lettered.")
    retry_backoff_seconds: float = Field(
        0.2, ge=0, description="First retry delay of a failing handler (then doubled)."
    )
    graceful_timeout_seconds: float = Field(
        15.0, gt=0, description="On SIGTERM, how long in-flight messages may take to finish."
    )
    consumer_group_prefix: str = Field(
        "entraide", description="Consumer groups are <prefix>-<service>."
    )
    auth_issuer: str = Field(DEV_ISSUER, description="Staff tokens' `iss` (the OIDC provider).")
    auth_jwks_url: str = Field(f"{DEV_ISSUER}/.well-known/jwks.json", description="Its JWKS.")
    auth_audience: str = Field("entraide", description="Staff tokens' `aud`.")
    auth_dev_token_url: str | None = Field(
        f"{DEV_ISSUER}/token", description="The dev issuer's token URL; empty in production."
    )
    auth_login_url: str | None = Field(
        None, description="Production sign-in (OIDC provider or oauth2-proxy) for /connexion."
    )
    session_cookie_secure: bool = Field(False, description="True in production (HTTPS).")
    session_secret: SecretStr = Field(
        SecretStr(DEV_SESSION_SECRET),
        description="Signs CSRF tokens and the pages' outcome messages (kit.flash). The default "
        "is for development only: set it in production.",
    )
    # each person's home, where a refused page's « Retour à l'accueil » leads (kit.homes)
    intake_url: str = Field(
        "http://127.0.0.1:8020",
        description="Intake's public address. Every service: the home of associations' staff "
        "and the network's coordination when its own home page is not theirs. Intake: a "
        "family's « demande reçue » e-mail names its status page (/suivi) there. Directory: "
        "an offer links to « Demander de l'aide » there. Matching: proposals link to the "
        "family's record there (same sign-in).",
    )
    observatory_url: str = Field(
        "http://127.0.0.1:8050", description="The observatory's pages: a funder's home."
    )
    # the network's menu leads to each service's staff space (kit.network)
    matching_url: str = Field(
        "http://127.0.0.1:8030", description="Matching's pages: the proposals, in every menu."
    )
    directory_url: str = Field(
        "http://127.0.0.1:8010",
        description="Directory's public address. Every service's menu: the association's "
        "space. Directory: the stale offers' reminders link to the space. Matching: proposals "
        "link to the volunteer and the offer there.",
    )
    privacy_url: str = Field(
        "http://127.0.0.1:8040", description="Privacy's pages: the DPO's home."
    )

    otlp_traces_endpoint: str | None = Field(
        None,
        description="OTLP/HTTP traces endpoint (e.g. http://otel-collector:4318/v1/traces); "
        "unset: spans only give log lines their trace ids.",
    )
    trace_sample_ratio: float = Field(
        1.0, ge=0, le=1, description="Share of new traces kept (a caller's choice is followed)."
    )
    consumer_lag_interval_seconds: float = Field(
        15.0, gt=0, description="How often the consumer-lag gauge is refreshed."
    )
    public_rate_limit: str = Field(
        "30/minute",
        description="Posts per client address on public forms, counted in the service's store "
        "for all its replicas, and failed (unsigned or badly signed) requests per address on "
        "intake's partner door, counted there too (`limits` notation: 30/minute, 5/second); "
        "past it, 429 with Retry-After. Signed partner requests count against their "
        "partner's quota instead (ENTRAIDE_PARTNERS).",
    )

    @field_validator("auth_dev_token_url", "auth_login_url", "otlp_traces_endpoint", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        """`ENTRAIDE_AUTH_DEV_TOKEN_URL=` turns the demo sign-in off (the default is on)."""
        return None if value == "" else value


def service_field(service: str, name: str, default: Any) -> Any:
    """A field read from `ENTRAIDE_<SERVICE>_<NAME>`, so four services can share one shell."""
    return Field(default, validation_alias=f"ENTRAIDE_{service.upper()}_{name.upper()}")


class KeyVaultSettings(BaseSettings):
    """For a service that seals personal data with keys from privacy's key vault."""

    model_config = SettingsConfigDict(env_prefix="ENTRAIDE_", extra="ignore", populate_by_name=True)

    keys: Literal["vault", "local"] = Field(
        "vault",
        description="ENTRAIDE_KEYS: `vault` (privacy's key vault) or `local` (keys wrapped "
        "in the service's own database: for running it alone).",
    )
    keyvault_url: str = Field("http://127.0.0.1:8040", description="Privacy's key vault.")
    keyvault_secret: SecretStr | None = Field(
        None,
        description="ENTRAIDE_KEYVAULT_SECRET: the service's shared secret with the key vault "
        "(unset: the development secret of the service, never for production).",
    )
    keyvault_cache_seconds: float = Field(30.0, ge=0, description="How long a key is cached.")


class NotificationSettings(BaseSettings):
    """For a service that sends notifications (`kit.notifications`): e-mail through an SMTP
    server, SMS through Brevo's transactional SMS API, quiet hours for SMS. Declared once:
    each service that sends (intake, directory, matching, privacy) adds it to its settings
    class, hands that to `notifier_from`, and docs/configuration.md lists it there."""

    model_config = SettingsConfigDict(env_prefix="ENTRAIDE_", extra="ignore", populate_by_name=True)

    smtp_host: str = Field(
        "127.0.0.1",
        description="SMTP server every e-mail goes through: `make up`'s mail catcher, compose's "
        "`mailpit`, in Kubernetes the relay of ConfigMap `entraide-mail`.",
    )
    smtp_port: int = Field(
        1025, description="SMTP port (the mail catchers': 1025; the relay's: 587, STARTTLS)."
    )
    smtp_from: str = Field(
        "Entraide <ne-pas-repondre@entraide.local>",
        description="The e-mails' sender (From): a domain whose SPF and DKIM the relay signs for.",
    )
    smtp_username: str | None = Field(None, description="SMTP user, if the server wants one.")
    smtp_password: SecretStr | None = Field(None, description="SMTP password.")
    smtp_starttls: bool = Field(False, description="STARTTLS (true for a production relay).")
    sms_url: str | None = Field(
        None,
        description="The SMS provider's API base (Brevo: https://api.brevo.com/v3); unset: "
        "SMS are recorded as failed, not sent.",
    )
    sms_api_key: SecretStr | None = Field(None, description="The provider's `api-key`.")
    sms_proxy: str | None = Field(
        None,
        description="Forward proxy the SMS calls go through (Kubernetes: the `sms-egress` "
        "proxy, the SMS senders' only way to the Internet, http://sms-egress:3128); unset "
        "(development, compose): straight to the provider.",
    )
    sms_sender: str = Field("Entraide", description="SMS sender name (11 characters at most).")
    quiet_start: str = Field("20:00", description="SMS quiet hours start (Paris time).")
    quiet_end: str = Field("08:30", description="SMS quiet hours end (Paris time).")
    notify_attempts: int = Field(6, ge=1, description="Tries before a notification fails.")
    notify_backoff_seconds: float = Field(30.0, ge=0, description="First retry delay (doubled).")
    notify_seal_secret: SecretStr = Field(
        SecretStr("entraide-development-notifications-secret"),
        description="Seals pending notifications' addresses at rest: set it in production.",
    )
