"""Staff pages on one family: its record (audited), rectification, withdrawal, contacts."""

from datetime import UTC, date, datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse

from entraide.contracts.vocab import ContactChannel, WithdrawalReason
from entraide.intake.domain import family as model
from entraide.intake.domain.family import ClosedError, ConflictError, NotFoundError
from entraide.intake.entrypoints.http import forms, labels
from entraide.intake.entrypoints.http.deps import (
    CaseworkDep,
    PagesDep,
    RecordReader,
    StatementsDep,
)
from entraide.intake.usecases.casework import Casework, FamilyRecord
from entraide.kit import flash, formats
from entraide.kit.auth import Principal, Role, check_csrf, require_role
from entraide.kit.pages import Pages

router = APIRouter(prefix="/familles/{family_id}", include_in_schema=False)
Auditor = Annotated[Principal, Depends(require_role(Role.DPO, Role.NETWORK))]
CONFIRMATIONS = {
    "cree": "La demande est enregistrée : elle part en orientation.",
    "modifiee": "La demande est rectifiée.",
    "retiree": "La demande est retirée : elle ne sera plus proposée.",
    "contact": "Le contact est noté.",
}
NO_REASON = "Motif du retrait : choisissez-le dans la liste."


@router.get("")
async def family(
    request: Request,
    family_id: str,
    principal: RecordReader,
    work: CaseworkDep,
    pages: PagesDep,
    statements: StatementsDep,
) -> Response:
    """The family's record; opening it is written to the audit log first. What a form on
    it just did, said only to whoever sent it (`kit.flash`); beside a rectification's flag,
    what the person wrote is wrong (read from privacy)."""
    try:
        record = await work.open(principal, family_id, via="page")
    except NotFoundError:
        return not_found(pages, request, principal)
    ok = flash.said(request, principal.subject).get("ok", "")
    flashes = [{"level": "success", "text": CONFIRMATIONS[ok]}] if ok in CONFIRMATIONS else []
    said = await statements.of(record.family.rectifications)
    return pages.page(
        request, "famille.html", principal, record=record, flashes=flashes,
        today=formats.today(), said=said,
    )  # fmt: skip


def done(request: Request, principal: Principal, family_id: str, ok: str) -> Response:
    """The family's record, saying to whoever sent the form what it did (`CONFIRMATIONS`)."""
    said = flash.signed(request, principal.subject, ok=ok)
    return RedirectResponse(f"/familles/{family_id}?{urlencode(said)}", status_code=303)


@router.get("/demandes/{request_id}/modifier")
async def edit_request(
    request: Request,
    family_id: str,
    request_id: str,
    principal: RecordReader,
    work: CaseworkDep,
    pages: PagesDep,
) -> Response:
    try:
        record = await work.open(principal, family_id, via="page")
    except NotFoundError:
        return not_found(pages, request, principal)
    current = _request_of(record, request_id)
    if current is None or record.identity is None:
        return not_found(pages, request, principal)
    values = forms.values_from_record(
        record.family, record.identity, current, record.notes[request_id]
    )
    return forms.page(pages, request, principal, values, {}, rectifying=(family_id, request_id))


@router.post("/demandes/{request_id}/modifier", dependencies=[Depends(check_csrf)])
async def rectify(
    request: Request,
    family_id: str,
    request_id: str,
    principal: RecordReader,
    work: CaseworkDep,
    pages: PagesDep,
) -> Response:
    """Rectify the family and its request (the family's right of rectification)."""
    form = await request.form()
    parsed = forms.parse(
        forms.values_of(form), collected_by=principal.name, now=datetime.now(UTC), rectifying=True
    )
    if parsed.request is None:
        return forms.page(
            pages,
            request,
            principal,
            parsed.values,
            parsed.errors,
            rectifying=(family_id, request_id),
            status_code=422,
        )
    try:
        rectified = await work.rectify(principal, family_id, request_id, parsed.request.details())
    except NotFoundError:
        return not_found(pages, request, principal)
    except ConflictError:
        errors = {"erreurs": "La famille a été modifiée entre-temps : rechargez la page."}
        return forms.page(
            pages,
            request,
            principal,
            parsed.values,
            errors,
            rectifying=(family_id, request_id),
            status_code=409,
        )
    except ClosedError:
        return _closed(pages, request, principal, family_id)
    if rectified.waiting:  # nothing corrected: say so beside the form, the case waits
        rectifying = (family_id, request_id)
        return forms.page(
            pages, request, principal, parsed.values, {}, rectifying=rectifying, unchanged=True
        )
    return done(request, principal, family_id, "modifiee")


@router.post("/demandes/{request_id}/retrait", dependencies=[Depends(check_csrf)])
async def withdraw(
    request: Request,
    family_id: str,
    request_id: str,
    principal: RecordReader,
    work: CaseworkDep,
    pages: PagesDep,
) -> Response:
    """Withdraw the request for a reason chosen on purpose (none is preselected); without
    one, the record again with the error beside that request's reason."""
    form = await request.form()
    motif = str(form.get("motif") or "")
    if motif not in labels.WITHDRAWAL_CHOICES:  # erasure's own reason is not staff's to give
        errors = {f"motif-{request_id}": NO_REASON}
        return await _record_again(pages, request, principal, work, family_id, errors)
    try:
        await work.withdraw(principal, family_id, request_id, WithdrawalReason(motif))
    except NotFoundError:
        return not_found(pages, request, principal)
    except (ConflictError, ClosedError):
        return _closed(pages, request, principal, family_id)
    return done(request, principal, family_id, "retiree")


@router.post("/contacts", dependencies=[Depends(check_csrf)])
async def log_contact(
    request: Request, family_id: str, principal: RecordReader, work: CaseworkDep, pages: PagesDep
) -> Response:
    """Note a contact: the family's retention clock starts again."""
    form = await request.form()
    typed = {name: str(form.get(name) or "") for name in ("canal", "date", "note")}
    day, errors = _contact_errors(typed, formats.today())
    if day is None:  # the record again, with what was typed: the note is not lost
        return await _record_again(
            pages, request, principal, work, family_id, errors, contact=typed
        )
    channel = ContactChannel(typed["canal"])
    note = typed["note"][:2000]
    try:
        await work.log_contact(principal, family_id, channel=channel, note=note, day=day)
    except NotFoundError:
        return not_found(pages, request, principal)
    except ConflictError:
        return _closed(pages, request, principal, family_id)
    return done(request, principal, family_id, "contact")


@router.get("/journal")
async def journal(
    request: Request, family_id: str, principal: Auditor, work: CaseworkDep, pages: PagesDep
) -> Response:
    """Who opened or changed this family's record (for the data-protection officer)."""
    entries = await work.audit.for_family(family_id)
    return pages.page(request, "journal.html", principal, family_id=family_id, entries=entries)


async def _record_again(
    pages: Pages,
    request: Request,
    principal: Principal,
    work: Casework,
    family_id: str,
    errors: dict[str, str],
    **typed: dict[str, str],
) -> Response:
    """422: the record again after one of its forms was refused, each error beside its
    field (by the field's id) and what was typed kept, instead of a page of its own that
    loses the record; reopening it is audited like any opening."""
    try:
        record = await work.open(principal, family_id, via="page")
    except NotFoundError:
        return not_found(pages, request, principal)
    return pages.page(
        request,
        "famille.html",
        principal,
        status_code=422,
        record=record,
        today=formats.today(),
        errors=errors,
        **typed,
    )


def _contact_errors(typed: dict[str, str], today: date) -> tuple[date | None, dict[str, str]]:
    """The contact's day, or None and what is wrong (by field, in French)."""
    errors: dict[str, str] = {}
    if typed["canal"] not in set(ContactChannel):
        errors["canal"] = "Moyen du contact : choisissez-le dans la liste."
    try:
        day = date.fromisoformat(typed["date"] or today.isoformat())
    except ValueError:
        errors["date"] = "Date du contact : indiquez une date, par exemple le 12/03/2025."
    else:
        if day > today:
            errors["date"] = (
                "Date du contact : un contact se note une fois qu'il a eu lieu, pas dans le futur."
            )
    return (None if errors else day), errors


def _request_of(record: FamilyRecord, request_id: str) -> model.Request | None:
    return next((r for r in record.family.requests if r.request_id == request_id), None)


def not_found(pages: Pages, request: Request, principal: Principal) -> Response:
    """404: no such family in this person's scope (the same words whether it exists or not)."""
    return pages.error(
        request,
        principal,
        404,
        "Famille introuvable",
        "Cette famille n'existe pas ou n'est pas suivie par votre association sur vos territoires.",
        back="/familles",
    )


def _closed(pages: Pages, request: Request, principal: Principal, family_id: str) -> Response:
    return pages.error(
        request,
        principal,
        409,
        "Action impossible",
        "Cette demande a changé entre-temps ou a été retirée : rechargez la fiche.",
        back=f"/familles/{family_id}",
    )
