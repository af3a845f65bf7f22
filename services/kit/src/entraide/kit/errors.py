"""Error answers for the one who asked: JSON under /api and /internal (the key vault), a page
elsewhere: in French, or on a public page in the visitor's language (kit/i18n.py).

FastAPI answers an HTTPException or a malformed parameter in JSON and in English. A person
who follows a link to a withdrawn offer, edits an address by hand or sends a form too often
gets instead a page saying what happened and what to do next, in the network's layout
(the same split as the 503 of `outages`). APIs, probes, metrics and static files keep
FastAPI's JSON. A public route (one that depends on `public_language`) answers its errors in
the language of its page: the texts below are French messages of the kit's catalogs, and a
route's own sentence is looked up in the service's; staff routes stay French.
"""

from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException

from entraide.kit import i18n
from entraide.kit.deps import lookup_optional
from entraide.kit.i18n import N_
from entraide.kit.signin import AuthConfig
from entraide.kit.web import render

MACHINE_PATHS = ("/api", "/internal", "/healthz", "/readyz", "/metrics", "/docs", "/redoc",
                 "/openapi.json", "/asyncapi", "/static/")  # fmt: skip
HEADINGS = {
    400: N_("Demande incorrecte"),
    401: N_("Connexion requise"),
    403: N_("Accès refusé"),
    404: N_("Page introuvable"),
    405: N_("Action impossible ici"),
    409: N_("Conflit"),
    413: N_("Envoi trop volumineux"),
    422: N_("Adresse incorrecte"),
    429: N_("Trop de demandes"),
    500: N_("Erreur inattendue"),
    503: N_("Service indisponible"),
}
MESSAGES = {
    404: N_(
        "Cette page n'existe pas ou n'est plus en ligne. Vérifiez l'adresse, ou repartez "
        "de l'accueil."
    ),
    405: N_("Cette adresse ne permet pas cette action."),
    413: N_("Le formulaire envoyé est trop volumineux."),
    429: N_(
        "Trop de demandes sont arrivées de votre connexion en peu de temps. Attendez "
        "%(wait)s puis réessayez : rien n'a été enregistré."
    ),
    500: N_(
        "Une erreur inattendue est survenue de notre côté. Réessayez dans quelques instants ; "
        "si elle revient, réessayez plus tard."
    ),
    503: N_(
        "Le service ne répond pas pour le moment. Rien n'a été enregistré ; réessayez dans "
        "quelques instants."
    ),
}
# an API's 500: no exception's text (it may hold what a person sent)
SERVER_ERROR = "Erreur interne du service : réessayez plus tard."
OTHER = N_("La demande n'a pas pu aboutir.")
OTHER_HEADING = N_("La demande n'a pas pu aboutir")
# how long to wait, from Retry-After (always 2 or more: French's plural)
SECONDS = N_("%(count)s secondes")
MINUTES = N_("%(count)s minutes")
A_MOMENT = N_("un instant")
PAGE_ADDRESS = N_("l'adresse de la page")
WHERE = {"query": PAGE_ADDRESS, "path": PAGE_ADDRESS, "body": N_("le formulaire")}
ELSEWHERE = N_("la demande")
MISFIT = N_("« %(field)s » dans %(where)s n'a pas la forme attendue.")
INVALID = N_(
    "Une valeur de la demande n'a pas la forme attendue, par exemple après une adresse "
    "modifiée à la main. Corrigez-la, ou repartez de l'accueil."
)


def is_page(request: Request) -> bool:
    """Whether the route is a page read by a person (not an API, probe or asset)."""
    path = request.url.path
    return not any(path == p or path.startswith(p.rstrip("/") + "/") for p in MACHINE_PATHS)


def templates_of(request: Request) -> Any:
    """The app's templates (the service's pages and catalogs), or None for an API alone."""
    auth = lookup_optional(request.app, AuthConfig)
    return auth.templates if auth is not None else None


def translator(request: Request) -> Callable[[str], str]:
    """What an error's texts are said with: the service's catalogs in the language of the
    public route (`i18n.speak`), so French on a staff page or a route that has none."""
    i18n.speak(request)
    templates = templates_of(request)
    catalogs = templates.env.globals.get("catalogs") if templates is not None else None
    if catalogs is None:
        return str
    return lambda message: catalogs.gettext(message) if message else message


def error_page(
    request: Request,
    status_code: int,
    message: str,
    *,
    heading: str | None = None,
    details: Iterable[str] = (),
    headers: Mapping[str, str] | None = None,
) -> Response | None:
    """The kit's error page, or None when the app has no templates (then JSON answers). The
    heading, message and details are French messages (or already translated): the page
    says them in the visitor's language where a catalog has them."""
    templates = templates_of(request)
    if templates is None:
        return None
    _ = translator(request)
    context = {
        "heading": _(heading or HEADINGS.get(status_code, OTHER_HEADING)),
        "message": _(message),
        "details": [_(detail) for detail in details],
        "status_code": status_code,
        "principal": None,
    }
    page = render(templates, request, "page_erreur.html", context, status_code=status_code)
    page.headers.update(headers or {})
    return page


async def http_error(request: Request, exc: Exception) -> Response:
    """An HTTPException: a page for pages (French, or the public page's language), FastAPI's
    JSON for the rest."""
    assert isinstance(exc, HTTPException)
    if is_page(request):
        page = error_page(request, exc.status_code, _message(request, exc), headers=exc.headers)
        if page is not None:
            return page
    return await http_exception_handler(request, exc)


async def server_error(request: Request, exc: Exception) -> Response:
    """A failure no route expected: the network's page in French for pages, JSON for the
    rest, saying nothing of the exception (the server still logs it, without the person's
    data: `kit.logs`). A page that cannot be drawn falls back to plain French text."""
    if is_page(request):
        try:
            page = error_page(request, 500, MESSAGES[500])
        except Exception:  # the layout itself failed: still a sentence, not a traceback
            page = PlainTextResponse(str(MESSAGES[500]), status_code=500)
        if page is not None:
            return page
    return JSONResponse({"detail": SERVER_ERROR}, status_code=500)


def invalid_page(request: Request, exc: RequestValidationError) -> Response | None:
    """A page's parameter that does not fit (`?rayon_km=abc`): 422 naming where it is."""
    _ = translator(request)
    details = []
    for err in exc.errors():
        where = WHERE.get(str(err["loc"][0]) if err["loc"] else "", ELSEWHERE)
        field = ".".join(str(part) for part in err["loc"][1:]) or "?"
        details.append(_(MISFIT) % {"field": field, "where": _(where)})
    return error_page(request, 422, INVALID, details=dict.fromkeys(details))


def _message(request: Request, exc: HTTPException) -> str:
    """The page's text: the route's own sentence when it gave one (translated where the
    service's catalog has it), else the status's."""
    _ = translator(request)
    detail: Any = exc.detail
    if isinstance(detail, str) and detail and detail != HTTPStatus(exc.status_code).phrase:
        text = _(detail)
        return text[0].upper() + text[1:]
    text = _(MESSAGES.get(exc.status_code, OTHER))
    if exc.status_code == 429:
        text = text % {"wait": _wait(_, (exc.headers or {}).get("Retry-After", ""))}
    return text


def _wait(_: Callable[[str], str], retry_after: str) -> str:
    """Retry-After in words: seconds up to two minutes, then minutes (rounded up)."""
    seconds = int(retry_after) if retry_after.isdigit() else 0
    if seconds < 2:
        return _(A_MOMENT)
    if seconds < 120:
        return _(SECONDS) % {"count": seconds}
    return _(MINUTES) % {"count": -(-seconds // 60)}
