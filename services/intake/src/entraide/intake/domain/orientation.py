"""A request's orientation as matching tells it: each step (proposed, accepted, started,
waitlisted, declined, expired, closed) noted on the family's record, and its state now.

Intake listens to matching's events (`usecases.orientation`); a step is noted once per event id (a
redelivery changes nothing) and carries no personal data: the association, the time, the
reason or outcome codes (the pages say them in French, `labels`).

A support agreed (accepted or started) that ends without the family's doing nor as a
support ends normally is an interruption (`interrupts`): matching places her request
again, and a family who asked at the public door is told so (`self_request_queue`).
"""

from typing import Any

from entraide.contracts import CloudEvent
from entraide.contracts.events import (
    MatchClosed,
    MatchDeclined,
    MatchEvent,
    MatchProposed,
    MatchWaitlisted,
)
from entraide.contracts.vocab import MatchOutcome
from entraide.intake.domain.family import MatchStep as Step

AGREED = ("accepted", "started")  # the steps a family is told of (its support is agreed)
# the endings that are neither the family's doing nor a support's normal end: its
# volunteer unavailable (gone, erased) or its action closed, or the volunteer stopping.
# Not: completed; ended at her wish; her request withdrawn, her consent withdrawn (an
# objection too); no news from her; the association's decision, which it tells her itself
INTERRUPTIONS = frozenset({MatchOutcome.VOLUNTEER_UNAVAILABLE, MatchOutcome.ENDED_BY_VOLUNTEER})


def step_of(event: CloudEvent[Any]) -> Step | None:
    """The step a matching event is, or None (a check-in is a follow-up, not a step)."""
    data = event.data
    if isinstance(data, MatchWaitlisted):
        return Step(
            event.id, data.request_id, "waitlisted", data.waitlisted_at, reason=data.reason_code
        )
    if not isinstance(data, MatchEvent) or data.STATE is None:
        return None
    state, at = data.move()
    return Step(
        event.id,
        data.request_id,
        state,
        at,
        match_id=data.match_id,
        association_id=data.association_id,
        reason=data.reason_code if isinstance(data, MatchDeclined) else None,
        outcome=data.outcome.value if isinstance(data, MatchClosed) else None,
        support=_support(data) if isinstance(data, MatchProposed) else None,
    )


def _support(proposed: MatchProposed) -> str:
    """What was proposed: a volunteer or an association's offer."""
    return "volunteer" if proposed.volunteer_ref else "offer"


# steps of one moment (the store keeps milliseconds: an acceptance and its start can
# share one) in the order a match lives them
LIFE = {"waitlisted": 0, "proposed": 1, "declined": 2, "expired": 2, "accepted": 3}
LIFE |= {"started": 4, "closed": 5}


def history(steps: list[Step], request_id: str) -> list[Step]:
    """The request's steps, oldest first (of one moment, as a match lives them)."""
    mine = (s for s in steps if s.request_id == request_id)
    return sorted(mine, key=lambda s: (s.at, LIFE.get(s.state, 0)))


def current(steps: list[Step], request_id: str) -> Step | None:
    """The request's latest step, or None while matching has said nothing of it."""
    mine = history(steps, request_id)
    return mine[-1] if mine else None


def interrupts(step: Step, steps: list[Step]) -> bool:
    """`step` ends, not by the family's doing, a support agreed (its match was accepted or
    started among `steps`): she is to be told."""
    return (
        step.state == "closed"
        and step.outcome in INTERRUPTIONS
        and any(s.match_id == step.match_id and s.state in AGREED for s in steps)
    )


def interrupted(steps: list[Step], request_id: str) -> bool:
    """The request's last support agreed was interrupted, and none agreed since: the
    network looks for another (a proposal meanwhile changes nothing she was told)."""
    mine = history(steps, request_id)
    agreed = {s.match_id for s in mine if s.state in AGREED}
    told = [s for s in mine if s.state in AGREED or (s.state == "closed" and s.match_id in agreed)]
    return bool(told) and interrupts(told[-1], mine)
