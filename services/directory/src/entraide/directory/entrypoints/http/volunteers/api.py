"""Volunteers over HTTP: the public application, the association's review and updates."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, ConfigDict, Field

from entraide.contracts.events import Slot
from entraide.directory.domain.associations import ASSOCIATIONS
from entraide.directory.domain.records import ConflictError, ForbiddenError
from entraide.directory.domain.volunteers.application import Application
from entraide.directory.domain.volunteers.rules import Honorability, Status, TransitionError
from entraide.directory.entrypoints.http.deps import (
    UnitOfWorkDep,
    VolunteerDocumentsDep,
    VolunteerKeysDep,
    VolunteerNewsDep,
    VolunteerSpaceDep,
)
from entraide.directory.entrypoints.http.volunteers.form import MESSAGES
from entraide.directory.usecases import volunteers
from entraide.kit.auth import api_principal
from entraide.kit.principal import Principal
from entraide.kit.protect import rate_limited

public = APIRouter(prefix="/api/v1", tags=["volunteers"])
staff = APIRouter(prefix="/api/v1/staff", tags=["staff"])
Staff = Annotated[Principal, Depends(api_principal)]


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


@staff.get("/volunteers")
async def my_volunteers(
    principal: Staff, documents: VolunteerDocumentsDep, keys: VolunteerKeysDep
) -> list[dict[str, Any]]:
    """The applications and volunteers of the principal's association."""
    return await volunteers.association_volunteers(documents, keys, principal)


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
