"""Matching's events: the match lifecycle and the waitlist."""

from datetime import datetime
from typing import ClassVar

from pydantic import Field

from entraide.contracts.events.common import Departement, EventData, Ref
from entraide.contracts.vocab import (
    MatchOutcome,
    Need,
)


class MatchEvent(EventData):
    """A match moving: `STATE` is the state it moves to (None: a follow-up, not a move);
    `move()` gives it with its moment (each event's own `<state>_at`)."""

    STATE: ClassVar[str | None] = None
    match_id: Ref
    request_id: Ref
    family_ref: Ref
    association_id: str | None = Field(
        None,
        description="The association of the volunteer or offer (it sees the family "
        "once the match is accepted, until it closes).",
    )

    def move(self) -> tuple[str, datetime]:
        """The state the match moved to, and when (ValueError for a follow-up)."""
        if self.STATE is None:
            raise ValueError(f"{type(self).__name__} is not a move")
        at: datetime = getattr(self, f"{self.STATE}_at")
        return self.STATE, at


class MatchProposed(MatchEvent):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.match.proposed.v1"
    STATE: ClassVar[str | None] = "proposed"
    association_id: str
    volunteer_ref: Ref | None = None
    offer_id: Ref | None = None
    score: float = Field(ge=0)
    reasons: list[str] = Field(description="Why this pair, in the coordinator's words.")
    proposed_at: datetime
    expires_at: datetime
    breakdown: dict[str, float] | None = Field(
        None, description="The score's parts (distance, slots, language...) and the priority."
    )
    proposed_by: str | None = Field(
        None, description="`batch`, `online`, or `coordinator` when proposed by hand."
    )
    needs: list[Need] | None = Field(
        None,
        description="The request's needs (coarse, as on the requests topic): what the "
        "volunteer proposed is told, with no data of the family.",
    )
    departement: Departement | None = Field(None, description="The family's département.")


class MatchAccepted(MatchEvent):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.match.accepted.v1"
    STATE: ClassVar[str | None] = "accepted"
    accepted_at: datetime


class MatchDeclined(MatchEvent):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.match.declined.v1"
    STATE: ClassVar[str | None] = "declined"
    reason_code: str = Field(max_length=64)
    declined_at: datetime


class MatchExpired(MatchEvent):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.match.expired.v1"
    STATE: ClassVar[str | None] = "expired"
    expired_at: datetime


class MatchStarted(MatchEvent):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.match.started.v1"
    STATE: ClassVar[str | None] = "started"
    started_at: datetime


class MatchCheckedIn(MatchEvent):
    """A coordinator's follow-up with the family and the volunteer (a contact for privacy)."""

    EVENT_TYPE: ClassVar[str] = "fr.entraide.match.checked-in.v1"
    checked_in_at: datetime
    kind: str = Field(max_length=32, description="`1-month`, `3-month` or `other`.")


class MatchClosed(MatchEvent):
    EVENT_TYPE: ClassVar[str] = "fr.entraide.match.closed.v1"
    STATE: ClassVar[str | None] = "closed"
    outcome: MatchOutcome
    closed_at: datetime


class MatchWaitlisted(EventData):
    """No support could be proposed to an open request: it waits, for this reason (sent
    when it starts waiting or the reason changes, not at every batch)."""

    EVENT_TYPE: ClassVar[str] = "fr.entraide.match.waitlisted.v1"
    request_id: Ref
    family_ref: Ref
    reason_code: str = Field(
        max_length=64,
        description="The hard rule that stopped most candidates (`too-far`, `no-capacity`, "
        "`need-not-covered`...).",
    )
    waitlisted_at: datetime
