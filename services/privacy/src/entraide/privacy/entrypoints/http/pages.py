"""The data-protection officer's pages (French): cases, their acknowledgements and trail,
access exports, and the retention report. Thin: parse, call the use case, render."""

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from entraide.contracts.vocab import SubjectKind
from entraide.kit.auth import Principal, Role, check_csrf, require_role
from entraide.privacy.domain.cases import CaseKind
from entraide.privacy.entrypoints.http import labels
from entraide.privacy.entrypoints.http.deps import PagesDep, PrivacyDep
from entraide.privacy.entrypoints.http.public_rights import PublicRightsDep
from entraide.privacy.entrypoints.http.readable import document
from entraide.privacy.entrypoints.http.views import case_view, journal
from entraide.privacy.usecases.cases import ExportDestroyedError
from entraide.privacy.usecases.officer import RefusedError

router = APIRouter(include_in_schema=False)
Dpo = Annotated[Principal, Depends(require_role(Role.DPO))]
REF = r"^[A-Za-z0-9_-]{8,64}$"


@router.get("/")
async def home() -> Response:
    return RedirectResponse("/dossiers", status_code=303)


@router.get("/dossiers")
async def cases(request: Request, principal: Dpo, privacy: PrivacyDep, pages: PagesDep) -> Response:
    views = [case_view(c, privacy.clock()) for c in await privacy.rights.recent()]
    return pages.page(
        request, "dossiers.html", principal, cases=views, errors={}, values={},
        services=privacy.rights.services,
    )  # fmt: skip


@router.post("/dossiers", dependencies=[Depends(check_csrf)])
async def open_case(
    request: Request, principal: Dpo, privacy: PrivacyDep, pages: PagesDep
) -> Response:
    form = await request.form()
    values = {k: str(form.get(k) or "").strip() for k in ("kind", "subject_ref", "subject_kind")}
    errors = {}
    if values["kind"] not in {k.value for k in CaseKind}:
        errors["kind"] = labels.FORM_ERRORS["kind"]
    if not re.match(REF, values["subject_ref"]):
        errors["subject_ref"] = labels.FORM_ERRORS["subject_ref"]
    if values["subject_kind"] not in {k.value for k in SubjectKind}:
        errors["subject_kind"] = labels.FORM_ERRORS["subject_kind"]
    if not errors:
        try:
            opened = await privacy.open_case(
                CaseKind(values["kind"]),
                values["subject_ref"],
                SubjectKind(values["subject_kind"]),
                actor=principal.subject,
            )
            return RedirectResponse(f"/dossiers/{opened.case_id}", status_code=303)
        except RefusedError as refused:
            erased_at = refused.known.erased_at
            message = labels.refusal(refused.reason.value, values["subject_kind"], erased_at)
            errors["subject_ref"] = message
    views = [case_view(c, privacy.clock()) for c in await privacy.rights.recent()]
    return pages.page(
        request, "dossiers.html", principal, status_code=422, cases=views, errors=errors,
        values=values, services=privacy.rights.services,
    )  # fmt: skip


@router.get("/dossiers/{case_id}")
async def case(
    case_id: str,
    request: Request,
    principal: Dpo,
    privacy: PrivacyDep,
    pages: PagesDep,
    public: PublicRightsDep,
) -> Response:
    found = await privacy.rights.get(case_id)
    if found is None:
        return pages.page(request, "introuvable.html", principal, status_code=404)
    view = case_view(await privacy.rights.counted(found), privacy.clock())
    trail = journal(await privacy.trail(case_id), view)
    destroyed = await privacy.rights.destroyed(found)  # an access export erased since
    statement = await public.statement(found)  # a rectification's, while it is open
    return pages.page(
        request, "dossier.html", principal, case=view, trail=trail, destroyed=destroyed,
        statement=statement,
    )  # fmt: skip


@router.post("/dossiers/{case_id}/decision", dependencies=[Depends(check_csrf)])
async def decide(case_id: str, request: Request, principal: Dpo, privacy: PrivacyDep) -> Response:
    decision = str((await request.form()).get("decision") or "")
    if decision in labels.DECISIONS:
        await privacy.rights.resolve(case_id, actor=principal.subject, decision=decision)
    return RedirectResponse(f"/dossiers/{case_id}", status_code=303)


@router.get("/dossiers/{case_id}/export.json")
async def export_json(
    case_id: str, request: Request, principal: Dpo, privacy: PrivacyDep, pages: PagesDep
) -> Response:
    try:
        found = await privacy.export(case_id, actor=principal.subject, form="json")
    except ExportDestroyedError as gone:
        body = {"code": "export-destroyed", "detail": labels.destroyed(gone.destroyed)}
        return JSONResponse(body, status_code=410, headers={"Cache-Control": "no-store"})
    if found is None:
        return pages.page(request, "introuvable.html", principal, status_code=404)
    disposition = f'attachment; filename="export-{case_id}.json"'
    headers = {"Content-Disposition": disposition, "Cache-Control": "no-store"}
    return JSONResponse(found, headers=headers)


@router.get("/dossiers/{case_id}/export.html")
async def export_html(
    case_id: str, request: Request, principal: Dpo, privacy: PrivacyDep, pages: PagesDep
) -> Response:
    """The same export as a readable French document (print it or save it as PDF)."""
    try:
        found = await privacy.export(case_id, actor=principal.subject, form="html")
    except ExportDestroyedError as gone:
        return pages.page(
            request, "export-detruit.html", principal, status_code=410, case_id=case_id,
            destroyed=gone.destroyed,
        )  # fmt: skip
    if found is None:
        return pages.page(request, "introuvable.html", principal, status_code=404)
    return pages.page(request, "export.html", principal, export=document(found))


@router.get("/conservation")
async def retention(
    request: Request, principal: Dpo, privacy: PrivacyDep, pages: PagesDep
) -> Response:
    """What the sweep would do now (dry run), and the anonymous statistics kept."""
    report = await privacy.sweep(dry_run=True, actor=principal.subject)
    stats = await privacy.statistics()
    return pages.page(request, "conservation.html", principal, report=report, stats=stats)


@router.post("/conservation", dependencies=[Depends(check_csrf)])
async def run_retention(
    request: Request, principal: Dpo, privacy: PrivacyDep, pages: PagesDep
) -> Response:
    report = await privacy.sweep(dry_run=False, actor=principal.subject)
    stats = await privacy.statistics()
    return pages.page(request, "conservation.html", principal, report=report, stats=stats, ran=True)
