"""« Mon espace bénévole »: sign-in by a link sent by e-mail, then the volunteer's own page
(status in plain words, the supports under way, pause and resume, slots, languages and
skills, leaving).

The session is a cookie of its own (`entraide_benevole`), signed, naming the volunteer
alone: it opens nothing of the staff's. The link's GET shows a button and the POST opens
the session, so a mail scanner that follows links does not spend the link. The doors that
take an address or a link are rate-limited per client address.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from entraide.contracts import labels
from entraide.contracts.associations import IN_SENTENCE
from entraide.directory.domain.associations import ASSOCIATIONS
from entraide.directory.domain.records import ConflictError
from entraide.directory.domain.volunteers import access_links
from entraide.directory.domain.volunteers.rules import TransitionError
from entraide.directory.domain.volunteers.status_words import FOR_VOLUNTEER
from entraide.directory.domain.volunteers.volunteer import Volunteer
from entraide.directory.entrypoints.http.deps import PagesDep, VolunteerSpaceDep
from entraide.directory.entrypoints.http.labels import LANGUAGES, SLOTS
from entraide.directory.entrypoints.http.volunteers import space_words, supports
from entraide.directory.usecases.volunteer_space import Offered, VolunteerSpace
from entraide.kit import flash
from entraide.kit.auth import RefusedError
from entraide.kit.deps import provided
from entraide.kit.i18n import N_, public_language
from entraide.kit.protect import rate_limited
from entraide.kit.web import csrf_token, csrf_valid

router = APIRouter(include_in_schema=False, dependencies=[Depends(public_language)])
COOKIE = "entraide_benevole"
HOME = "/espace-benevole"
SKILLS = list(labels.SKILLS.items())


@dataclass(frozen=True)
class SpaceSession:
    """The volunteers' session cookie: signed with the service's session secret."""

    secret: bytes
    secure: bool

    def open(self, response: Response, volunteer_id: str) -> None:
        value = access_links.session_value(self.secret, volunteer_id, datetime.now(UTC))
        seconds = int(access_links.SESSION_VALIDITY.total_seconds())
        response.set_cookie(
            COOKIE, value, max_age=seconds, path=HOME, httponly=True, samesite="lax",
            secure=self.secure,
        )  # fmt: skip

    def close(self, response: Response) -> None:
        response.delete_cookie(COOKIE, path=HOME, httponly=True, samesite="lax", secure=self.secure)

    def volunteer(self, request: Request) -> str | None:
        value = request.cookies.get(COOKIE, "")
        return access_links.session_volunteer(self.secret, value, datetime.now(UTC))

    def csrf(self, request: Request) -> str:
        return csrf_token(self.secret, "benevole:" + request.cookies.get(COOKIE, ""))

    def check(self, request: Request, given: str) -> str:
        """The signed-in volunteer of a form post with its token; refused otherwise."""
        volunteer_id = self.volunteer(request)
        session = "benevole:" + request.cookies.get(COOKIE, "")
        if volunteer_id is None or not csrf_valid(self.secret, session, given):
            raise RefusedError(
                N_("Votre session a expiré : demandez un nouveau lien de connexion.")
            )
        return volunteer_id


SpaceDep = VolunteerSpaceDep
SessionDep = Annotated[SpaceSession, Depends(provided(SpaceSession))]
Csrf = Annotated[str, Form()]


@router.get(HOME, response_class=HTMLResponse)
async def space(
    request: Request, pages: PagesDep, space: SpaceDep, session: SessionDep
) -> Response:
    """The volunteer's space when signed in, else the form that sends the link; what they
    just did, if this service said it to them (`kit.flash`)."""
    volunteer_id = session.volunteer(request)
    volunteer = await space.get(volunteer_id) if volunteer_id else None
    if volunteer is None or volunteer.status not in access_links.MAY_SIGN_IN:
        response = pages.page(request, "espace-benevole-connexion.html", errors={}, form={})
        if volunteer_id:
            session.close(response)
        return response
    done = flash.said(request, f"benevole:{volunteer_id}").get("fait", "")
    return await _space(request, pages, session, space, volunteer, done=done)


async def _space(
    request: Request,
    pages: PagesDep,
    session: SpaceSession,
    space: VolunteerSpace,
    volunteer: Volunteer,
    *,
    done: str = "",
    flashes: list[dict[str, str]] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Their page; `done`: the change they just made (`space_words.DONE`)."""
    association = ASSOCIATIONS.get(volunteer.association_id)
    prospects = await space.prospects(volunteer)
    return pages.page(
        request,
        "espace-benevole.html",
        status_code=status_code,
        space_csrf=session.csrf(request),
        status=volunteer.status.value,
        status_word=FOR_VOLUNTEER[volunteer.status],
        status_sentence=space_words.STATUS_SENTENCES[volunteer.status],
        association=association.nom if association else "",
        # French says « auprès de l'UNAF »; the other languages take the name as it is
        association_in_sentence=IN_SENTENCE.get(volunteer.association_id, ""),
        slots=SLOTS,
        language_choices=LANGUAGES,
        skills=SKILLS,
        chosen_slots=[f"{s['day']}-{s['part']}" for s in volunteer.availability],
        chosen_languages=volunteer.languages,
        chosen_skills=volunteer.skills,
        supports=supports.shown(prospects.supports),
        at_capacity=prospects.at_capacity,
        check=prospects.check.value,
        check_lapsed=prospects.check_lapsed,
        check_valid_until=volunteer.honorability_valid_until,
        flashes=space_words.done(done, proposable=prospects.proposable) + (flashes or []),
        errors=errors or {},
    )


@router.post(f"{HOME}/lien", response_class=HTMLResponse, dependencies=[Depends(rate_limited)])
async def send_link(
    request: Request,
    pages: PagesDep,
    space: SpaceDep,
    background: BackgroundTasks,
    courriel: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """The same answer whether the address is a volunteer's or not, and as soon: the link
    is looked for and sent after the answer."""
    email = courriel.strip()
    if not email or "@" not in email or len(email) > 200:
        errors = {
            "courriel": N_("Indiquez votre adresse électronique, par exemple nom@exemple.fr.")
        }
        form = {"courriel": email[:200]}
        return pages.page(
            request, "espace-benevole-connexion.html", status_code=422, errors=errors, form=form
        )
    link_base, language = str(request.url_for("open_link_page")), request.state.language.code
    background.add_task(space.send_link, email, link_base, language)  # the page's language
    return pages.page(request, "espace-benevole-lien.html", sent=True)


@router.get(f"{HOME}/connexion", response_class=HTMLResponse, dependencies=[Depends(rate_limited)])
async def open_link_page(request: Request, pages: PagesDep, jeton: str = "") -> HTMLResponse:
    """The link's page: a button that opens the session (the link is spent by the POST)."""
    return pages.page(request, "espace-benevole-lien.html", sent=False, jeton=jeton[:100])


@router.post(f"{HOME}/connexion", dependencies=[Depends(rate_limited)])
async def open_link(
    request: Request,
    pages: PagesDep,
    space: SpaceDep,
    session: SessionDep,
    jeton: Annotated[str, Form()] = "",
) -> Response:
    volunteer_id = await space.sign_in(jeton)
    if volunteer_id is None:
        alert = N_(
            "Ce lien n'est plus valable (déjà utilisé, ou plus de 15 minutes) : demandez-en un autre."
        )
        return pages.page(
            request, "espace-benevole-connexion.html", status_code=400, errors={}, form={},
            alert=alert,
        )  # fmt: skip
    response = RedirectResponse(HOME, 303)
    session.open(response, volunteer_id)
    return response


@router.post(f"{HOME}/deconnexion")
async def sign_out(session: SessionDep) -> Response:
    response = RedirectResponse(HOME, 303)
    session.close(response)
    return response


async def _do(
    request: Request, pages: PagesDep, session: SpaceSession, space: VolunteerSpace,
    csrf: str, action: str, offered: Offered | None = None,
) -> Response:  # fmt: skip
    volunteer_id = session.check(request, csrf)
    try:
        if action == "pause":
            await space.pause(volunteer_id)
        elif action == "reprise":
            await space.resume(volunteer_id)
        elif offered is not None:
            await space.offer(volunteer_id, offered)
    except (TransitionError, ConflictError):
        volunteer = await space.get(volunteer_id)
        if volunteer is None:
            raise RefusedError(N_("Cette fiche n'existe plus."), status_code=404) from None
        alert = [{"level": "error", "text": N_("Ce changement n'est pas possible pour l'instant.")}]
        return await _space(
            request, pages, session, space, volunteer, flashes=alert, status_code=409
        )
    said = flash.signed(request, f"benevole:{volunteer_id}", fait=action)
    return RedirectResponse(f"{HOME}?{urlencode(said)}", 303)


@router.post(f"{HOME}/pause")
async def pause(
    request: Request, pages: PagesDep, space: SpaceDep, session: SessionDep, csrf: Csrf = ""
) -> Response:
    return await _do(request, pages, session, space, csrf, "pause")


@router.post(f"{HOME}/reprise")
async def resume(
    request: Request, pages: PagesDep, space: SpaceDep, session: SessionDep, csrf: Csrf = ""
) -> Response:
    return await _do(request, pages, session, space, csrf, "reprise")


@router.post(f"{HOME}/depart")
async def leave(
    request: Request,
    pages: PagesDep,
    space: SpaceDep,
    session: SessionDep,
    csrf: Csrf = "",
    confirmation: Annotated[str, Form()] = "",
) -> Response:
    """They leave: inactive at once, their data erased through privacy."""
    volunteer_id = session.check(request, csrf)
    volunteer = await space.get(volunteer_id)
    if volunteer is None:
        raise RefusedError(N_("Cette fiche n'existe plus."), status_code=404)
    if confirmation != "oui":
        errors = {"confirmation": "Cochez la case pour confirmer votre départ."}
        return await _space(
            request, pages, session, space, volunteer, errors=errors, status_code=422
        )
    try:
        await space.leave(volunteer_id)
    except (TransitionError, ConflictError):
        alert = [{"level": "error", "text": "Votre départ n'a pas pu être enregistré : réessayez."}]
        return await _space(
            request, pages, session, space, volunteer, flashes=alert, status_code=409
        )
    response = pages.page(request, "espace-benevole-depart.html")
    session.close(response)
    return response


@router.post(f"{HOME}/offre")
async def offer(
    request: Request, pages: PagesDep, space: SpaceDep, session: SessionDep
) -> Response:
    raw = await request.form()
    csrf = str(raw.get("csrf", ""))
    volunteer_id = session.check(request, csrf)
    slots = [str(v) for v in raw.getlist("slots") if str(v) in labels.SLOTS]
    languages = [str(v) for v in raw.getlist("langues") if str(v) in labels.LANGUAGES]
    skills = [str(v) for v in raw.getlist("savoir_faire") if str(v) in labels.SKILLS]
    errors: dict[str, str] = {}
    if not slots:
        errors["slots"] = "Choisissez au moins un moment où vous êtes disponible."
    if not languages:
        errors["langues"] = "Choisissez au moins une langue."
    if errors:
        volunteer = await space.get(volunteer_id)
        if volunteer is None:
            raise RefusedError(N_("Cette fiche n'existe plus."), status_code=404)
        return await _space(
            request, pages, session, space, volunteer, errors=errors, status_code=422
        )
    availability = [dict(zip(("day", "part"), s.split("-"), strict=True)) for s in slots]
    offered = Offered(availability, languages, skills)
    return await _do(request, pages, session, space, csrf, "offre", offered)
