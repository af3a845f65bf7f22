"""Internal route for privacy's public rights channel: the families a proved contact names.
Only privacy may call it (a service token signed with the secret intake shares with
privacy's key vault); the answer holds references, never identity."""

from typing import Annotated

from fastapi import APIRouter, Depends, Header
from pydantic import BaseModel, Field

from entraide.intake.usecases import contact_lookup
from entraide.intake.usecases.ports import Families, FamilyKeys
from entraide.kit.auth import require_service_token
from entraide.kit.deps import provided

router = APIRouter(prefix="/internal/v1", tags=["internal"])


class ContactLookup:
    """What the route needs: the families, the lookup key, who may call."""

    def __init__(self, families: Families, keys: FamilyKeys, privacy_secret: str) -> None:
        self.families, self.keys = families, keys
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
    phone = body.value if body.channel == "sms" else None
    refs = await contact_lookup.families_of(lookup.families, lookup.keys, phone=phone, email=email)
    return SubjectsOut(subject_refs=refs)
