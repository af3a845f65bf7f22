"""Staff pages: find a family, record a new one. Thin: parse, call the use case, render."""

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from entraide.contracts.vocab import RequestChannel
from entraide.intake.domain.requests import departement_of
from entraide.intake.entrypoints.http import forms, search_form
from entraide.intake.entrypoints.http.deps import CaseworkDep, Caseworker, PagesDep
from entraide.intake.entrypoints.http.record_pages import done
from entraide.intake.usecases import access, recording
from entraide.intake.usecases.ports import Action
from entraide.kit.auth import check_csrf

router = APIRouter(include_in_schema=False)
SEARCHED = ("nom", "prenom", "telephone", "email")  # the search form's fields


@router.get("/")
async def home() -> Response:
    return RedirectResponse("/familles", status_code=303)


@router.get("/familles")
async def families(
    request: Request, principal: Caseworker, work: CaseworkDep, pages: PagesDep
) -> Response:
    """The recent families in my scope, and the search form. A search is sent by POST, so
    that no name, phone or e-mail lands in an address (history, proxies' and servers'
    logs): a query string here is ignored."""
    recent = await work.recent(principal)
    return pages.page(
        request,
        "familles.html",
        principal,
        searched=dict.fromkeys(SEARCHED, ""),
        found=None,
        recent=recent,
    )


@router.post("/familles", dependencies=[Depends(check_csrf)])
async def search_families(
    request: Request, principal: Caseworker, work: CaseworkDep, pages: PagesDep
) -> Response:
    """The families matching a search on name, phone or e-mail, rendered in the POST's
    answer itself: the values searched for never appear in a URL, even a redirect's."""
    form = await request.form()
    searched = {name: str(form.get(name) or "").strip() for name in SEARCHED}
    if not any(searched.values()):
        return await families(request, principal, work, pages)
    if errors := search_form.errors(searched):  # searched as typed, it would find nothing
        return pages.page(
            request, "familles.html", principal, status_code=422, searched=searched,
            errors=errors, found=None, recent=[],
        )  # fmt: skip
    answer = await work.search(
        principal,
        first_name=searched["prenom"],
        last_name=searched["nom"],
        phone=searched["telephone"],
        email=searched["email"],
    )
    return pages.page(
        request,
        "familles.html",
        principal,
        searched=searched,
        found=answer.families,
        elsewhere=answer.elsewhere,
        recent=[],
    )


@router.get("/familles/nouvelle")
async def new_family(request: Request, principal: Caseworker, pages: PagesDep) -> Response:
    return forms.page(pages, request, principal, forms.values_of(FormData()), {})


@router.post("/familles/nouvelle", dependencies=[Depends(check_csrf)])
async def create_family(
    request: Request, principal: Caseworker, work: CaseworkDep, pages: PagesDep
) -> Response:
    """Record a family and its request, after the duplicate check; errors go back per field."""
    form = await request.form()
    parsed = forms.parse(forms.values_of(form), collected_by=principal.name, now=datetime.now(UTC))
    association = principal.association_id or str(form.get("association_id") or "")
    if principal.association_id is None and association not in forms.ASSOCIATIONS:
        parsed.errors["association_id"] = "Choisissez l'association qui accompagnera la famille."
    body = parsed.request
    if body is not None and not access.may_record(
        principal, association, departement_of(body.postal_code)
    ):
        parsed.errors["postal_code"] = (
            "Ce code postal est hors de vos territoires : " + ", ".join(principal.territories) + "."
        )
    if parsed.errors or body is None:
        return forms.page(
            pages,
            request,
            principal,
            parsed.values,
            parsed.errors,
            association=association,
            status_code=422,
        )
    recorded, duplicates = await recording.record_unless_known(
        work.uow,
        work.keys,
        body.details(),
        confirm_new=form.get("doublon_verifie") == "oui",
        association_id=association,
        channel=RequestChannel.STAFF_FORM,
        recorded_by=principal.subject,
    )
    if recorded is None:
        visible = [d for d in duplicates if access.can_see(principal, d)]
        return forms.page(
            pages,
            request,
            principal,
            parsed.values,
            {},
            association=association,
            duplicates=visible,
            hidden_duplicates=len(duplicates) - len(visible),
            status_code=409,
        )
    await work.audit.record(principal, Action.CREATE, recorded.family_id, via="page")
    return done(request, principal, recorded.family_id, "cree")
