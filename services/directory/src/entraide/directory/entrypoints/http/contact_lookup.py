"""Internal route for privacy's public rights channel: the volunteers a proved contact
names. Only privacy may call it (a service token signed with the secret directory shares
with privacy's key vault); the answer holds references, never identity."""

from typing import Annotated

from fastapi import APIRouter, Depends, Header
from pydantic import BaseModel, Field

from entraide.directory.usecases import contact_lookup
from entraide.directory.usecases.volunteer_space import VolunteerSpace
from entraide.kit.auth import require_service_token
from entraide.kit.deps import provided

router = APIRouter(prefix="/internal/v1", tags=["internal"])


class ContactLookup:
    """What the route needs: the volunteers' sign-in index, who may call."""

    def __init__(self, space: VolunteerSpace, privacy_secret: str) -> None:
        self.space = space
        self.secrets = {"privacy": privacy_secret}


LookupDep = Annotated[ContactLookup, Depends(provided(ContactLookup))]


class ContactIn(BaseModel):
    channel: str = Field(pattern=r"^(email|sms)$")
    value: str = Field(min_length=3, max_length=320)


class SubjectsOut(BaseModel):
    subject_refs: list[str]


async def privacy_only(lookup: LookupDep, authorization: Annotated[str, Header()] = "") -> None:
    """Privacy's service token, checked before the body is read."""
    require_service_token(authorization, lookup.secrets)


@router.post("/subjects-by-contact", include_in_schema=False, dependencies=[Depends(privacy_only)])
async def subjects_by_contact(body: ContactIn, lookup: LookupDep) -> SubjectsOut:
    email = body.value if body.channel == "email" else None
    return SubjectsOut(subject_refs=await contact_lookup.volunteers_of(lookup.space, email=email))
