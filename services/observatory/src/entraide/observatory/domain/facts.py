"""Anonymous facts: what the observatory keeps of the network's activity.

A fact says what happened, in which month, in which département, for which needs, through
which association, at which urgency, and how long it took; never to whom. It holds no
family, volunteer, offer or match reference, no name and no contact, so nothing in the
archive is personal data and erasure has nothing to reach there (the README's erasure
guarantees table says so). Its `fact_id` is drawn at random when the fact is made: it
only lets a query count a fact once when it is spread over several needs.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class FactKind(StrEnum):
    """What a fact records (one Parquet partition per kind and month)."""

    REQUEST = "request"  # a family asked for support
    WITHDRAWN = "withdrawn"  # the request was withdrawn (reason)
    PROPOSED = "proposed"  # its first proposal (days since the request)
    ACCEPTED = "accepted"  # its first acceptance (days since the request)
    STARTED = "started"  # its first start (days since the request)
    DECLINED = "declined"  # a proposal declined (reason)
    EXPIRED = "expired"  # a proposal left unanswered
    WAITLISTED = "waitlisted"  # the request started to wait (the rule that stopped it)
    WAITED = "waited"  # it stopped waiting (days waited, the rule)
    CHECKED_IN = "checked-in"  # a follow-up (kind, on time or not)
    CLOSED = "closed"  # a match ended (outcome, days since its start)
    OFFER = "offer"  # an offer open in a month (places)
    VOLUNTEER = "volunteer"  # a volunteer known in a month (active, honorability pending)
    APPROVED = "approved"  # a volunteer first approved (days since they applied)
    APPLICATION = "application"  # the volunteers' funnel (the stage; days to approval)
    ERASURE = "erasure"  # a subject erased (reason, kind of subject)


NOWHERE = ""  # a fact with no département (erasures): shown as the whole network


@dataclass(frozen=True)
class Fact:
    """One anonymous fact; empty strings for what does not apply."""

    kind: FactKind
    month: str  # YYYY-MM
    departement: str = NOWHERE
    association: str = ""
    needs: tuple[str, ...] = ()
    urgency: str = ""
    channel: str = ""
    signs: bool = False  # at least one sign of exhaustion or isolation (urgency above low)
    several_signs: bool = False  # exhaustion with no one to turn to, or a crisis
    situations: tuple[str, ...] = ()  # the signs noted, as codes (`SituationSign`)
    reason: str = ""  # withdrawal, decline or waitlist reason; follow-up kind; subject kind
    outcome: str = ""  # how a match ended; `active` or `paused` for a volunteer; the stage
    days: float | None = None
    places: int = 0  # an offer's or a volunteer's capacity
    flag: bool = False  # honorability check pending; follow-up on time
    fact_id: str = field(default_factory=lambda: uuid.uuid4().hex)


COLUMNS: tuple[str, ...] = tuple(
    name for name in Fact.__dataclass_fields__ if name not in ("kind", "month")
)


def month_of(at: datetime) -> str:
    """The month a moment belongs to, as the archive's partitions name it."""
    return f"{at.year:04d}-{at.month:02d}"


def days_between(start: datetime | None, end: datetime) -> float | None:
    """Days from `start` to `end` (None when the start was never seen)."""
    if start is None:
        return None
    return max(0.0, (end - start).total_seconds() / 86400)
