"""Staff sign-in for every service: who is calling, with which role, and CSRF for forms.

A request carries a token from the configured issuer, as `Authorization: Bearer` (API
clients) or in the `entraide_session` cookie (pages). `install_auth` adds /connexion and
/deconnexion; in local mode /connexion exchanges a demo account's password at the dev
issuer, in production it sends people to the OIDC provider (`auth_login_url`).
"""

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import httpx
from fastapi import APIRouter, FastAPI, Form, HTTPException, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from entraide.contracts.kit.devissuer import DEMO_ACCOUNTS
from entraide.contracts.kit.principal import (
    ROLE_LABELS,
    InvalidTokenError,
    IssuerUnreachableError,
    Principal,
    Role,
    TokenVerifier,
)
from entraide.contracts.kit.settings import ServiceSettings
from entraide.contracts.kit.web import CSRF_FIELD, csrf_token, csrf_valid, render

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
]

SESSION_COOKIE = "entraide_session"
CLIENT_ID = "entraide"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class AuthConfig:
    settings: ServiceSettings
    verifier: TokenVerifier
    templates: Jinja2Templates


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


def _config(request: Request) -> AuthConfig:
    config: AuthConfig = request.app.state.auth
    return config


def _is_api(request: Request) -> bool:
    return request.url.path == "/api" or request.url.path.startswith("/api/")


def _token(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(SESSION_COOKIE) or None


async def _principal(request: Request) -> Principal:
    """The verified principal, once per request; InvalidTokenError when there is none."""
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    token = _token(request)
    if token is None:
        raise InvalidTokenError("missing")
    principal = (await _config(request).verifier.verify(token)).principal
    request.state.principal = principal
    return principal


UNREACHABLE = "Le service d'authentification ne répond pas : réessayez dans un instant."


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


async def page_principal(request: Request) -> Principal:
    """The person viewing a page; without a valid session, off to /connexion and back."""
    try:
        return await _principal(request)
    except InvalidTokenError:
        query = f"?{request.url.query}" if request.url.query else ""
        raise SignInRequired(request.url.path + query) from None
    except IssuerUnreachableError:
        raise RefusedError(UNREACHABLE, status_code=503, heading="Service indisponible") from None


def require_role(*roles: Role) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency giving the principal if their role is one of `roles`, else 403."""
    allowed = frozenset(roles)

    async def dependency(request: Request) -> Principal:
        principal = await (api_principal if _is_api(request) else page_principal)(request)
        if principal.role not in allowed:
            raise RefusedError("Votre rôle ne donne pas accès à cette page.", principal=principal)
        return principal

    return dependency


def form_csrf(request: Request) -> str:
    """The CSRF token to put in this session's forms (`csrf_field` macro)."""
    secret = _config(request).settings.session_secret.get_secret_value().encode()
    return csrf_token(secret, request.cookies.get(SESSION_COOKIE, ""))


async def check_csrf(request: Request) -> None:
    """Refuse an unsafe request whose `csrf` form field does not match the session."""
    if request.method in SAFE_METHODS:
        return
    session = request.cookies.get(SESSION_COOKIE, "")
    given = (await request.form()).get(CSRF_FIELD)  # Starlette caches it for the route
    secret = _config(request).settings.session_secret.get_secret_value().encode()
    if not session or not isinstance(given, str) or not csrf_valid(secret, session, given):
        raise RefusedError("Ce formulaire a expiré : rechargez la page et recommencez.")


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path on this site, never another site."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or "\\" in value or any(ord(c) < 0x20 for c in value):
        return "/"
    return value


def install_auth(app: FastAPI, settings: ServiceSettings, templates: Jinja2Templates) -> None:
    """Verify staff tokens on this app, and serve /connexion and /deconnexion."""
    verifier = TokenVerifier(
        issuer=settings.auth_issuer,
        audience=settings.auth_audience,
        jwks_url=settings.auth_jwks_url,
    )
    app.state.auth = AuthConfig(settings, verifier, templates)
    app.add_exception_handler(SignInRequired, _to_sign_in)
    app.add_exception_handler(RefusedError, _refused)
    app.include_router(_router())


async def _to_sign_in(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    response = RedirectResponse(f"/connexion?{urlencode({'suivant': exc.next_path})}", 303)
    if SESSION_COOKIE in request.cookies:  # expired or no longer valid
        _clear_session(response, _config(request).settings)
    return response


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RefusedError)
    if _is_api(request):
        return JSONResponse({"detail": exc.message}, status_code=exc.status_code)
    context = {"heading": exc.heading, "message": exc.message, "principal": exc.principal}
    templates = _config(request).templates
    return render(templates, request, "interdit.html", context, status_code=exc.status_code)


def _router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/connexion")
    async def sign_in_page(request: Request, suivant: str = "/") -> Response:
        settings = _config(request).settings
        if settings.auth_dev_token_url is None:
            if settings.auth_login_url:
                return RedirectResponse(settings.auth_login_url, 303)
            raise RefusedError(
                "La connexion n'est pas configurée.", status_code=503, heading="Connexion"
            )
        return _sign_in_form(request, suivant=safe_next(suivant))

    @router.post("/connexion")
    async def sign_in(
        request: Request,
        identifiant: str = Form(""),
        mot_de_passe: str = Form(""),
        suivant: str = Form("/"),
    ) -> Response:
        config = _config(request)
        token_url = config.settings.auth_dev_token_url
        if token_url is None:
            return RedirectResponse("/connexion", 303)
        username, suivant = identifiant.strip(), safe_next(suivant)
        errors = {}
        if not username:
            errors["identifiant"] = "Indiquez votre identifiant."
        if not mot_de_passe:
            errors["mot_de_passe"] = "Indiquez votre mot de passe."
        if errors:
            return _sign_in_form(request, suivant, username, errors=errors, status_code=400)
        try:
            token = await _password_grant(token_url, username, mot_de_passe)
            verified = await config.verifier.verify(token) if token else None
        except (httpx.HTTPError, ValueError, IssuerUnreachableError, InvalidTokenError):
            return _sign_in_form(request, suivant, username, alert=UNREACHABLE, status_code=503)
        if verified is None:
            errors["mot_de_passe"] = "Identifiant ou mot de passe incorrect."
            return _sign_in_form(request, suivant, username, errors=errors, status_code=401)
        response = RedirectResponse(suivant, 303)
        response.set_cookie(
            SESSION_COOKIE,
            token or "",
            max_age=max(0, verified.expires_at - int(time.time())),
            path="/",
            httponly=True,
            samesite="lax",
            secure=config.settings.session_cookie_secure,
        )
        return response

    @router.post("/deconnexion")
    async def sign_out(request: Request) -> Response:
        response = RedirectResponse("/connexion", 303)
        _clear_session(response, _config(request).settings)
        return response

    return router


async def _password_grant(token_url: str, username: str, password: str) -> str | None:
    """The dev issuer's token for these credentials, or None when they are wrong."""
    form = {"grant_type": "password", "username": username, "password": password}
    async with httpx.AsyncClient(timeout=5) as client:
        answer = await client.post(token_url, data=form | {"client_id": CLIENT_ID})
    if answer.status_code == 400 and answer.json().get("error") == "invalid_grant":
        return None
    answer.raise_for_status()
    token = answer.json().get("access_token")
    if not isinstance(token, str):
        raise httpx.HTTPError("no access_token in the issuer's answer")
    return token


def _sign_in_form(
    request: Request,
    suivant: str,
    identifiant: str = "",
    *,
    errors: dict[str, str] | None = None,
    alert: str | None = None,
    status_code: int = 200,
) -> Response:
    accounts = [
        {**account.public(), "role_label": ROLE_LABELS[account.role]} for account in DEMO_ACCOUNTS
    ]
    context = {
        "suivant": suivant,
        "identifiant": identifiant,
        "errors": errors or {},
        "alert": alert,
        "accounts": accounts,
    }
    templates = _config(request).templates
    return render(templates, request, "connexion.html", context, status_code=status_code)


def _clear_session(response: Response, settings: ServiceSettings) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.session_cookie_secure,
    )
