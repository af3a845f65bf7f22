"""The family's own door, public: « Demander de l'aide » and the status page « /suivi ».

No sign-in. Guarded without any third-party service: posts per address (the kit's
limiter, and this door's own, stricter) and requests per phone number or e-mail, all counted
in the store (every replica sees them); a hidden field and a minimum fill time signed into
the form; a duplicate is queued flagged, never refused blindly.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response

from entraide.contracts import labels as shared
from entraide.intake.domain.self_requests import reader_name, received_words
from entraide.intake.entrypoints.http import family_door_form as door_form
from entraide.intake.entrypoints.http import labels
from entraide.intake.entrypoints.http.deps import PagesDep
from entraide.intake.usecases.self_requests import ContactLimitError, FamilyDoor
from entraide.kit import messages
from entraide.kit.auth import optional_principal
from entraide.kit.deps import provided
from entraide.kit.i18n import N_, current, public_language, translator
from entraide.kit.protect import RateLimits, rate_limited

# public pages, in the language the parent asks for (kit/i18n.py; French first)
router = APIRouter(
    include_in_schema=False,
    dependencies=[Depends(optional_principal), Depends(public_language)],
)
ASSOCIATIONS = dict(labels.ASSOCIATIONS)
CONTACT_LIMIT = N_(
    "Plusieurs demandes ont déjà été envoyées aujourd'hui avec ce numéro ou cette adresse "
    "e-mail. Elles seront toutes relues : inutile d'en envoyer une autre. Gardez le code de "
    "suivi reçu, ou réessayez demain."
)
AUTOMATED = N_(
    "Le formulaire a été envoyé trop vite ou a expiré. Relisez-le, puis envoyez-le de nouveau."
)


@dataclass(frozen=True)
class DoorLimits:
    """This door's limits per address (`limits` notation), counted in the store: every
    replica sees the same count (kit/buckets.py); in memory without one."""

    submissions: RateLimits
    lookups: RateLimits

    @classmethod
    def default(cls, limiter: Callable[[str], RateLimits] = RateLimits) -> "DoorLimits":
        """10 requests and 30 status lookups an hour per address, each limit's limiter made
        by `limiter` (the app's: `RateLimits.in_store`)."""
        return cls(limiter("10/hour"), limiter("30/hour"))


DoorDep = Annotated[FamilyDoor, Depends(provided(FamilyDoor))]
LimitsDep = Annotated[DoorLimits, Depends(provided(DoorLimits))]


@router.get("/demander-aide")
async def ask_for_help(
    request: Request, pages: PagesDep, door: DoorDep, association: str = "", offre: str = ""
) -> Response:
    values = door_form.values_of({"association_id": association, "offer_id": offre})
    return _form(request, pages, door, values, {})


@router.post(
    "/demander-aide",
    dependencies=[Depends(rate_limited)],
    responses={429: {"description": "Too many posts from this address (Retry-After)"}},
)
async def send_request(
    request: Request, pages: PagesDep, door: DoorDep, limits: LimitsDep
) -> Response:
    form = await request.form()
    values = door_form.values_of(form)
    parsed = door_form.parse(
        values, associations=ASSOCIATIONS, now=datetime.now(UTC), language=current().code
    )
    # field errors first, alone: « sent too fast » beside them said two things at once to a
    # person who only has fields to correct; her form comes back with a fresh start time, so
    # the corrected send passes the timing check. Nothing is recorded either way, and a
    # script's correct form still meets the check below.
    if parsed.submission is None:
        return _form(request, pages, door, parsed.values, parsed.errors, status_code=422)
    if door.automated(
        str(form.get(door_form.HONEYPOT) or ""),
        str(form.get(door_form.FORM_TOKEN) or ""),
        time.time(),
    ):
        return _form(request, pages, door, values, {}, notice=AUTOMATED, status_code=422)
    await _limit(limits.submissions, "demander-aide", request)
    try:
        received = await door.submit(parsed.submission, datetime.now(UTC))
    except ContactLimitError:
        return _form(request, pages, door, values, {}, notice=CONTACT_LIMIT, status_code=429)
    chosen = parsed.submission.association_id
    return pages.page(
        request,
        "demande_recue.html",
        code=received.code,
        explanation=received_words(chosen is not None),
        reader=_named(chosen),
    )


@router.get("/suivi")
async def status_form(request: Request, pages: PagesDep) -> Response:
    return pages.page(request, "suivi.html", status=None, error=None)


@router.post("/suivi")
async def status_page(
    request: Request, pages: PagesDep, door: DoorDep, limits: LimitsDep
) -> Response:
    """The code is posted, never in an address (it would sit in logs and histories)."""
    await _limit(limits.lookups, "suivi", request)
    code = str((await request.form()).get("code") or "")
    status = await door.status(code)
    if status is None:
        _ = translator(pages.templates)
        error = (
            _("Indiquez le code de suivi reçu après votre demande.")
            if not code.strip()
            else _(
                "Ce code ne correspond à aucune demande : vérifiez-le (16 lettres et chiffres, "
                "par exemple K7QD-9XRA-M3TE-HW2C)."
            )
            + " "
            + _(
                "Une demande dont les données ont été effacées (à votre demande, ou 3 ans après "
                "le dernier contact) n'a plus de suivi."
            )
        )
        return pages.page(request, "suivi.html", status=None, error=error, status_code=422)
    return pages.page(
        request, "suivi.html", status=status, reader=_named(status.chosen), error=None
    )


def _named(association_id: str | None) -> str | None:
    """An association's name as a sentence says it after « de »: with its article in
    French (« une personne de l'AFEV »), as it is in the other languages."""
    if not association_id:
        return None
    return reader_name(association_id, current().code)


async def _limit(limits: RateLimits, door: str, request: Request) -> None:
    client = request.client.host if request.client else "unknown"
    wait = await limits.admit(door, client)
    if wait is not None:
        raise HTTPException(
            429, detail={"code": "rate-limited"}, headers={"Retry-After": str(wait)}
        )


def _form(
    request: Request,
    pages: PagesDep,
    door: FamilyDoor,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    status_code: int = 200,
    notice: str | None = None,
) -> Response:
    association = values.get("association_id") or ""
    _ = translator(pages.templates)  # the page's language (intake's locales/)

    def translated(choices: dict[str, str]) -> dict[str, str]:
        return {value: _(text) for value, text in choices.items()}

    return pages.page(
        request,
        "demander_aide.html",
        status_code=status_code,
        values=values,
        errors={
            field: _(message)  # the kit's form macros isolate its figures (kit.directions)
            for field, message in messages.in_page_order(errors, door_form.PAGE_ORDER).items()
        },
        notice=_(notice) if notice else None,
        token=door.form_token(time.time()),
        association_name=ASSOCIATIONS.get(association),
        contact_choices=translated(door_form.CONTACT_CHOICES),
        need_choices=translated(shared.NEEDS),
        slot_choices=translated(shared.SLOTS),
        language_choices=translated(shared.LANGUAGES),
        spoken_by_default=door_form.spoken_by_default(current().code),
    )
