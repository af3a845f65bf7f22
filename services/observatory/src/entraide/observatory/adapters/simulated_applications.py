"""The simulation's volunteers' applications (`simulation`): directory's announcements of
an application's changes, as a volunteer applies, is reviewed, approved and may leave."""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from entraide.contracts.events import VolunteerApplicationChanged
from entraide.contracts.vocab import Need

Changed = tuple[VolunteerApplicationChanged, datetime]


@dataclass(frozen=True)
class Applying:
    volunteer_ref: str
    association_id: str
    departement: str
    needs: list[Need]
    applied_at: datetime


def changed(
    who: Applying, revision: int, at: datetime, status: str, check: str, **more: object
) -> Changed:
    """One change of an application, as directory announces it."""
    data = VolunteerApplicationChanged.model_validate(
        {
            **vars(who),
            "revision": revision,
            "status": status,
            "honorability": check,
            "changed_at": at,
            **more,
        }
    )
    return data, at


def application(who: Applying, approved: datetime, rng: random.Random) -> Iterator[Changed]:
    """An application approved at `approved`: applied, in review with the check pending,
    the check valid, approved; one in ten leaves later in the year."""
    span = approved - who.applied_at
    reviewed = who.applied_at + span * rng.uniform(0.05, 0.4)
    cleared = who.applied_at + span * rng.uniform(0.5, 0.95)
    yield changed(who, 1, who.applied_at, "applied", "none")
    yield changed(who, 2, reviewed, "in-review", "pending")
    yield changed(who, 3, cleared, "in-review", "valid")
    yield changed(who, 4, approved, "approved", "valid", approved_at=approved)
    left = approved + timedelta(days=rng.uniform(20, 200))
    if rng.random() < 0.1 and left.year == approved.year:
        yield changed(who, 5, left, "left", "valid", approved_at=approved)
