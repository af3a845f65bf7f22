"""The public rights channel (`/vos-droits`): the privacy page naming the DPO and the rights,
the form to ask for one, the code that proves the contact, the export behind its link.
Public pages: no sign-in; the kit's limit per address on posts, the use case's per contact."""

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

from entraide.contracts.vocab import SubjectKind
from entraide.kit import formats
from entraide.kit.auth import optional_principal
from entraide.kit.deps import provided
from entraide.kit.i18n import N_, current, public_language, translator
from entraide.kit.protect import rate_limited
from entraide.privacy.domain.cases import CaseKind
from entraide.privacy.domain.requests_from_people import (
    CODE_TTL,
    MAX_ATTEMPTS,
    PersonRequest,
    Verdict,
    attempts_left,
    contact_of,
)
from entraide.privacy.entrypoints.http import copies
from entraide.privacy.entrypoints.http import readable_others as others
from entraide.privacy.entrypoints.http.deps import PagesDep
from entraide.privacy.entrypoints.http.readable import Reader, document
from entraide.privacy.usecases.cases import ExportDestroyedError
from entraide.privacy.usecases.public_requests import OwnersUnavailableError, PublicRights

router = APIRouter(  # public: in the language the person asks for (kit/i18n.py)
    include_in_schema=False,
    dependencies=[Depends(optional_principal), Depends(public_language)],
)
PublicRightsDep = Annotated[PublicRights, Depends(provided(PublicRights))]

# the words are marked for the catalogs (N_) and translated as the page renders
RIGHTS = [
    ("access", N_("Recevoir une copie de mes données (accès)")),
    ("rectification", N_("Corriger des données inexactes (rectification)")),
    ("erasure", N_("Effacer mes données (effacement)")),
    ("objection", N_("M'opposer à l'utilisation de mes données (opposition)")),
]
WHO = [("family", N_("Une famille accompagnée")), ("volunteer", N_("Un ou une bénévole"))]
ERRORS = {
    "droit": N_("Choisissez le droit que vous voulez exercer."),
    "qui": N_("Dites si vous êtes une famille ou un ou une bénévole."),
    "contact": N_(
        "Indiquez une adresse électronique (par exemple nom@exemple.fr) ou un numéro "
        "de téléphone français (par exemple 06 12 34 56 78)."
    ),
    "code_suivi": N_("Le code de suivi n'a que des lettres et des chiffres (12 au plus)."),
    "code": N_("Le code a 6 chiffres : recopiez celui que vous avez reçu."),
}
TOO_LONG = N_(
    "Écrivez %(max)s caractères au plus : votre texte en a %(count)s. Gardez l'essentiel, "
    "l'association vous demandera la suite si besoin."
)
WRONG_CODE = N_("Ce code n'est pas le bon. Il vous reste %(left)s essai.")
WRONG_CODES = N_("Ce code n'est pas le bon. Il vous reste %(left)s essais.")
# an export the person's erasure destroyed (its link still valid): why nothing is behind it
ERASED = {
    True: N_(
        "Vos données ont été effacées à votre demande. La copie préparée pour vous a été "
        "détruite avec elles : le réseau n'en garde rien."
    ),
    False: N_(
        "Vos données ont été effacées du réseau. La copie préparée pour vous a été détruite "
        "avec elles : le réseau n'en garde rien."
    ),
}
STATEMENT_MAX = 1000  # characters: what is wrong and what to write instead (rectification)
FIELDS = ("droit", "qui", "contact", "code_suivi", "a_corriger")
REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")


@router.get("/vos-droits")
async def notice(request: Request, pages: PagesDep) -> Response:
    """The privacy page: who answers, the rights in plain words, the form."""
    return _form(request, pages, {}, {})


def _form(
    request: Request,
    pages: PagesDep,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    return pages.page(
        request, "vos-droits.html", status_code=status, rights=RIGHTS, who=WHO, values=values,
        errors=errors,
    )  # fmt: skip


@router.post("/vos-droits", dependencies=[Depends(rate_limited)])
async def ask(request: Request, pages: PagesDep, public: PublicRightsDep) -> Response:
    """Start a request: check the form, send the code, ask for it."""
    form = await request.form()
    values = {k: str(form.get(k) or "").strip() for k in FIELDS}
    wrong = []
    if values["droit"] not in {k for k, _ in RIGHTS}:
        wrong.append("droit")
    if values["qui"] not in {k for k, _ in WHO}:
        wrong.append("qui")
    contact = contact_of(values["contact"])
    if contact is None:
        wrong.append("contact")
    if values["code_suivi"] and not re.fullmatch(r"[A-Za-z0-9-]{1,12}", values["code_suivi"]):
        wrong.append("code_suivi")
    translate = translator(pages.templates)
    errors = {name: translate(ERRORS[name]) for name in wrong}
    statement = values["a_corriger"].replace("\r\n", "\n")
    if len(statement) > STATEMENT_MAX:  # the limit and the count written as French writes them
        locale = current().locale
        numbers = {
            "max": formats.number(STATEMENT_MAX, locale),
            "count": formats.number(len(statement), locale),
        }
        errors["a_corriger"] = translate(TOO_LONG) % numbers
    if errors or contact is None:
        return _form(request, pages, values, errors, 422)
    address = request.client.host if request.client else "unknown"
    asked = await public.ask(
        CaseKind(values["droit"]), SubjectKind(values["qui"]), contact, address=address,
        follow_up=values["code_suivi"] or None, language=current().code,
        statement=statement or None,  # kept for a rectification only, sealed
    )  # fmt: skip
    if asked.request is None:
        return pages.page(request, "vos-droits-trop.html", status_code=429)
    return RedirectResponse(f"/vos-droits/{asked.request.request_id}/code", status_code=303)


@router.get("/vos-droits/{request_id}/code")
async def code_form(
    request_id: str, request: Request, pages: PagesDep, public: PublicRightsDep
) -> Response:
    found = await public.get(request_id) if REQUEST_ID.match(request_id) else None
    if found is None:
        return pages.page(request, "vos-droits-fin.html", status_code=404, verdict="expired")
    return _code(request, pages, found, {}, 200)


def _code(
    request: Request, pages: PagesDep, found: PersonRequest, errors: dict[str, str], status: int
) -> Response:
    return pages.page(
        request, "vos-droits-code.html", status_code=status, found=found, errors=errors,
        minutes=int(CODE_TTL.total_seconds() // 60), left=attempts_left(found),
        max_attempts=MAX_ATTEMPTS,
    )  # fmt: skip


@router.post("/vos-droits/{request_id}/code", dependencies=[Depends(rate_limited)])
async def prove(
    request_id: str, request: Request, pages: PagesDep, public: PublicRightsDep
) -> Response:
    """Check the code; proved, the cases open and the page says what happens next."""
    code = str((await request.form()).get("code") or "").strip().replace(" ", "")
    found = await public.get(request_id) if REQUEST_ID.match(request_id) else None
    if found is None:
        return pages.page(request, "vos-droits-fin.html", status_code=404, verdict="expired")
    translate = translator(pages.templates)
    if not re.fullmatch(r"\d{6}", code):
        return _code(request, pages, found, {"code": translate(ERRORS["code"])}, 422)
    try:
        proved = await public.prove(request_id, code)
    except OwnersUnavailableError:
        return pages.page(request, "vos-droits-fin.html", status_code=503, verdict="unavailable")
    if proved.verdict == Verdict.WRONG and proved.request is not None:
        left = attempts_left(proved.request)
        message = translate(WRONG_CODES if left > 1 else WRONG_CODE) % {"left": left}
        return _code(request, pages, proved.request, {"code": message}, 422)
    status = {Verdict.PROVEN: 200, Verdict.DONE: 200, Verdict.LOCKED: 429}.get(proved.verdict, 410)
    return pages.page(
        request, "vos-droits-fin.html", status_code=status, verdict=proved.verdict.value,
        found=proved.request, opened=proved.found,
    )  # fmt: skip


@router.get("/vos-droits/export/{token}")
async def export_page(
    token: str, request: Request, pages: PagesDep, public: PublicRightsDep
) -> Response:
    """Every copy behind the link sent to the person (one per subject her contact names,
    each named in words), readable and printable, in the page's language (the link says
    the request's: `lang=`); each part's JSON beside it."""
    translate = translator(pages.templates)
    try:
        found = await public.copies(token, form="html")
    except ExportDestroyedError as gone:
        return pages.page(
            request, "vos-droits-fin.html", status_code=410, verdict="erased",
            message=translate(ERASED[gone.destroyed.asked]),
        )  # fmt: skip
    if not found:
        return pages.page(request, "vos-droits-fin.html", status_code=410, verdict="link")
    reader = Reader(translate, current().locale)
    french = reader.locale == formats.LOCALE
    parts = [
        {"export": document(export, reader), "title": copies.title(export, translate, french),
         "download": f"/vos-droits/export/{token}/donnees.json?partie={export['case_id']}"}
        for export in found
    ]  # fmt: skip
    return pages.page(request, "export.html", export=parts[0]["export"], parts=parts)


@router.get("/vos-droits/export/{token}/donnees.json")
async def export_json(
    token: str, request: Request, pages: PagesDep, public: PublicRightsDep, partie: str = ""
) -> Response:
    """One part of the copy as JSON: `partie` (its case), else the one an old link names;
    as the services hold it, but their staff (no name, no account's code: the page's words)."""
    try:
        found = await public.export(token, form="json", part=partie)
    except ExportDestroyedError as gone:
        detail = translator(pages.templates)(ERASED[gone.destroyed.asked])
        gone_body = {"code": "export-destroyed", "detail": detail}
        return JSONResponse(gone_body, status_code=410, headers={"Cache-Control": "no-store"})
    if found is None:
        return pages.page(request, "vos-droits-fin.html", status_code=410, verdict="link")
    headers = {
        "Content-Disposition": 'attachment; filename="mes-donnees-entraide.json"',
        "Cache-Control": "no-store",
    }
    hers = others.without_staff(found, translator(pages.templates))
    return JSONResponse(hers, headers=headers)
