"""The v1 event payloads (the CloudEvents `data`).

Within v1 only additive, optional fields: a test compares these models with the committed
JSON Schemas. Identity data (names, phone, e-mail, address, notes) never appears here.

One module per owning service (common types in `common`); every name is importable from
`entraide.contracts.events`.
"""

from entraide.contracts.events.common import Departement, EventData, Language, PostalCode, Ref, Slot
from entraide.contracts.events.directory import (
    ApplicationStatus,
    HonorabilityCheck,
    OfferPublished,
    OfferState,
    OfferUpdated,
    OfferWithdrawn,
    VolunteerApplicationChanged,
    VolunteerAvailability,
)
from entraide.contracts.events.matches import (
    MatchAccepted,
    MatchCheckedIn,
    MatchClosed,
    MatchDeclined,
    MatchEvent,
    MatchExpired,
    MatchProposed,
    MatchStarted,
    MatchWaitlisted,
)
from entraide.contracts.events.privacy import (
    AccessAcknowledged,
    AccessRequested,
    ErasureAcknowledged,
    ErasureRequested,
    ObjectionAcknowledged,
    ObjectionRequested,
    PrivacyAck,
    PrivacyCommand,
    RectificationAcknowledged,
    RectificationCompleted,
    RectificationRequested,
    RectificationWithdrawn,
    RetentionNoticeDue,
)
from entraide.contracts.events.requests import (
    ContactLogged,
    RequestState,
    RequestSubmitted,
    RequestUpdated,
    RequestWithdrawn,
)

__all__ = [
    "AccessAcknowledged",
    "AccessRequested",
    "ApplicationStatus",
    "ContactLogged",
    "Departement",
    "ErasureAcknowledged",
    "ErasureRequested",
    "EventData",
    "HonorabilityCheck",
    "Language",
    "MatchAccepted",
    "MatchCheckedIn",
    "MatchClosed",
    "MatchDeclined",
    "MatchEvent",
    "MatchExpired",
    "MatchProposed",
    "MatchStarted",
    "MatchWaitlisted",
    "ObjectionAcknowledged",
    "ObjectionRequested",
    "OfferPublished",
    "OfferState",
    "OfferUpdated",
    "OfferWithdrawn",
    "PostalCode",
    "PrivacyAck",
    "PrivacyCommand",
    "RectificationAcknowledged",
    "RectificationCompleted",
    "RectificationRequested",
    "RectificationWithdrawn",
    "Ref",
    "RequestState",
    "RequestSubmitted",
    "RequestUpdated",
    "RequestWithdrawn",
    "RetentionNoticeDue",
    "Slot",
    "VolunteerApplicationChanged",
    "VolunteerAvailability",
]
