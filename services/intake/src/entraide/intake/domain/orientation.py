"""A request's orientation as matching tells it: each step (proposed, accepted, started,
waitlisted, declined, expired, closed) noted on the family's record, and its state now.

Intake listens to matching's events (`usecases.orientation`); a step is noted once per event id (a
redelivery changes nothing) and carries no personal data: the association, the time, the
reason or outcome codes (the pages say them in French, `labels`).
"""

from datetime import datetime
from typing import Any

from entraide.contracts import CloudEvent
from entraide.contracts.events import (
    MatchAccepted,
    MatchClosed,
    MatchDeclined,
    MatchEvent,
    MatchExpired,
    MatchProposed,
    MatchStarted,
    MatchWaitlisted,
)
from entraide.intake.domain.family import MatchStep as Step


def step_of(event: CloudEvent[Any]) -> Step | None:
    """The step a matching event is, or None (a check-in is a follow-up, not a step)."""
    data = event.data
    if isinstance(data, MatchWaitlisted):
        return Step(
            event.id, data.request_id, "waitlisted", data.waitlisted_at, reason=data.reason_code
        )
    if not isinstance(data, MatchEvent):
        return None
    if isinstance(data, MatchProposed):
        kind = "volunteer" if data.volunteer_ref else "offer"
        return _step(event.id, data, "proposed", data.proposed_at, support=kind)
    if isinstance(data, MatchAccepted):
        return _step(event.id, data, "accepted", data.accepted_at)
    if isinstance(data, MatchDeclined):
        return _step(event.id, data, "declined", data.declined_at, reason=data.reason_code)
    if isinstance(data, MatchExpired):
        return _step(event.id, data, "expired", data.expired_at)
    if isinstance(data, MatchStarted):
        return _step(event.id, data, "started", data.started_at)
    if isinstance(data, MatchClosed):
        return _step(event.id, data, "closed", data.closed_at, outcome=data.outcome.value)
    return None


def _step(event_id: str, data: MatchEvent, state: str, at: datetime, **said: str | None) -> Step:
    return Step(
        event_id,
        data.request_id,
        state,
        at,
        match_id=data.match_id,
        association_id=data.association_id,
        reason=said.get("reason"),
        outcome=said.get("outcome"),
        support=said.get("support"),
    )


def history(steps: list[Step], request_id: str) -> list[Step]:
    """The request's steps, oldest first."""
    return sorted((s for s in steps if s.request_id == request_id), key=lambda s: s.at)


def current(steps: list[Step], request_id: str) -> Step | None:
    """The request's latest step, or None while matching has said nothing of it."""
    mine = history(steps, request_id)
    return mine[-1] if mine else None
