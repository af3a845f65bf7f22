"""When an accepted or started match needs a follow-up or a call. Pure: no I/O.

A match is followed up one month and three months after it started (a check-in of that
kind, or a later one, clears the item), and raises a rupture alert six weeks after the
last contact with the family: a move of the match (accepted, started), a check-in, or a
contact staff logged in intake (`family.contact-logged`), whichever is latest. Due
moments are UTC; the day a coordinator reads is the Paris day.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from entraide.contracts.followups import FOLLOW_UPS
from entraide.contracts.paris import paris_day
from entraide.matching.domain.lifecycle import (
    ACTIVE,
    SILENCE_ALERT,
    State,
    follow_up_at,
)

RUPTURE = "rupture"  # the six-weeks-without-contact alert
ORDER = [kind for kind, _ in FOLLOW_UPS]
# a follow-up may be noted from a week before its due day, not the day the match starts
# (noted then, it would clear the item and its due day would vanish from the page)
EARLY = timedelta(days=7)


@dataclass(frozen=True)
class Followed:
    """An active match as its follow-ups see it (what the matches store knows of it)."""

    match_id: str
    request_id: str
    family_ref: str
    support_key: str
    association_id: str
    departement: str
    state: str  # a lifecycle.State value
    accepted_at: datetime | None
    started_at: datetime | None
    last_contact_at: datetime | None  # the match's own: accepted, started, checked in
    check_ins: tuple[str, ...] = ()  # the kinds recorded


@dataclass(frozen=True)
class Due:
    """Something to do for a match from a moment on: a follow-up or a call."""

    kind: str  # "1-month", "3-month" or "rupture"
    at: datetime
    on: date  # `at`'s day in Paris


@dataclass(frozen=True)
class Schedule:
    """A match's follow-ups and rupture alert, with what they were computed from."""

    followed: Followed
    last_contact_at: datetime
    items: tuple[Due, ...]

    @property
    def next_on(self) -> date | None:
        """The first day something is due (None: nothing to do)."""
        return min((d.on for d in self.items), default=None)


def last_contact(followed: Followed, logged: datetime | None) -> datetime:
    """The latest contact: the match's own moves and check-ins, or a contact logged."""
    known = [t for t in (followed.last_contact_at, followed.accepted_at, logged) if t is not None]
    if not known:
        raise ValueError(f"match {followed.match_id} has no contact to count from")
    return max(known)


def cleared(kind: str, recorded: Iterable[str]) -> bool:
    """A follow-up is done once it, or a later one, is recorded."""
    later = ORDER[ORDER.index(kind) :]
    return any(k in later for k in recorded)


def schedule(followed: Followed, logged: datetime | None = None) -> Schedule:
    """The match's due items, from its start, check-ins and last contact."""
    items: list[Due] = []
    if followed.started_at is not None:
        recorded = set(followed.check_ins)
        for kind in ORDER:
            if not cleared(kind, recorded):
                at = follow_up_at(kind, followed.started_at)
                items.append(Due(kind, at, paris_day(at)))
    contact = last_contact(followed, logged)
    if State(followed.state) in ACTIVE:
        at = contact + SILENCE_ALERT
        items.append(Due(RUPTURE, at, paris_day(at)))
    return Schedule(followed, contact, tuple(sorted(items, key=lambda d: d.at)))


def due_by(items: Iterable[Due], today: date) -> list[Due]:
    """What is due on `today` or overdue."""
    return [d for d in items if d.on <= today]


def days_late(due: Due, today: date) -> int:
    """How many days past its day an item is (0: due today)."""
    return max(0, (today - due.on).days)


def opens_on(kind: str, started_at: datetime) -> date:
    """The first day a dated follow-up may be noted: a week before its due day (Paris)."""
    return paris_day(follow_up_at(kind, started_at)) - EARLY


def recordable(started_at: datetime | None, recorded: Iterable[str], today: date) -> list[str]:
    """The dated follow-ups that may be noted on `today`: started, open, not yet cleared."""
    if started_at is None:
        return []
    done = set(recorded)
    return [
        kind for kind in ORDER if not cleared(kind, done) and opens_on(kind, started_at) <= today
    ]


class NotOpenError(ValueError):
    """A dated follow-up noted outside its window: before it opens (`opens`: the day it
    does, None while the match has not started) or once it, or a later one, is noted."""

    def __init__(self, kind: str, opens: date | None, done: bool) -> None:
        super().__init__(f"{kind} follow-up not open (opens on {opens}, noted: {done})")
        self.kind, self.opens, self.done = kind, opens, done


def check_open(
    kind: str, started_at: datetime | None, recorded: Iterable[str], today: date
) -> None:
    """Refuse a dated follow-up noted too early or twice, whoever notes it (any other kind
    is always open): noted the day the match starts, it would clear its item at once."""
    done = tuple(recorded)
    if kind not in ORDER or kind in recordable(started_at, done, today):
        return
    opens = opens_on(kind, started_at) if started_at is not None else None
    raise NotOpenError(kind, opens, cleared(kind, done))


def next_opening(
    started_at: datetime | None, recorded: Iterable[str], today: date
) -> tuple[str, date] | None:
    """The next dated follow-up not open yet, and the day it opens (None: none left)."""
    if started_at is None:
        return None
    done = set(recorded)
    later = [
        (kind, opens_on(kind, started_at))
        for kind in ORDER
        if not cleared(kind, done) and opens_on(kind, started_at) > today
    ]
    return later[0] if later else None
