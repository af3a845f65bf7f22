"""The life of a match: proposed -> accepted / declined / expired -> started -> closed.

Pure rules: which moves are allowed, when a proposal expires, which follow-ups are due,
when silence becomes an alert. The engine turns each move into an event.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum

# calendar months after the start, as staff count them: started on 01/12, followed up on
# 01/01 and 01/03 (not 30 and 91 days later)
from entraide.contracts.followups import FOLLOW_UPS, months_after


class State(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    STARTED = "started"
    CLOSED = "closed"


MOVES: dict[State, frozenset[State]] = {
    State.PROPOSED: frozenset({State.ACCEPTED, State.DECLINED, State.EXPIRED, State.CLOSED}),
    State.ACCEPTED: frozenset({State.STARTED, State.CLOSED}),
    State.STARTED: frozenset({State.CLOSED}),
}
OPEN = frozenset({State.PROPOSED, State.ACCEPTED, State.STARTED})  # they hold a place
ACTIVE = frozenset({State.ACCEPTED, State.STARTED})  # they are followed up
SILENCE_ALERT = timedelta(weeks=6)
# how a match open when its family was erased ends: not an event (every service deletes
# what names the family), only the volunteer's side of it kept for the coordinators
FAMILY_ERASED = "family-erased"


class MoveRefusedError(ValueError):
    """The match is not in a state that allows this move (someone acted first)."""


def check_move(current: State, to: State) -> None:
    if to not in MOVES.get(current, frozenset()):
        raise MoveRefusedError(f"a {current.value} match cannot become {to.value}")


def follow_up_at(kind: str, started_at: datetime) -> datetime:
    """When a dated follow-up falls due: its months after the start, in calendar months."""
    return months_after(started_at, dict(FOLLOW_UPS)[kind])


def is_expired(state: State, expires_at: datetime, now: datetime) -> bool:
    """A proposal nobody answered in time."""
    return state is State.PROPOSED and now >= expires_at


def follow_ups_due(started_at: datetime | None, done: Iterable[str], now: datetime) -> list[str]:
    """The check-ins whose time has come and that nobody recorded yet."""
    if started_at is None:
        return []
    recorded = set(done)
    return [
        kind
        for kind, _ in FOLLOW_UPS
        if now >= follow_up_at(kind, started_at) and kind not in recorded
    ]


def silent_too_long(state: State, last_contact_at: datetime, now: datetime) -> bool:
    """An active match with no logged contact for six weeks: someone should call."""
    return state in ACTIVE and now - last_contact_at >= SILENCE_ALERT
