"""What matching reasons about: a family's request and the supports that could answer it.

Built from the read models (the events' pseudonymous fields); no identity ever reaches here.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from entraide.contracts.geography import Point

Slot = tuple[str, str]  # (day, part), e.g. ("we", "afternoon")


@dataclass(frozen=True)
class Family:
    """An open request, as matching sees it."""

    request_id: str
    family_ref: str
    needs: frozenset[str]
    departement: str
    location: Point | None
    age_bands: frozenset[str]
    slots: frozenset[Slot]
    languages: frozenset[str]
    urgency: str
    consent: bool
    waiting_since: datetime
    known_associations: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Support:
    """A volunteer (one-to-one: slots matter) or an association's offer (a group action)."""

    key: str  # "volunteer:<ref>" or "offer:<id>"
    association_id: str
    needs: frozenset[str]
    departements: frozenset[str]
    location: Point | None
    capacity: int | None  # None: no limit declared
    load: int
    one_to_one: bool
    slots: frozenset[Slot] = frozenset()
    languages: frozenset[str] = frozenset()
    active: bool = True
    honorability_valid_until: date | None = None
    skills: frozenset[str] = frozenset()  # a volunteer's (`labels.SKILLS` keys)
    age_min: int | None = None
    age_max: int | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def free(self) -> int | None:
        """Places left, or None when unlimited."""
        return None if self.capacity is None else max(0, self.capacity - self.load)

    @property
    def is_volunteer(self) -> bool:
        return self.key.startswith("volunteer:")

    @property
    def ref(self) -> str:
        return self.key.split(":", 1)[1]


@dataclass(frozen=True)
class Match:
    """A proposal of a support to a family, and what became of it."""

    match_id: str
    request_id: str
    family_ref: str
    support_key: str
    association_id: str
    departement: str
    needs: tuple[str, ...]
    urgency: str
    state: str  # a lifecycle.State value
    score: float
    breakdown: dict[str, float]
    reasons: tuple[str, ...]
    distance_km: float | None
    proposed_by: str
    proposed_at: datetime
    expires_at: datetime
    outcome: str | None = None
    started_at: datetime | None = None
    check_ins: tuple[str, ...] = ()  # the kinds of follow-up recorded


@dataclass(frozen=True)
class History:
    """What a request's past proposals taught: supports not to offer again (declined or
    left unanswered) and associations the family now knows."""

    refused: frozenset[str] = frozenset()
    known: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Waiting:
    """A request on the waitlist, with the rule that stopped most candidates."""

    request_id: str
    reason: str
    departement: str
    needs: tuple[str, ...]
    urgency: str
    family_ref: str
    waiting_since: datetime
