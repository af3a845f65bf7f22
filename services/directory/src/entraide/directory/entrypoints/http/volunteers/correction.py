"""The association corrects a volunteer's name, contact details or commune with them (their
right of rectification, asked of it or through the data-protection officer): the sign-up
form's rules (`Correction`, its sentences said of the volunteer), each error beside its
field; a rectification flagged on the card is then done, and privacy told so, if the save
changed something (else the page says the case still waits)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from entraide.directory.domain.records import ConflictError, ForbiddenError
from entraide.directory.domain.volunteers.application import Correction
from entraide.directory.domain.volunteers.sealing import unseal
from entraide.directory.entrypoints.http.association import back_to
from entraide.directory.entrypoints.http.deps import (
    PagesDep,
    UnitOfWorkDep,
    VolunteerKeysDep,
    VolunteerSpaceDep,
)
from entraide.directory.entrypoints.http.volunteers import form as application_form
from entraide.directory.usecases import volunteers
from entraide.kit import flash, messages
from entraide.kit.auth import Principal, check_csrf, page_principal
from entraide.kit.deps import provided
from entraide.kit.rectification_statements import PrivacyStatements

router = APIRouter(include_in_schema=False)
Staff = Annotated[Principal, Depends(page_principal)]
StatementsDep = Annotated[PrivacyStatements, Depends(provided(PrivacyStatements))]
FIELDS = ("prenom", "nom", "courriel", "telephone", "code_postal")
PAGE_ORDER = ("prenom", "nom", "courriel", "telephone", "sms", "code_postal")
# the sign-up form's sentences, said to their association rather than to the volunteer
MESSAGES = application_form.MESSAGES | {
    "identity.prenom": "Indiquez le prénom de la personne.",
    "identity.nom": "Indiquez le nom de la personne.",
}
SMS_WITHOUT_PHONE = (
    "Indiquez son numéro de téléphone pour ses messages par SMS, ou décochez la case « Par SMS »."
)
CHANGED = "La fiche a changé entre-temps : rechargez la page."
GONE = "Ce bénévole n'est plus connu : ses données ont été effacées."


def correction(form: dict[str, Any]) -> Correction | dict[str, str]:
    """The correction the form describes, or its errors by input name."""
    asked = {"identity": application_form.identity_of(form), "code_postal": form["code_postal"]}
    try:
        found = Correction.model_validate(asked)
    except ValidationError as exc:
        errors = application_form.errors_of(exc, MESSAGES)
        return errors | application_form.sms_without_phone(form, SMS_WITHOUT_PHONE)
    return application_form.sms_without_phone(form, SMS_WITHOUT_PHONE) or found


def page(
    pages: PagesDep,
    request: Request,
    principal: Principal,
    volunteer: dict[str, Any],
    form: dict[str, Any],
    errors: dict[str, str],
    retour: str = "",
    *,
    unchanged: bool = False,
) -> HTMLResponse:
    """The form, with its way back to the space's page it was opened from (`retour`);
    `unchanged`: saved as it was, the rectification asked still waits (said at its top)."""
    return pages.page(
        request,
        "benevole-coordonnees.html",
        principal,
        status_code=422 if errors else 200,
        volunteer=volunteer,
        form=form,
        errors=messages.in_page_order(errors, PAGE_ORDER),
        retour=retour,
        back=back_to(retour),
        unchanged=unchanged,
    )


async def _shown(
    uow: UnitOfWorkDep,
    keys: VolunteerKeysDep,
    principal: Principal,
    volunteer_id: str,
    statements: PrivacyStatements,
) -> dict[str, Any]:
    """The volunteer as the form shows them (their details opened, the words of the
    rectification they asked, read from privacy); 403 for another association's or
    territory's, 404 once unknown or erased."""
    try:
        volunteer = await volunteers.editable(uow, principal, volunteer_id)
    except ForbiddenError:
        raise HTTPException(403, "Ce bénévole relève d'une autre association.") from None
    key = await keys.existing(volunteer_id) if volunteer else None
    if volunteer is None or key is None:
        raise HTTPException(404, GONE)
    identity = unseal(key, volunteer_id, volunteer.identity)
    return {
        "volunteer_id": volunteer_id,
        "identity": identity,
        "code_postal": volunteer.code_postal,
        "flagged": bool(volunteer.rectifications),
        "said": await statements.of(volunteer.rectifications),
    }


@router.get("/association/benevoles/{volunteer_id}/coordonnees", response_class=HTMLResponse)
async def correction_form(
    volunteer_id: str,
    request: Request,
    principal: Staff,
    pages: PagesDep,
    uow: UnitOfWorkDep,
    keys: VolunteerKeysDep,
    statements: StatementsDep,
    retour: str = "",
) -> HTMLResponse:
    volunteer = await _shown(uow, keys, principal, volunteer_id, statements)
    identity = volunteer["identity"]
    form = {k: identity.get(k) or "" for k in FIELDS[:4]}
    form |= {
        "code_postal": volunteer["code_postal"],
        "sms": "oui" if identity.get("canal") == "sms" else "",
    }
    return page(pages, request, principal, volunteer, form, {}, retour)


@router.post(
    "/association/benevoles/{volunteer_id}/coordonnees",
    response_class=HTMLResponse,
    dependencies=[Depends(check_csrf)],
)
async def correct_volunteer(
    volunteer_id: str,
    request: Request,
    principal: Staff,
    pages: PagesDep,
    uow: UnitOfWorkDep,
    keys: VolunteerKeysDep,
    space: VolunteerSpaceDep,
    statements: StatementsDep,
) -> Response:
    """Correct the volunteer's details; a rectification flagged on their card is done if
    anything changed."""
    volunteer = await _shown(uow, keys, principal, volunteer_id, statements)
    raw = await request.form()
    form: dict[str, Any] = {k: str(raw.get(k, "")) for k in FIELDS} | {"sms": raw.get("sms")}
    retour = str(raw.get("retour", ""))
    found = correction(form)
    if isinstance(found, dict):
        return page(pages, request, principal, volunteer, form, found, retour)
    try:
        corrected = await volunteers.correct(uow, keys, principal, volunteer_id, found)
    except ConflictError:
        said = flash.signed(request, principal.subject, erreur=CHANGED)
        return RedirectResponse(back_to(retour, said=said) + "#benevoles", 303)
    if corrected is None:
        raise HTTPException(404, GONE)
    await space.readdress(found.identity.courriel, volunteer_id)  # their space's sign-in
    if corrected.waiting:  # nothing corrected: the case waits, said beside the form
        return page(pages, request, principal, volunteer, form, {}, retour, unchanged=True)
    done = "rectifie" if volunteer["flagged"] else "corrige"
    said = flash.signed(request, principal.subject, fait=done)
    return RedirectResponse(back_to(retour, said=said) + f"#benevole-{volunteer_id}", 303)
