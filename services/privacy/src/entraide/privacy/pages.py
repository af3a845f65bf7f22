"""The data-protection officer's pages (French): cases, their acknowledgements and trail,
access exports, and the retention report. Thin: parse, call the use case, render."""

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from entraide.contracts.vocab import SubjectKind
from entraide.kit.auth import Principal, Role, check_csrf, form_csrf, require_role
from entraide.kit.web import render
from entraide.privacy import labels
from entraide.privacy.api import case_view, privacy
from entraide.privacy.domain import CaseKind
from entraide.privacy.readable import readable
from entraide.privacy.services import RefusedError

router = APIRouter(include_in_schema=False)
Dpo = Annotated[Principal, Depends(require_role(Role.DPO))]
REF = r"^[A-Za-z0-9_-]{8,64}$"


def page(
    request: Request, name: str, principal: Principal, status_code: int = 200, **context: Any
) -> Response:
    context |= {"principal": principal, "labels": labels, "csrf": form_csrf(request)}
    return render(request.app.state.templates, request, name, context, status_code=status_code)


@router.get("/")
async def home() -> Response:
    return RedirectResponse("/dossiers", status_code=303)


@router.get("/dossiers")
async def cases(request: Request, principal: Dpo) -> Response:
    p = privacy(request)
    views = [case_view(c, p.clock()) for c in await p.rights.recent()]
    return page(request, "dossiers.html", principal, cases=views, errors={}, values={})


@router.post("/dossiers", dependencies=[Depends(check_csrf)])
async def open_case(request: Request, principal: Dpo) -> Response:
    form = await request.form()
    values = {k: str(form.get(k) or "").strip() for k in ("kind", "subject_ref", "subject_kind")}
    errors = {}
    if values["kind"] not in {k.value for k in CaseKind}:
        errors["kind"] = labels.FORM_ERRORS["kind"]
    if not re.match(REF, values["subject_ref"]):
        errors["subject_ref"] = labels.FORM_ERRORS["subject_ref"]
    if values["subject_kind"] not in {k.value for k in SubjectKind}:
        errors["subject_kind"] = labels.FORM_ERRORS["subject_kind"]
    p = privacy(request)
    if not errors:
        try:
            opened = await p.open_case(
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
    views = [case_view(c, p.clock()) for c in await p.rights.recent()]
    return page(request, "dossiers.html", principal, 422, cases=views, errors=errors, values=values)


@router.get("/dossiers/{case_id}")
async def case(case_id: str, request: Request, principal: Dpo) -> Response:
    p = privacy(request)
    found = await p.rights.get(case_id)
    if found is None:
        return page(request, "introuvable.html", principal, 404)
    trail = await p.audit.of_case(case_id)
    return page(request, "dossier.html", principal, case=case_view(found, p.clock()), trail=trail)


@router.post("/dossiers/{case_id}/decision", dependencies=[Depends(check_csrf)])
async def decide(case_id: str, request: Request, principal: Dpo) -> Response:
    decision = str((await request.form()).get("decision") or "")
    if decision in labels.DECISIONS:
        await privacy(request).rights.resolve(case_id, actor=principal.subject, decision=decision)
    return RedirectResponse(f"/dossiers/{case_id}", status_code=303)


@router.get("/dossiers/{case_id}/export.json")
async def export_json(case_id: str, request: Request, principal: Dpo) -> Response:
    found = await privacy(request).export(case_id, actor=principal.subject, form="json")
    if found is None:
        return page(request, "introuvable.html", principal, 404)
    disposition = f'attachment; filename="export-{case_id}.json"'
    headers = {"Content-Disposition": disposition, "Cache-Control": "no-store"}
    return JSONResponse(found, headers=headers)


@router.get("/dossiers/{case_id}/export.html")
async def export_html(case_id: str, request: Request, principal: Dpo) -> Response:
    """The same export as a readable French document (print it or save it as PDF)."""
    found = await privacy(request).export(case_id, actor=principal.subject, form="html")
    if found is None:
        return page(request, "introuvable.html", principal, 404)
    parts = {service: readable(part) for service, part in found["services"].items()}
    return page(request, "export.html", principal, export=found | {"services": parts})


@router.get("/conservation")
async def retention(request: Request, principal: Dpo) -> Response:
    """What the sweep would do now (dry run), and the anonymous statistics kept."""
    p = privacy(request)
    report = await p.sweep(dry_run=True, actor=principal.subject)
    stats = await p.statistics()
    return page(request, "conservation.html", principal, report=report, stats=stats)


@router.post("/conservation", dependencies=[Depends(check_csrf)])
async def run_retention(request: Request, principal: Dpo) -> Response:
    p = privacy(request)
    report = await p.sweep(dry_run=False, actor=principal.subject)
    stats = await p.statistics()
    return page(request, "conservation.html", principal, report=report, stats=stats, ran=True)
