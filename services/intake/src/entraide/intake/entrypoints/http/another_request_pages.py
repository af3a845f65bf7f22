"""Staff pages: another request of a family already known (`usecases.another_request`),
from its record."""

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError

from entraide.contracts.vocab import RequestChannel
from entraide.intake.domain.family import ConflictError, NotFoundError
from entraide.intake.entrypoints.http import forms
from entraide.intake.entrypoints.http.deps import CaseworkDep, Caseworker, PagesDep
from entraide.intake.entrypoints.http.record_pages import done, not_found
from entraide.intake.entrypoints.http.schemas import AnotherRequestIn
from entraide.intake.usecases import another_request
from entraide.intake.usecases.casework import FamilyRecord
from entraide.kit import messages
from entraide.kit.auth import Principal, check_csrf
from entraide.kit.pages import Pages

router = APIRouter(prefix="/familles/{family_id}/demandes/nouvelle", include_in_schema=False)
PAGE_ORDER = ("needs", "availability", "signs", "notes", "consent.matching", "consent.sharing")
CHANGED = "La famille a été modifiée entre-temps : rechargez la page."


@router.get("")
async def form(
    request: Request, family_id: str, principal: Caseworker, work: CaseworkDep, pages: PagesDep
) -> Response:
    """The form, the parent's consent ticked as it stands, and her half-days as she last
    gave them (ticked for staff to check with her: a request with none is never proposed
    a volunteer, whose visits need a half-day in common)."""
    try:
        record = await work.open(principal, family_id, via="page")
    except NotFoundError:
        return not_found(pages, request, principal)
    if record.identity is None:  # erased: nothing to add to
        return not_found(pages, request, principal)
    consent = record.family.consent
    last = another_request.last_half_days(record.family)
    values: dict[str, Any] = {"needs": [], "signs": [], "notes": ""}
    values |= {"availability": [f"{s.day}-{s.part}" for s in last]}
    values |= {"consent.matching": consent.matching, "consent.sharing": consent.sharing}
    return _page(pages, request, principal, record, values, {})


@router.post("", dependencies=[Depends(check_csrf)])
async def add(
    request: Request, family_id: str, principal: Caseworker, work: CaseworkDep, pages: PagesDep
) -> Response:
    """The new request recorded and sent to orientation; the record says so."""
    values = forms.values_of(await request.form())
    body = {
        "needs": values["needs"],
        "availability": [forms.slot(v) for v in values["availability"]],
        "signs": values["signs"],
        "notes": values["notes"],
        "consent": {
            "matching": values["consent.matching"],
            "sharing": values["consent.sharing"],
            "collected_by": principal.name,
            "collected_at": datetime.now(UTC),
        },
    }
    errors: dict[str, str] = {}
    try:
        wish = AnotherRequestIn.model_validate(body).wish()
        await another_request.add_request(
            work, principal, family_id, wish, channel=RequestChannel.STAFF_FORM, via="page"
        )
    except ValidationError as exc:
        errors = forms.french_errors(exc.errors())
    except NotFoundError:
        return not_found(pages, request, principal)
    except ConflictError:
        errors = {"erreurs": CHANGED}
    if not errors:
        return done(request, principal, family_id, "cree")
    try:
        record = await work.open(principal, family_id, via="page")
    except NotFoundError:
        return not_found(pages, request, principal)
    status = 409 if "erreurs" in errors else 422
    return _page(pages, request, principal, record, values, errors, status_code=status)


def _page(
    pages: Pages,
    request: Request,
    principal: Principal,
    record: FamilyRecord,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    status_code: int = 200,
) -> Response:
    parent = (record.identity or {}).get("parent", {})
    return pages.page(
        request,
        "nouvelle_demande.html",
        principal,
        status_code=status_code,
        family=record.family,
        parent_name=f"{parent.get('first_name', '')} {parent.get('last_name', '')}".strip(),
        values=values,
        errors=messages.in_page_order(errors, PAGE_ORDER),
    )
