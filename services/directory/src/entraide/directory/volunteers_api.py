"""Volunteers over HTTP: the public application, the association's review and updates."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, status
from pydantic import BaseModel, ConfigDict, Field

from entraide.contracts.events import Slot
from entraide.directory import volunteer_service as service
from entraide.directory.associations import ASSOCIATIONS
from entraide.directory.service import ConflictError, ForbiddenError
from entraide.directory.volunteer_pages import MESSAGES
from entraide.directory.volunteering import Application, Honorability, Status, TransitionError
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


@public.post(
    "/volunteers",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(rate_limited)],
    responses={429: {"description": "Too many posts from this address (Retry-After)"}},
)
async def apply(form: Application, request: Request) -> dict[str, str]:
    """Apply to volunteer with one of the network's associations."""
    if form.association_id not in ASSOCIATIONS:
        unknown = {"field": "association_id", "message": MESSAGES["association_id"]}
        raise HTTPException(422, [unknown | {"type": "unknown-association"}])
    state = request.app.state
    volunteer_id = await service.apply(state.uow, state.volunteer_keys, form)
    return {"volunteer_id": volunteer_id, "status": "applied"}


@staff.get("/volunteers")
async def my_volunteers(principal: Staff, request: Request) -> list[dict[str, Any]]:
    """The applications and volunteers of the principal's association."""
    if principal.association_id is None:
        return []
    state = request.app.state
    docs = await state.volunteers.of_association(principal.association_id)
    return [await service.staff_view(state.volunteer_keys, d) for d in docs]


@staff.patch("/volunteers/{volunteer_id}")
async def change(
    volunteer_id: str, body: VolunteerChange, principal: Staff, request: Request
) -> dict[str, Any]:
    changes = body.model_dump(mode="json", exclude_none=True)
    try:
        volunteer = await service.change(request.app.state.uow, principal, volunteer_id, changes)
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
