"""The sign-in pages every service serves (/connexion, /deconnexion) and the session cookie.

Locally, /connexion exchanges a demo account's password at the dev issuer (OAuth2 password
grant) and keeps the token in an HttpOnly cookie. In production (`auth_login_url` set, or
`auth_dev_token_url` empty) it sends people to the OIDC provider or oauth2-proxy instead.
"""

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates

from entraide.contracts.associations import NAMES
from entraide.kit.deps import lookup
from entraide.kit.devissuer import DEMO_ACCOUNTS
from entraide.kit.homes import landing
from entraide.kit.principal import (
    ROLE_LABELS,
    InvalidTokenError,
    IssuerUnreachableError,
    Role,
    TokenVerifier,
)
from entraide.kit.settings import ServiceSettings
from entraide.kit.web import render

SESSION_COOKIE = "entraide_session"
CLIENT_ID = "entraide"
UNREACHABLE = "Le service d'authentification ne répond pas : réessayez dans un instant."
WRONG_CREDENTIALS = "Identifiant ou mot de passe incorrect."


@dataclass(frozen=True)
class AuthConfig:
    """What install_auth provides to the sign-in routes and the error pages (kit.deps)."""

    settings: ServiceSettings
    verifier: TokenVerifier
    templates: Jinja2Templates
    home_admits: frozenset[Role] = frozenset(Role)  # who this service's "/" lets in

    @property
    def dev_token_url(self) -> str | None:
        """The demo sign-in's token URL, unless a real sign-in is configured."""
        return None if self.settings.auth_login_url else self.settings.auth_dev_token_url


def auth_config(request: Request) -> AuthConfig:
    return lookup(request.app, AuthConfig)


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path on this site, never another site."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or "\\" in value or any(ord(c) < 0x20 for c in value):
        return "/"
    return value


router = APIRouter(include_in_schema=False)


@router.get("/connexion")
async def sign_in_page(request: Request, suivant: str = "/") -> Response:
    config = auth_config(request)
    if config.dev_token_url is None:
        if config.settings.auth_login_url:
            return RedirectResponse(config.settings.auth_login_url, 303)
        context = {"heading": "Connexion", "message": "La connexion n'est pas configurée."}
        return render(config.templates, request, "interdit.html", context, status_code=503)
    return _form(request, safe_next(suivant))


@router.post("/connexion")
async def sign_in(
    request: Request,
    identifiant: str = Form(""),
    mot_de_passe: str = Form(""),
    suivant: str = Form("/"),
) -> Response:
    config = auth_config(request)
    if config.dev_token_url is None:
        return RedirectResponse("/connexion", 303)
    username, suivant = identifiant.strip(), safe_next(suivant)
    errors = {}
    if not username:
        errors["identifiant"] = "Indiquez votre identifiant."
    if not mot_de_passe:
        errors["mot_de_passe"] = "Indiquez votre mot de passe."
    if errors:
        return _form(request, suivant, username, errors=errors, status_code=400)
    try:
        token = await _password_grant(config.dev_token_url, username, mot_de_passe)
        verified = await config.verifier.verify(token) if token else None
    except (httpx.HTTPError, ValueError, IssuerUnreachableError, InvalidTokenError):
        return _form(request, suivant, username, alert=UNREACHABLE, status_code=503)
    if token is None or verified is None:
        errors["mot_de_passe"] = WRONG_CREDENTIALS
        return _form(request, suivant, username, errors=errors, status_code=401)
    routes = request.app.router.routes  # a page they would be refused sends them home
    there = landing(
        verified.principal, suivant, routes, settings=config.settings, admitted=config.home_admits
    )
    response = RedirectResponse(there, 303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
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
    clear_session(response, auth_config(request).settings)
    return response


def clear_session(response: Response, settings: ServiceSettings) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.session_cookie_secure,
    )


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
        raise ValueError("no access_token in the issuer's answer")
    return token


def _form(
    request: Request,
    suivant: str,
    identifiant: str = "",
    *,
    errors: dict[str, str] | None = None,
    alert: str | None = None,
    status_code: int = 200,
) -> Response:
    """The sign-in form, with the demo accounts (this page exists only in local mode)."""
    accounts = [
        {**a.public(), "role_label": ROLE_LABELS[a.role]}
        | {"association": NAMES.get(a.association or "", a.association)}
        for a in DEMO_ACCOUNTS
    ]
    context = {
        "suivant": suivant,
        "identifiant": identifiant,
        "errors": errors or {},
        "alert": alert,
        "accounts": accounts,
    }
    templates = auth_config(request).templates
    return render(templates, request, "connexion.html", context, status_code=status_code)
