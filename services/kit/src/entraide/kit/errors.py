"""Error answers for the one who asked: JSON under /api and /internal (the key vault), a page in
French elsewhere.

FastAPI answers an HTTPException or a malformed parameter in JSON and in English. A person
who follows a link to a withdrawn offer, edits an address by hand or sends a form too often
gets instead a page saying what happened and what to do next, in the network's layout
(the same split as the 503 of `outages`). APIs, probes, metrics and static files keep
FastAPI's JSON.
"""

from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from entraide.kit.web import render

MACHINE_PATHS = ("/api", "/internal", "/healthz", "/readyz", "/metrics", "/docs", "/redoc",
                 "/openapi.json", "/asyncapi", "/static/")  # fmt: skip
HEADINGS = {
    400: "Demande incorrecte",
    401: "Connexion requise",
    403: "Accès refusé",
    404: "Page introuvable",
    405: "Action impossible ici",
    409: "Conflit",
    413: "Envoi trop volumineux",
    422: "Adresse incorrecte",
    429: "Trop de demandes",
    503: "Service indisponible",
}
MESSAGES = {
    404: "Cette page n'existe pas ou n'est plus en ligne. Vérifiez l'adresse, ou repartez "
    "de l'accueil.",
    405: "Cette adresse ne permet pas cette action.",
    413: "Le formulaire envoyé est trop volumineux.",
    429: "Trop de demandes sont arrivées de votre connexion en peu de temps. Attendez "
    "{seconds} puis réessayez : rien n'a été enregistré.",
    503: "Le service ne répond pas pour le moment. Rien n'a été enregistré ; réessayez dans "
    "quelques instants.",
}
OTHER = "La demande n'a pas pu aboutir."
WHERE = {"query": "l'adresse de la page", "path": "l'adresse de la page", "body": "le formulaire"}


def is_page(request: Request) -> bool:
    """Whether the route is a page read by a person (not an API, probe or asset)."""
    path = request.url.path
    return not any(path == p or path.startswith(p.rstrip("/") + "/") for p in MACHINE_PATHS)


def error_page(
    request: Request,
    status_code: int,
    message: str,
    *,
    heading: str | None = None,
    details: Iterable[str] = (),
    headers: Mapping[str, str] | None = None,
) -> Response | None:
    """The kit's error page, or None when the app has no templates (then JSON answers)."""
    auth = getattr(request.app.state, "auth", None)
    templates = getattr(auth, "templates", None) or getattr(request.app.state, "templates", None)
    if templates is None:
        return None
    context = {
        "heading": heading or HEADINGS.get(status_code, OTHER.rstrip(".")),
        "message": message,
        "details": list(details),
        "status_code": status_code,
        "principal": None,
    }
    page = render(templates, request, "page_erreur.html", context, status_code=status_code)
    page.headers.update(headers or {})
    return page


async def http_error(request: Request, exc: Exception) -> Response:
    """An HTTPException: a French page for pages, FastAPI's JSON for the rest."""
    assert isinstance(exc, HTTPException)
    if is_page(request):
        page = error_page(request, exc.status_code, _message(exc), headers=exc.headers)
        if page is not None:
            return page
    return await http_exception_handler(request, exc)


def invalid_page(request: Request, exc: RequestValidationError) -> Response | None:
    """A page's parameter that does not fit (`?rayon_km=abc`): 422 naming where it is."""
    details = []
    for err in exc.errors():
        where = WHERE.get(str(err["loc"][0]) if err["loc"] else "", "la demande")
        field = ".".join(str(part) for part in err["loc"][1:]) or "?"
        details.append(f"« {field} » dans {where} n'a pas la forme attendue.")
    message = (
        "Une valeur de la demande n'a pas la forme attendue, par exemple après une adresse "
        "modifiée à la main. Corrigez-la, ou repartez de l'accueil."
    )
    return error_page(request, 422, message, details=dict.fromkeys(details))


def _message(exc: HTTPException) -> str:
    """The page's text: the route's own French sentence when it gave one, else the status's."""
    detail: Any = exc.detail
    if isinstance(detail, str) and detail and detail != HTTPStatus(exc.status_code).phrase:
        return detail[0].upper() + detail[1:]
    text = MESSAGES.get(exc.status_code, OTHER)
    if "{seconds}" in text:
        wait = (exc.headers or {}).get("Retry-After", "")
        seconds = f"{wait} secondes" if wait.isdigit() and int(wait) > 1 else "un instant"
        text = text.format(seconds=seconds)
    return text
