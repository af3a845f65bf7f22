"""Volunteers over HTTP: the public application, the association's review and updates."""

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field

from entraide.contracts.events import Slot
from entraide.directory.domain.associations import ASSOCIATIONS
from entraide.directory.domain.records import ConflictError, ForbiddenError
from entraide.directory.domain.volunteers.application import Application
from entraide.directory.domain.volunteers.rules import Honorability, Status, TransitionError
from entraide.directory.entrypoints.http.deps import (
    RosterDep,
    UnitOfWorkDep,
    VolunteerKeysDep,
    VolunteerNewsDep,
    VolunteerSpaceDep,
)
from entraide.directory.entrypoints.http.volunteers import cursor
from entraide.directory.entrypoints.http.volunteers.form import MESSAGES
from entraide.directory.usecases import volunteers
from entraide.directory.usecases.roster import roster_after
from entraide.kit import formats, opaque
from entraide.kit.auth import api_principal
from entraide.kit.principal import Principal
from entraide.kit.protect import rate_limited

public = APIRouter(prefix="/api/v1", tags=["volunteers"])
staff = APIRouter(prefix="/api/v1/staff", tags=["staff"])
Staff = Annotated[Principal, Depends(api_principal)]
# the network's coordination, the DPO, a funder: the space says the same (association.html)
NO_ASSOCIATION = (
    "Cette liste montre les bénévoles de l'association de la personne connectée ; vous "
    "n'êtes rattaché(e) à aucune association."
)
LIMIT, LIMIT_MAX = 50, 200  # volunteers per page of the staff API: by default, at most


class VolunteerChange(BaseModel):
    """What the association changes: review status, honorability check, availability."""

    model_config = ConfigDict(extra="forbid")
    status: Status | None = None
    honorability: Honorability | None = None
    honorability_valid_until: date | None = Field(
        None,
        description="The date on the cleared attestation; without it, three years from "
        "the day the check is cleared.",
    )
    availability: list[Slot] | None = None
    capacity: int | None = Field(None, ge=0, le=5)
    active_families: int | None = Field(None, ge=0)

    def review(self) -> volunteers.Review:
        """The use case's command."""
        slots = [s.model_dump(mode="json") for s in self.availability or []]
        return volunteers.Review(
            status=self.status,
            honorability=self.honorability,
            honorability_valid_until=self.honorability_valid_until,
            availability=slots if self.availability is not None else None,
            capacity=self.capacity,
            active_families=self.active_families,
        )


@public.post(
    "/volunteers",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(rate_limited)],
    responses={429: {"description": "Too many posts from this address (Retry-After)"}},
)
async def apply(
    form: Application,
    uow: UnitOfWorkDep,
    keys: VolunteerKeysDep,
    space: VolunteerSpaceDep,
    news: VolunteerNewsDep,
) -> dict[str, str]:
    """Apply to volunteer with one of the network's associations."""
    if form.association_id not in ASSOCIATIONS:
        unknown = {"field": "association_id", "message": MESSAGES["association_id"]}
        raise HTTPException(422, [unknown | {"type": "unknown-association"}])
    volunteer_id = await volunteers.apply(uow, keys, form, news)
    await space.remember(form.identity.courriel, volunteer_id)  # their space's sign-in
    return {"volunteer_id": volunteer_id, "status": "applied"}


class StaffVolunteer(BaseModel):
    """A volunteer as their association's staff see them (and what else is stored of them:
    needs, availability, languages, skills, capacity, rectifications asked...)."""

    model_config = ConfigDict(extra="allow")
    volunteer_id: str
    volunteer_ref: str = Field(description="The pseudonymous reference the other services know.")
    association_id: str
    identity: dict[str, Any] | None = Field(
        description="Who they are and how to reach them; null once erased (key destroyed)."
    )
    code_postal: str
    status: Status
    honorability: Honorability
    honorability_valid_until: date | None = None
    revision: int = Field(description="The revision a change (PATCH) is computed from.")


class VolunteerPage(BaseModel):
    """A page of the association's volunteers in the space's order: applications first
    (the longest waiting first), under review, a rectification asked, a check to renew,
    then the others, the latest application first."""

    volunteers: list[StaffVolunteer]
    total: int = Field(description="How many volunteers have the status asked (all: any).")
    by_status: dict[str, int] = Field(description="How many per status, whatever was asked.")
    by_tier: dict[str, int] = Field(
        description="How many per part of the order: applied, in-review, rectify, renew, others."
    )
    limit: int
    apres: str | None = Field(
        description="The cursor of the next page (opaque); null on the last page."
    )
    next: str | None = Field(
        description="The next page's address (the same filter and limit); null on the last."
    )


@staff.get(
    "/volunteers",
    responses={
        403: {
            "description": "The caller belongs to no association (the network's "
            "coordination, the DPO, a funder): the list is an association's"
        },
        422: {"description": "A parameter that does not fit, named (`query.limit`)"},
    },
)
async def my_volunteers(
    request: Request,
    principal: Staff,
    roster: RosterDep,
    keys: VolunteerKeysDep,
    limit: Annotated[
        int, Query(ge=1, le=LIMIT_MAX, description="Volunteers per page, 1 to 200.")
    ] = LIMIT,
    statut: Annotated[Status | None, Query(description="This status only (all: none).")] = None,
    apres: Annotated[
        str | None,
        Query(description="The previous page's `apres`: the page after it (none: the first)."),
    ] = None,
) -> VolunteerPage:
    """The applications and volunteers of the principal's association in their territories,
    a page at a time: follow `next` until it is null. The cursor holds the place in the
    list: nobody is repeated or skipped when volunteers apply or change between two pages
    (one whose place changes, by a review, may be seen again or not)."""
    if principal.association_id is None:
        raise HTTPException(403, NO_ASSOCIATION)
    after = opaque.after(cursor.decode, apres)
    found = await roster_after(
        roster, keys, principal, status=statut, after=after, today=formats.today(), size=limit
    )
    following = cursor.encode(found.next) if found.next is not None else None
    kept = {"limit": limit, "statut": statut.value if statut else None, "apres": following}
    link = f"{request.url.path}?{urlencode({k: v for k, v in kept.items() if v})}"
    return VolunteerPage(
        volunteers=[StaffVolunteer.model_validate(v) for v in found.volunteers],
        total=found.total,
        by_status=found.by_status,
        by_tier=found.by_tier,
        limit=limit,
        apres=following,
        next=link if following else None,
    )


@staff.patch("/volunteers/{volunteer_id}")
async def change(
    volunteer_id: str,
    body: VolunteerChange,
    principal: Staff,
    uow: UnitOfWorkDep,
    news: VolunteerNewsDep,
) -> dict[str, Any]:
    try:
        volunteer = await volunteers.change(uow, principal, volunteer_id, body.review(), news)
    except ForbiddenError:
        raise HTTPException(403, "Ce bénévole relève d'une autre association.") from None
    except TransitionError as exc:
        raise HTTPException(409, str(exc)) from None
    except ConflictError:
        raise HTTPException(409, "La fiche a changé entre-temps : rechargez-la.") from None
    if volunteer is None:
        raise HTTPException(404, "bénévole inconnu")
    return {
        "volunteer_id": volunteer_id,
        "status": volunteer.status.value,
        "revision": volunteer.revision,
    }
