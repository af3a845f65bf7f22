"""The data-protection officer's API: rights cases, exports, the retention sweep."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from entraide.contracts.vocab import SubjectKind
from entraide.kit.auth import Principal, Role, require_role
from entraide.privacy.domain.cases import Case, CaseKind
from entraide.privacy.entrypoints.http import labels
from entraide.privacy.entrypoints.http.deps import PrivacyDep, RightsDep
from entraide.privacy.entrypoints.http.views import case_view
from entraide.privacy.usecases.cases import ExportDestroyedError, Rights
from entraide.privacy.usecases.officer import RefusedError

router = APIRouter(prefix="/api/v1", tags=["rights"])
Dpo = Annotated[Principal, Depends(require_role(Role.DPO))]
Doc = dict[str, Any]


class CaseIn(BaseModel):
    kind: CaseKind
    subject_ref: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")
    subject_kind: SubjectKind = SubjectKind.FAMILY


class DecisionIn(BaseModel):
    decision: Literal["done", "refused", "not-applicable"]


class SweepIn(BaseModel):
    dry_run: bool = True


async def _case(rights: Rights, case_id: str) -> Case:
    case = await rights.get(case_id)
    if case is None:
        raise HTTPException(404, "Dossier inconnu.")
    return case


class Refused(BaseModel):
    """No case opened: the reference names no subject of that kind left to act on."""

    code: Literal["unknown-subject", "already-erased", "other-kind"]
    detail: str


REFUSED_STATUS = {"unknown-subject": 404, "already-erased": 409, "other-kind": 422}


@router.post(
    "/cases",
    status_code=201,
    responses={
        404: {"model": Refused, "description": "unknown-subject: no subject has this reference"},
        409: {"model": Refused, "description": "already-erased: nothing left to act on"},
        422: {"description": "invalid body, or other-kind: a reference of the other kind"},
    },
)
async def open_case(body: CaseIn, principal: Dpo, privacy: PrivacyDep) -> Any:
    """Open a rights case; erasure and access are sent to every service at once, for a
    reference the registry or the key vault knows (else refused, in French, and no case)."""
    try:
        case = await privacy.open_case(
            body.kind, body.subject_ref, body.subject_kind, actor=principal.subject
        )
    except RefusedError as refused:
        code = refused.reason.value
        message = labels.refusal(code, body.subject_kind.value, refused.known.erased_at)
        answer = Refused(code=refused.reason.value, detail=message)
        return JSONResponse(answer.model_dump(), status_code=REFUSED_STATUS[code])
    return case_view(case, privacy.clock())


@router.get("/cases")
async def list_cases(principal: Dpo, rights: RightsDep) -> list[Doc]:
    return [case_view(c, rights.clock()) for c in await rights.recent()]


@router.get("/cases/{case_id}")
async def get_case(case_id: str, principal: Dpo, privacy: PrivacyDep) -> Doc:
    """The case, its acknowledgements and its audit trail."""
    case = await _case(privacy.rights, case_id)
    trail = await privacy.trail(case_id)
    view = case_view(case, privacy.clock())
    view["audit"] = [{**e, "at": e["at"].isoformat()} for e in trail]
    return view


@router.post("/cases/{case_id}/decision")
async def decide(case_id: str, body: DecisionIn, principal: Dpo, rights: RightsDep) -> Doc:
    """Close a routed case (rectification, objection) with the officer's decision."""
    if not await rights.resolve(case_id, actor=principal.subject, decision=body.decision):
        raise HTTPException(409, "Ce dossier ne se clôt pas ainsi (ou est déjà clos).")
    return case_view(await _case(rights, case_id), rights.clock())


@router.get(
    "/cases/{case_id}/export",
    responses={
        404: {"description": "no such access case"},
        410: {"description": "the export was destroyed with the subject's erasure"},
    },
)
async def export(case_id: str, principal: Dpo, privacy: PrivacyDep) -> JSONResponse:
    """The access export as one JSON file (the read is in the audit trail)."""
    try:
        found = await privacy.export(case_id, actor=principal.subject, form="json")
    except ExportDestroyedError as gone:
        raise HTTPException(410, labels.destroyed(gone.destroyed)) from None
    if found is None:
        raise HTTPException(404, "Pas d'export pour ce dossier.")
    headers = {
        "Content-Disposition": f'attachment; filename="export-{case_id}.json"',
        "Cache-Control": "no-store",
    }
    return JSONResponse(found, headers=headers)


@router.post("/retention/sweep")
async def run_sweep(body: SweepIn, principal: Dpo, privacy: PrivacyDep) -> Doc:
    """Run the retention sweep now (by default a dry run: a report, no change)."""
    report = await privacy.sweep(dry_run=body.dry_run, actor=principal.subject)
    return report.as_dict()


@router.get("/statistics")
async def statistics(principal: Dpo, privacy: PrivacyDep) -> list[Doc]:
    """Anonymous counts of erased subjects by year, kind, département, reason."""
    return await privacy.statistics()
