"""Matching's settings (environment, prefix `ENTRAIDE_`)."""

from pydantic import Field

from entraide.contracts.topics import OFFERS, REQUESTS, VOLUNTEERS
from entraide.kit.settings import NotificationSettings, ServiceSettings, service_field


class MatchingSettings(ServiceSettings, NotificationSettings):
    """Its notifier mails the coordinators' digest (NotificationSettings: e-mail only)."""

    port: int = service_field("matching", "port", 8030)
    database: str = service_field("matching", "database", "entraide_matching")
    proposal_ttl_hours: float = Field(
        120.0, gt=0, description="A proposal nobody answers expires; the next candidate follows."
    )
    batch_interval_seconds: float = Field(
        300.0, gt=0, description="How often waiting requests are re-optimised together."
    )
    scheduler: bool = Field(
        True, description="Run expiry and the batch here (one replica only in production)."
    )
    online: bool = Field(
        True, description="Propose as soon as a request arrives (off: the batch only)."
    )
    announce_waitlist: bool = Field(
        True,
        description="Announce each request that starts waiting, or waits for a new reason "
        "(`match.waitlisted`: intake shows it to staff).",
    )
    requests_batch_max_records: int = Field(
        300, ge=1, description="Request events consumed, stored and placed at once."
    )
    # the relay is woken by every write it has to publish (online proposals publish their
    # own): its idle poll, a scan of the matches on mongo-java-server (about 50 ms at
    # 70,000, which inserts wait behind), only finds what a dead writer left
    outbox_idle_poll_seconds: float = 5.0
    coordinator_emails: dict[str, str] = Field(
        {},
        description="The coordinators' daily digest (proposals, follow-ups, alerts) by e-mail: "
        'association id → address, JSON (`{"parrains-par-mille": "coordination@…"}`); '
        "empty: no digest. Sent through the kit's notifier (ENTRAIDE_SMTP_*).",
    )
    digest_link: str = Field(
        "http://127.0.0.1:8030/propositions", description="The pages the digest links to."
    )
    requests_topic: str = Field(REQUESTS.name, description="Where requests come from.")
    offers_topic: str = Field(OFFERS.name, description="Directory's offers (compacted).")
    volunteers_topic: str = Field(VOLUNTEERS.name, description="Volunteers' availability.")
