"""Each signed-in person's home: where « Retour à l'accueil » and the header's logo lead them.

A service's "/" is not everyone's: intake's and matching's are casework, privacy's the DPO's
cases, the observatory's its readers'. A funder refused a casework page and sent to that "/"
was refused again. So a service names who its "/" admits (`install_auth`); anyone else goes
to their own service's pages: a funder to the observatory, the DPO to privacy, the others
(associations' staff, the network's coordination) to intake's casework.
"""

from collections.abc import Collection, Sequence
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.routing import RouteContext, iter_route_contexts
from starlette.routing import BaseRoute, Match

from entraide.kit.principal import Principal, Role
from entraide.kit.settings import ServiceSettings


def home_of(
    principal: Principal | None, settings: ServiceSettings, admitted: Collection[Role]
) -> str:
    """This service's "/" if its home admits `principal` (or nobody is signed in), else the
    home page of the service that is theirs."""
    if principal is None or principal.role in admitted:
        return "/"
    elsewhere = {Role.FUNDER: settings.observatory_url, Role.DPO: settings.privacy_url}
    return elsewhere.get(principal.role, settings.intake_url).rstrip("/") + "/"


def home_link(
    request: Request | None,
    principal: object = None,
    *,
    settings: ServiceSettings,
    admitted: Collection[Role],
) -> str:
    """The home (`home_of`) of `principal`, else of whoever this request was verified for:
    a template global, `home_of(request, principal)` (a template without a principal passes
    Jinja's Undefined)."""
    if not isinstance(principal, Principal) and request is not None:
        principal = getattr(request.state, "principal", None)
    return home_of(principal if isinstance(principal, Principal) else None, settings, admitted)


def landing(
    principal: Principal,
    wanted: str,
    routes: Sequence[BaseRoute],
    *,
    settings: ServiceSettings,
    admitted: Collection[Role],
) -> str:
    """Where signing in leads: the page `wanted`, unless it is this service's "/" (the
    default) or a page whose route refuses `principal`'s role: then their home. The routes
    are only looked at (their `require_role`), never called."""
    if wanted == "/" or principal.role not in _route_admits(routes, wanted):
        return home_of(principal, settings, admitted)
    return wanted


def _route_admits(routes: Sequence[BaseRoute], path: str) -> frozenset[Role]:
    """The roles the GET route of `path` admits: those every role check among its
    dependencies (an `admits` attribute: kit.auth.require_role) lets in; all without one."""
    admitted, pending = frozenset(Role), [getattr(_route_of(routes, path), "dependant", None)]
    while pending:
        dependant: Any = pending.pop()
        if dependant is not None:
            admitted &= getattr(dependant.call, "admits", admitted)
            pending.extend(dependant.dependencies)
    return admitted


def _route_of(routes: Sequence[BaseRoute], path: str) -> RouteContext | None:
    """The route a GET of `path` is served by. FastAPI (since 0.137) keeps an included router
    as one route; `iter_route_contexts` (0.137.2), its public way in, gives each route inside
    as included: matching under the inclusion's prefix, with the inclusion's dependencies."""
    scope = {"type": "http", "method": "GET", "path": urlsplit(path).path, "root_path": ""}
    found = (r for r in iter_route_contexts(routes) if r.matches(scope)[0] is Match.FULL)
    return next(found, None)


def origins(settings: ServiceSettings) -> list[str]:
    """Where a person's home may be (`scheme://host[:port]` of each): the origins a sign-in
    form's answer may send them to (`protect.page_csp`)."""
    urls = (settings.intake_url, settings.privacy_url, settings.observatory_url)
    return [f"{u.scheme}://{u.netloc}" for u in map(urlsplit, urls)]
