"""The event that tells the observatory of each change of a volunteer's application: its
status, its honorability check's state and dates, under the pseudonymous reference only
(no identity, no contact, no free text). Unlike the availability matching hears, it is
sent from the application on, declined and left included. Pure: no I/O.
"""

from datetime import date, datetime
from typing import Any

from entraide.contracts import departements
from entraide.contracts.events import HonorabilityCheck, VolunteerApplicationChanged
from entraide.contracts.labels import SKILLS
from entraide.directory.domain.volunteers.rules import Honorability


def check_state(honorability: str, valid_until: date | None, today: date) -> HonorabilityCheck:
    """The check as it travels: a refused one is criminal records data and says nothing."""
    if honorability == Honorability.REQUESTED:
        return HonorabilityCheck.PENDING
    if honorability == Honorability.CLEARED:
        if valid_until is not None and valid_until < today:
            return HonorabilityCheck.EXPIRED
        return HonorabilityCheck.VALID
    return HonorabilityCheck.NONE


def application_event(doc: dict[str, Any], *, at: datetime) -> VolunteerApplicationChanged:
    """The application as it stands in `doc` (`Volunteer.state()`), changed at `at`."""
    valid = doc.get("honorability_valid_until")
    valid_until = date.fromisoformat(valid) if isinstance(valid, str) else valid
    check = check_state(str(doc["honorability"]), valid_until, at.date())
    skills = doc.get("skills")
    return VolunteerApplicationChanged.model_validate(
        {
            "volunteer_ref": doc["volunteer_ref"],
            "association_id": doc["association_id"],
            "revision": doc["revision"],
            "departement": departements.of_postal_code(str(doc["code_postal"])),
            "needs": doc["needs"],
            "skills": [s for s in skills if s in SKILLS] if isinstance(skills, list) else [],
            "status": doc["status"],
            "honorability": check,
            "honorability_valid_until": None if check is HonorabilityCheck.NONE else valid_until,
            "applied_at": doc["applied_at"],
            "approved_at": doc.get("approved_at"),
            "changed_at": at,
        }
    )
