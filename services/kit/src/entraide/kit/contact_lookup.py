"""The owners' side of privacy's public rights channel: `POST /internal/v1/subjects-by-contact`.

A person proved a phone or an e-mail to privacy, which holds no contact data and asks the
services that own some (intake for families, directory for volunteers) which subjects it
names. Only privacy may ask (a service token signed with the secret the owner shares with
privacy's key vault, checked before the body is read); the answer holds references, never
identity. Each owner keeps only its own lookup:

    class ContactLookup(SubjectsByContact):
        async def subjects(self, contact: ContactIn) -> list[str]: ...

    router = subjects_router(ContactLookup)      # app.py provides a ContactLookup
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Header
from pydantic import BaseModel, Field

from entraide.kit.auth import require_service_token
from entraide.kit.deps import provided

PATH = "/subjects-by-contact"


class ContactIn(BaseModel):
    channel: str = Field(pattern=r"^(email|sms)$")
    value: str = Field(min_length=3, max_length=320)

    @property
    def email(self) -> str | None:
        return self.value if self.channel == "email" else None

    @property
    def phone(self) -> str | None:
        return self.value if self.channel == "sms" else None


class SubjectsOut(BaseModel):
    subject_refs: list[str]


class SubjectsByContact:
    """What the route needs: who may call (privacy) and the owner's lookup (`subjects`)."""

    def __init__(self, privacy_secret: str) -> None:
        self.secrets = {"privacy": privacy_secret}

    async def subjects(self, contact: ContactIn) -> list[str]:
        """The references of the subjects this contact names."""
        raise NotImplementedError


def subjects_router(kind: type[SubjectsByContact]) -> APIRouter:
    """The internal route, answering with what app.py provided under `kind`."""
    Lookup = Annotated[SubjectsByContact, Depends(provided(kind))]  # noqa: N806

    async def privacy_only(lookup: Lookup, authorization: Annotated[str, Header()] = "") -> None:
        """Privacy's service token, checked before the body is read."""
        require_service_token(authorization, lookup.secrets)

    router = APIRouter(prefix="/internal/v1", tags=["internal"])

    @router.post(PATH, include_in_schema=False, dependencies=[Depends(privacy_only)])
    async def subjects_by_contact(body: ContactIn, lookup: Lookup) -> SubjectsOut:
        return SubjectsOut(subject_refs=await lookup.subjects(body))

    return router
