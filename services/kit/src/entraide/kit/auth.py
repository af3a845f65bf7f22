"""Staff sign-in for every service: who is calling, with which role, and CSRF for forms.

A request carries a token from the configured issuer, as `Authorization: Bearer` (API
clients) or in the `entraide_session` cookie (pages). A service calls `install_auth` and
declares what each route needs: `api_principal`, `page_principal`, `require_role(...)`,
and `check_csrf` on form posts (the form gets its token from `form_csrf`).
"""

import functools
import logging
from collections.abc import Awaitable, Callable, Collection, Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from entraide.kit import network
from entraide.kit.deps import provide
from entraide.kit.errors import translator
from entraide.kit.homes import home_link
from entraide.kit.i18n import N_
from entraide.kit.keyvault_client import ServiceTokenError, verify_service_token
from entraide.kit.principal import (
    InvalidTokenError,
    IssuerUnreachableError,
    Principal,
    Role,
    TokenVerifier,
)
from entraide.kit.settings import DEV_SESSION_SECRET, ServiceSettings
from entraide.kit.signin import (
    SESSION_COOKIE,
    UNREACHABLE,
    AuthConfig,
    auth_config,
    clear_session,
    router,
    safe_next,
)
from entraide.kit.web import CSRF_FIELD, csrf_token, csrf_valid, render

__all__ = [
    "SESSION_COOKIE",
    "Principal",
    "RefusedError",
    "Role",
    "SignInRequired",
    "api_principal",
    "check_csrf",
    "form_csrf",
    "install_auth",
    "page_principal",
    "require_role",
    "safe_next",
]

log = logging.getLogger(__name__)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SignInRequired(Exception):  # noqa: N818 (the name others code against)
    """No valid session on a page: answered by a redirect to /connexion."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class RefusedError(Exception):
    """The request may not go on: JSON under /api, a French page elsewhere."""

    def __init__(
        self,
        message: str,
        *,
        principal: Principal | None = None,
        status_code: int = 403,
        heading: str = "Accès refusé",
    ) -> None:
        super().__init__(message)
        self.message, self.principal = message, principal
        self.status_code, self.heading = status_code, heading


def _is_api(request: Request) -> bool:
    path: str = request.scope["path"]  # the URL's path, without parsing a URL for it
    return path == "/api" or path.startswith("/api/")


def _token(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(SESSION_COOKIE) or None


async def _principal(request: Request) -> Principal:
    """The verified principal, once per request; InvalidTokenError when there is none."""
    cached = request.scope.get("state", {}).get("principal")  # request.state's, no exception
    if isinstance(cached, Principal):
        return cached
    token = _token(request)
    if token is None:
        raise InvalidTokenError("missing")
    principal = (await auth_config(request).verifier.verify(token)).principal
    request.state.principal = principal
    return principal


async def api_principal(request: Request) -> Principal:
    """The caller of an API route; 401 without a valid token."""
    try:
        return await _principal(request)
    except InvalidTokenError as exc:
        missing = str(exc) == "missing"
        detail = "Authentification requise." if missing else "Jeton invalide ou expiré."
        raise HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"}) from None
    except IssuerUnreachableError:
        raise HTTPException(503, UNREACHABLE) from None


async def optional_principal(request: Request) -> Principal | None:
    """The person viewing a public page if signed in, else None: the header then offers to
    sign out rather than to sign in (see web.render)."""
    try:
        return await _principal(request)
    except (InvalidTokenError, IssuerUnreachableError):
        return None


async def page_principal(request: Request) -> Principal:
    """The person viewing a page; without a valid session, off to /connexion and back."""
    try:
        return await _principal(request)
    except InvalidTokenError:
        query = f"?{request.url.query}" if request.url.query else ""
        raise SignInRequired(request.url.path + query) from None
    except IssuerUnreachableError:
        raise RefusedError(UNREACHABLE, status_code=503, heading="Service indisponible") from None


class RoleCheck:
    """A dependency giving the principal if their role is one it `admits`, else 403. The
    roles are public so that sign-in can tell, without calling the route, whether the page
    it is about to open refuses them (kit.homes.landing)."""

    def __init__(self, roles: Collection[Role]) -> None:
        self.admits = frozenset(roles)

    async def __call__(self, request: Request) -> Principal:
        principal = await (api_principal if _is_api(request) else page_principal)(request)
        if principal.role not in self.admits:
            raise RefusedError("Votre rôle ne donne pas accès à cette page.", principal=principal)
        return principal


def require_role(*roles: Role) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency giving the principal if their role is one of `roles`, else 403."""
    return RoleCheck(roles)


def form_csrf(request: Request) -> str:
    """The CSRF token to put in this session's forms (`csrf_field` macro)."""
    secret = auth_config(request).settings.session_secret.get_secret_value().encode()
    return csrf_token(secret, request.cookies.get(SESSION_COOKIE, ""))


async def check_csrf(request: Request) -> None:
    """Refuse an unsafe request whose `csrf` form field does not match the session."""
    if request.method in SAFE_METHODS:
        return
    session = request.cookies.get(SESSION_COOKIE, "")
    given = (await request.form()).get(CSRF_FIELD)  # Starlette caches it for the route
    secret = auth_config(request).settings.session_secret.get_secret_value().encode()
    if not session or not isinstance(given, str) or not csrf_valid(secret, session, given):
        raise RefusedError(N_("Ce formulaire a expiré : rechargez la page et recommencez."))


def install_auth(
    app: FastAPI,
    settings: ServiceSettings,
    templates: Jinja2Templates,
    *,
    home_admits: Collection[Role] = tuple(Role),
) -> None:
    """Verify staff tokens on this app, and serve /connexion and /deconnexion. `home_admits`:
    the roles this service's "/" lets in; the others' « Retour à l'accueil » leads to their
    own service (kit.homes), never to a page that refuses them."""
    admitted = frozenset(home_admits)
    templates.env.globals["home_of"] = functools.partial(
        home_link, settings=settings, admitted=admitted
    )
    here = str(templates.env.globals["service_name"])  # set by web.templates_for
    templates.env.globals["network_menu"] = network.menu_of(settings, here)
    verifier = TokenVerifier(
        issuer=settings.auth_issuer,
        audience=settings.auth_audience,
        jwks_url=settings.auth_jwks_url,
    )
    config = AuthConfig(settings, verifier, templates, admitted)
    provide(app, config)
    app.add_exception_handler(SignInRequired, _to_sign_in)
    app.add_exception_handler(RefusedError, _refused)
    app.include_router(router)
    secret = settings.session_secret.get_secret_value()
    if config.dev_token_url is None and secret == DEV_SESSION_SECRET:
        log.warning("ENTRAIDE_SESSION_SECRET is the development default: set it in production")


async def _to_sign_in(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    response = RedirectResponse(f"/connexion?{urlencode({'suivant': exc.next_path})}", 303)
    if SESSION_COOKIE in request.cookies:  # expired or no longer valid
        clear_session(response, auth_config(request).settings)
    return response


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RefusedError)
    if _is_api(request):
        return JSONResponse({"detail": exc.message}, status_code=exc.status_code)
    _ = translator(request)  # a public route's refusal in its page's language
    context: dict[str, Any] = {"heading": _(exc.heading), "message": _(exc.message)}
    context |= {"principal": exc.principal}
    config = auth_config(request)
    viewer = exc.principal or getattr(request.state, "principal", None)
    if isinstance(viewer, Principal) and viewer.role not in config.home_admits:
        context["nav_links"] = []  # this service's menu: every entry would refuse them too
    templates = config.templates
    return render(templates, request, "interdit.html", context, status_code=exc.status_code)


def require_service_token(authorization: str, secrets: Mapping[str, str]) -> str:
    """The calling service's name, from an `Authorization: Bearer <service token>` signed
    with a secret it shares with us; 401 otherwise. Ask it in a dependency, so that a
    caller without a token is refused before its body is even read."""
    scheme, _, token = authorization.partition(" ")
    try:
        if scheme.lower() != "bearer":
            raise ServiceTokenError("missing")
        return verify_service_token(token.strip(), secrets)
    except ServiceTokenError:
        raise HTTPException(401, "Jeton de service absent ou invalide.") from None
