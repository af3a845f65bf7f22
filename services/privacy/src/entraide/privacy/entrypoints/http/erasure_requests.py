"""Erasure asked by the person through the service that knows them: a volunteer who leaves
from their space in directory (`POST /internal/v1/erasure-requests`).

The caller names itself with its service token (the key vault's, `kit.keyvault_client`) and
asks only for the kind of subject it owns (directory: volunteers; intake: families). The
case opens as the officer's do (`Privacy.open_case`: every service commanded, the keys
destroyed once all acknowledged), the person as its actor. Asked twice, the open case
answers again: one case per subject.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from entraide.contracts.vocab import SubjectKind
from entraide.privacy.domain.cases import CaseKind, CaseStatus
from entraide.privacy.entrypoints.http.deps import PrivacyDep
from entraide.privacy.entrypoints.http.keyvault import calling_service
from entraide.privacy.usecases.officer import RefusedError

router = APIRouter(prefix="/internal/v1", tags=["rights (internal)"])
Service = Annotated[str, Depends(calling_service)]
OWNER_OF = {SubjectKind.VOLUNTEER: "directory", SubjectKind.FAMILY: "intake"}
ACTOR = "personne"  # as the public form's cases: the person asked


class ErasureRequest(BaseModel):
    subject_ref: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")
    subject_kind: SubjectKind


class ErasureAnswer(BaseModel):
    status: Literal["opened", "already-open", "already-erased"]
    case_id: str | None = None


@router.post(
    "/erasure-requests",
    status_code=201,
    response_model=ErasureAnswer,
    responses={
        403: {"description": "The caller does not own this kind of subject"},
        404: {"description": "No subject has this reference"},
    },
)
async def request_erasure(
    body: ErasureRequest, service: Service, privacy: PrivacyDep
) -> ErasureAnswer:
    if OWNER_OF.get(body.subject_kind) != service:
        raise HTTPException(403, "Ce service ne tient pas les données de ce type de personne.")
    open_cases = [
        c
        for c in await privacy.rights.of_subject(body.subject_ref)
        if c.kind == CaseKind.ERASURE and c.status != CaseStatus.CLOSED
    ]
    if open_cases:
        return ErasureAnswer(status="already-open", case_id=open_cases[0].case_id)
    try:
        case = await privacy.open_case(
            CaseKind.ERASURE, body.subject_ref, body.subject_kind, actor=ACTOR
        )
    except RefusedError as refused:
        if refused.reason.value == "already-erased":
            return ErasureAnswer(status="already-erased")
        raise HTTPException(404, "Aucune personne n'a cette référence.") from None
    return ErasureAnswer(status="opened", case_id=case.case_id)
