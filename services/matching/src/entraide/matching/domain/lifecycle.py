"""The life of a match: proposed -> accepted / declined / expired -> started -> closed.

Pure rules: which moves are allowed, when a proposal expires, which follow-ups are due,
when silence becomes an alert. The engine turns each move into an event.
"""

import calendar
from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


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
# calendar months after the start, as staff count them: started on 01/12, followed up on
# 01/01 and 01/03 (not 30 and 91 days later)
FOLLOW_UPS = (("1-month", 1), ("3-month", 3))
SILENCE_ALERT = timedelta(weeks=6)
# how a match open when its family was erased ends: not an event (every service deletes
# what names the family), only the volunteer's side of it kept for the coordinators
FAMILY_ERASED = "family-erased"


class MoveRefusedError(ValueError):
    """The match is not in a state that allows this move (someone acted first)."""


def check_move(current: State, to: State) -> None:
    if to not in MOVES.get(current, frozenset()):
        raise MoveRefusedError(f"a {current.value} match cannot become {to.value}")


def months_after(at: datetime, months: int) -> datetime:
    """The same Paris day and hour `months` calendar months later; a day the month lacks
    becomes its last (31/01 + 1 month = 28/02, or 29/02 in a leap year)."""
    local = at.astimezone(PARIS)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day).astimezone(at.tzinfo)


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
