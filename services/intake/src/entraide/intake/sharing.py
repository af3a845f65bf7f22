"""A match shares a family with the association that accepted it, until the match ends.

Intake listens to matching's events: an accepted match lets the volunteer's or offer's
association open the family's record (its staff need the contact details to start);
a declined, expired or closed match takes that back. Scopes stay in `access`.
"""

import logging

from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from entraide.contracts import parse_event
from entraide.contracts.events import MatchAccepted, MatchClosed, MatchDeclined, MatchExpired
from entraide.contracts.kit.broker import subscriber_options
from entraide.contracts.kit.settings import ServiceSettings
from entraide.contracts.topics import MATCHES
from entraide.intake.store import FamilyStore

log = logging.getLogger(__name__)
ENDED = (MatchClosed, MatchDeclined, MatchExpired)


def register(
    broker: KafkaBroker, families: FamilyStore, *, settings: ServiceSettings, service_name: str
) -> None:
    @broker.subscriber(  # type: ignore[untyped-decorator]
        MATCHES.name, title="matches", **subscriber_options(settings, service_name)
    )
    async def on_match_event(message: KafkaMessage) -> None:
        """Open or close the family's record to the match's association."""
        event = parse_event(message.body)
        data = event.data
        association = getattr(data, "association_id", None)
        if not association or not isinstance(data, (MatchAccepted, *ENDED)):
            return  # proposals and follow-ups change nothing here
        shared = isinstance(data, MatchAccepted)
        changed = await families.share(data.family_ref, association, shared=shared)
        log.info(
            "family sharing", extra={"event_id": event.id, "shared": shared, "changed": changed}
        )
