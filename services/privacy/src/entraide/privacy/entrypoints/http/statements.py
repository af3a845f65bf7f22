"""What a person wrote is wrong in their data, and what to write instead, read by the staff
of the service that holds the record (`GET /internal/v1/rectifications/{case_id}/statement`):
intake for a family, directory for a volunteer, named by their service token.

The statement stays in privacy, sealed, until the case closes (`public_requests`); the owner
asks for it when its staff open the flagged record, so it never travels on a topic and is
gone everywhere once forgotten. Another service, or another kind of case, reads nothing."""

import re
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Response
from pydantic import BaseModel

from entraide.privacy.domain.cases import CaseKind
from entraide.privacy.entrypoints.http.deps import PrivacyDep
from entraide.privacy.entrypoints.http.erasure_requests import OWNER_OF
from entraide.privacy.entrypoints.http.keyvault import calling_service
from entraide.privacy.entrypoints.http.public_rights import PublicRightsDep

router = APIRouter(prefix="/internal/v1", tags=["rights (internal)"])
Service = Annotated[str, Depends(calling_service)]
CASE_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class Statement(BaseModel):
    statement: str | None  # None: the person wrote nothing, or the case is closed


@router.get(
    "/rectifications/{case_id}/statement",
    response_model=Statement,
    responses={
        403: {"description": "The caller does not hold this case's record"},
        404: {"description": "No rectification case has this id"},
    },
)
async def statement(
    case_id: str, response: Response, service: Service, privacy: PrivacyDep, public: PublicRightsDep
) -> Statement:
    case = await privacy.rights.get(case_id) if CASE_ID.match(case_id) else None
    if case is None or case.kind != CaseKind.RECTIFICATION:
        raise HTTPException(404, "Aucune demande de rectification n'a ce numéro.")
    if OWNER_OF.get(case.subject_kind) != service:
        raise HTTPException(403, "Ce service ne tient pas la fiche de cette personne.")
    response.headers["Cache-Control"] = "no-store"
    return Statement(statement=await public.statement(case))
