"""Which event travels on which topic: the one table every producer and consumer reads."""

from dataclasses import dataclass

from entraide.contracts import events as ev
from entraide.contracts import topics as t


@dataclass(frozen=True)
class EventSpec:
    """One v1 event: its CloudEvents type, its payload model and its topic."""

    model: type[ev.EventData]
    topic: t.Topic
    classification: str = "pseudonymous"  # CloudEvents `dataclassification` of its envelope
    regulation: str | None = "gdpr"  # and `dataregulation`

    @property
    def type(self) -> str:
        return self.model.EVENT_TYPE


CATALOG: tuple[EventSpec, ...] = (
    EventSpec(ev.RequestSubmitted, t.REQUESTS),
    EventSpec(ev.RequestUpdated, t.REQUESTS),
    EventSpec(ev.RequestWithdrawn, t.REQUESTS),
    EventSpec(ev.ContactLogged, t.REQUESTS),
    EventSpec(ev.OfferPublished, t.OFFERS, "public", None),
    EventSpec(ev.OfferUpdated, t.OFFERS, "public", None),
    EventSpec(ev.OfferWithdrawn, t.OFFERS, "public", None),
    EventSpec(ev.VolunteerAvailability, t.VOLUNTEERS),
    EventSpec(ev.VolunteerApplicationChanged, t.VOLUNTEER_APPLICATIONS),
    EventSpec(ev.MatchProposed, t.MATCHES),
    EventSpec(ev.MatchAccepted, t.MATCHES),
    EventSpec(ev.MatchDeclined, t.MATCHES),
    EventSpec(ev.MatchExpired, t.MATCHES),
    EventSpec(ev.MatchStarted, t.MATCHES),
    EventSpec(ev.MatchCheckedIn, t.MATCHES),
    EventSpec(ev.MatchClosed, t.MATCHES),
    EventSpec(ev.MatchWaitlisted, t.MATCHES),
    EventSpec(ev.ErasureRequested, t.PRIVACY_COMMANDS),
    EventSpec(ev.AccessRequested, t.PRIVACY_COMMANDS),
    EventSpec(ev.ObjectionRequested, t.PRIVACY_COMMANDS),
    EventSpec(ev.RectificationRequested, t.PRIVACY_COMMANDS),
    EventSpec(ev.RectificationWithdrawn, t.PRIVACY_COMMANDS),
    EventSpec(ev.RetentionNoticeDue, t.PRIVACY_COMMANDS),
    EventSpec(ev.ErasureAcknowledged, t.PRIVACY_ACKS),
    EventSpec(ev.AccessAcknowledged, t.PRIVACY_ACKS, "personal-encrypted"),
    EventSpec(ev.ObjectionAcknowledged, t.PRIVACY_ACKS),
    EventSpec(ev.RectificationAcknowledged, t.PRIVACY_ACKS),
    EventSpec(ev.RectificationCompleted, t.PRIVACY_ACKS),
)

_BY_TYPE = {spec.type: spec for spec in CATALOG}


def spec_for_type(event_type: str) -> EventSpec | None:
    """The spec of a CloudEvents type, or None when the network does not know it."""
    return _BY_TYPE.get(event_type)
