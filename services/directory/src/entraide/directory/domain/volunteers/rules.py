"""Volunteers' rules: the association's review, the honorability check, the event matching hears.

A volunteer works with children only once the association has approved them and their
honorability check (attestation d'honorabilité) is cleared. Identity never leaves
directory: the event carries a pseudonymous reference, the postal code, needs, slots,
languages, skills (from the network's list), capacity and until when the honorability
check is valid. Pure: no I/O.
"""

import secrets
from datetime import date, datetime, timedelta
from enum import StrEnum

from entraide.contracts import departements
from entraide.contracts.events import VolunteerAvailability
from entraide.contracts.labels import SKILLS


class Status(StrEnum):
    APPLIED = "applied"  # sent the form; nobody has looked yet
    IN_REVIEW = "in-review"  # the association met them, checks under way
    APPROVED = "approved"
    DECLINED = "declined"
    PAUSED = "paused"  # approved, not available for a while
    LEFT = "left"


class Honorability(StrEnum):
    NOT_REQUESTED = "not-requested"
    REQUESTED = "requested"
    CLEARED = "cleared"
    REFUSED = "refused"


# A cleared check without a date on it is renewed three years after it was cleared (the
# network's rule for the attestation d'honorabilité of volunteers who meet children).
HONORABILITY_VALIDITY = timedelta(days=3 * 365)

# Which status may follow which: the association's review, then pause / resume / leave.
NEXT: dict[Status, frozenset[Status]] = {
    Status.APPLIED: frozenset({Status.IN_REVIEW, Status.DECLINED, Status.LEFT}),
    Status.IN_REVIEW: frozenset({Status.APPROVED, Status.DECLINED, Status.LEFT}),
    Status.APPROVED: frozenset({Status.PAUSED, Status.LEFT}),
    Status.PAUSED: frozenset({Status.APPROVED, Status.LEFT}),
    Status.DECLINED: frozenset(),
    Status.LEFT: frozenset(),
}


class TransitionError(ValueError):
    """This status cannot follow the current one (`current`, `new`: which, when it is
    that), or the rules refuse the change for another reason (the text says which)."""

    def __init__(
        self, message: str, *, current: Status | None = None, new: Status | None = None
    ) -> None:
        super().__init__(message)
        self.current, self.new = current, new


def new_ids() -> tuple[str, str]:
    """A volunteer's internal id and pseudonymous reference (the only one that travels)."""
    return secrets.token_hex(12), secrets.token_urlsafe(16)


def change_status(current: Status, new: Status, honorability: Honorability) -> Status:
    """The new status, if the review allows it: approval needs a cleared honorability check."""
    if new not in NEXT[current]:
        raise TransitionError(
            f"{current.value} ne peut pas devenir {new.value}", current=current, new=new
        )
    if new is Status.APPROVED and honorability is not Honorability.CLEARED:
        raise TransitionError("l'attestation d'honorabilité doit être validée avant l'accord")
    return new


def honorability_valid_until(
    honorability: Honorability, *, given: date | None, today: date
) -> date | None:
    """Until when the check is valid: the date the association read on the attestation, else
    three years from the day it was cleared; no date while it is not cleared."""
    if honorability is not Honorability.CLEARED:
        return None
    return given or today + HONORABILITY_VALIDITY


def announced(status: Status) -> bool:
    """Whether matching hears of this volunteer at all (never before approval)."""
    return status in {Status.APPROVED, Status.PAUSED, Status.LEFT}


def tombstone_owed(status: Status, *, all_published: bool) -> bool:
    """Whether erasing a volunteer (as they were when deleted) owes the volunteers topic a
    tombstone: matching heard of them, and no tombstone of theirs is out already (leaving
    queues one, out once everything they queued was published)."""
    return announced(status) and not (status is Status.LEFT and all_published)


def availability_event(doc: dict[str, object], *, at: datetime) -> VolunteerAvailability:
    """The pseudonymous availability of an approved (or paused, or departed) volunteer."""
    postal_code = str(doc["code_postal"])
    return VolunteerAvailability.model_validate(
        {
            "volunteer_ref": doc["volunteer_ref"],
            "association_id": doc["association_id"],
            "revision": doc["revision"],
            "departement": departements.of_postal_code(postal_code),
            "postal_code": postal_code,
            "needs": doc["needs"],
            "availability": doc["availability"],
            "languages": doc["languages"],
            "capacity": doc["capacity"],
            "active_families": doc.get("active_families", 0),
            "active": doc["status"] == Status.APPROVED,
            # only the network's words travel: a word typed through the API stays here
            "skills": [s for s in _listed(doc.get("skills")) if s in SKILLS],
            "changed_at": at,
            "applied_at": doc.get("applied_at"),
            "approved_at": doc.get("approved_at"),
            "honorability_valid_until": (
                doc.get("honorability_valid_until")
                if doc.get("honorability") == Honorability.CLEARED
                else None
            ),
        }
    )


def _listed(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []
