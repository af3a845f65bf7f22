"""Staff sign in at the dev issuer; only tokens it signed for us, and in time, are accepted."""

import base64
import hashlib
import hmac
import json
import re
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse

from entraide.kit.auth import (
    SESSION_COOKIE,
    Principal,
    Role,
    api_principal,
    check_csrf,
    form_csrf,
    install_auth,
    page_principal,
    require_role,
)
from entraide.kit.principal import InvalidTokenError, TokenVerifier
from entraide.kit.settings import ServiceSettings
from entraide.kit.web import render, templates_for
from tests.auth_support import DevIssuer
from tests.infra import free_port
from tests.support import serving

TEMPLATES = templates_for("entraide.kit")


def tiny_app(settings: ServiceSettings) -> FastAPI:
    """An API route, a page, a DPO-only route and page, and a form guarded by CSRF."""
    app = FastAPI()
    install_auth(app, settings, TEMPLATES)

    @app.get("/api/v1/moi")
    async def me(principal: Annotated[Principal, Depends(api_principal)]) -> dict[str, Any]:
        return principal.model_dump(mode="json")

    @app.get("/familles")
    async def families(
        request: Request, principal: Annotated[Principal, Depends(page_principal)]
    ) -> HTMLResponse:
        return render(TEMPLATES, request, "base.html", {"principal": principal})

    @app.get("/api/v1/droits")
    @app.get("/droits")
    async def rights(principal: Annotated[Principal, Depends(require_role(Role.DPO))]) -> str:
        return principal.name

    @app.get("/note")
    async def note_form(
        request: Request, _: Annotated[Principal, Depends(page_principal)]
    ) -> PlainTextResponse:
        return PlainTextResponse(form_csrf(request))

    @app.post("/note", dependencies=[Depends(check_csrf)])
    async def note(
        _: Annotated[Principal, Depends(page_principal)], texte: Annotated[str, Form()]
    ) -> dict[str, str]:
        return {"texte": texte}

    return app


@pytest.fixture
async def client(dev_issuer: DevIssuer) -> AsyncIterator[httpx.AsyncClient]:
    settings = dev_issuer.settings_for(ServiceSettings(port=0, database="unused"))
    async with serving(tiny_app(settings), ready=False) as client:
        yield client


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def handmade(header: dict[str, Any], claims: dict[str, Any], sign: Any = None) -> str:
    """A JWT built by hand, for algorithms PyJWT rightly refuses to produce."""
    head = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    return f"{head}.{b64(sign(head.encode())) if sign else ''}"


async def test_issuer_token_is_accepted_as_bearer(client, dev_issuer) -> None:
    token = await dev_issuer.token_for("ppm-nantes")
    answer = await client.get("/api/v1/moi", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    assert answer.json() | {"subject": "-"} == {
        "subject": "-",
        "name": "Julien (PPM)",
        "role": "staff",
        "association_id": "parrains-par-mille",
        "territories": ["44"],
    }


async def test_api_without_token_answers_401_with_a_bearer_challenge(client) -> None:
    answer = await client.get("/api/v1/moi")
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.json() == {"detail": "Authentification requise."}


def forged_tokens(issuer: DevIssuer) -> dict[str, tuple[str, str]]:
    """Each case: a token, and why the verifier must refuse it."""
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = issuer.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    now = int(time.time())
    claims = issuer.claims("ppm-nantes")
    no_exp = {k: v for k, v in claims.items() if k != "exp"}
    return {
        "expired": (
            issuer.sign(claims | {"iat": now - 9 * 3600, "exp": now - 3600}),
            "ExpiredSignatureError",
        ),
        "wrong audience": (issuer.sign(claims | {"aud": "other"}), "InvalidAudienceError"),
        "wrong issuer": (issuer.sign(claims | {"iss": "http://evil"}), "InvalidIssuerError"),
        "no expiry": (issuer.sign(no_exp), "MissingRequiredClaimError"),
        "unknown role": (issuer.sign(claims | {"role": "admin"}), "invalid claims: role"),
        "another key, same kid": (issuer.sign(claims, key=other_key), "InvalidSignatureError"),
        "another key, own kid": (
            jwt.encode(claims, other_key, algorithm="RS256", headers={"kid": "forged"}),
            "PyJWKClientError",
        ),
        "alg none": (handmade({"alg": "none", "kid": issuer.kid}, claims), "InvalidAlgorithmError"),
        "HS256 keyed with the public key": (
            handmade(
                {"alg": "HS256", "kid": issuer.kid},
                claims,
                lambda data: hmac.new(public_pem, data, hashlib.sha256).digest(),
            ),
            "InvalidAlgorithmError",
        ),
        "garbage": ("not-a-token", "DecodeError"),
    }


async def test_forged_expired_or_foreign_tokens_are_refused(client, dev_issuer) -> None:
    for case, (token, _) in forged_tokens(dev_issuer).items():
        answer = await client.get("/api/v1/moi", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 401, case
        assert answer.json() == {"detail": "Jeton invalide ou expiré."}, case


async def test_each_forged_token_is_refused_for_its_own_reason(dev_issuer) -> None:
    settings = dev_issuer.auth_settings()
    verifier = TokenVerifier(
        issuer=settings["auth_issuer"],
        audience=settings["auth_audience"],
        jwks_url=settings["auth_jwks_url"],
    )
    for case, (token, reason) in forged_tokens(dev_issuer).items():
        with pytest.raises(InvalidTokenError) as refused:
            await verifier.verify(token)
        assert str(refused.value) == reason, case


async def test_page_without_session_redirects_to_sign_in_and_back(client) -> None:
    answer = await client.get("/familles?page=2")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/connexion?suivant=%2Ffamilles%3Fpage%3D2"


async def test_sign_in_page_lists_the_demo_accounts(client) -> None:
    page = await client.get("/connexion?suivant=/familles")
    assert page.status_code == 200
    assert 'name="suivant" value="/familles"' in page.text
    assert "ppm-nantes" in page.text
    assert "Délégué à la protection des données" in page.text


async def test_sign_in_sets_the_session_cookie_then_pages_show_the_name(client) -> None:
    form = {"identifiant": "ppm-nantes", "mot_de_passe": "demo", "suivant": "/familles"}
    answer = await client.post("/connexion", data=form)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/familles"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/" in cookie
    max_age = int(re.search(r"Max-Age=(\d+)", cookie).group(1))  # type: ignore[union-attr]
    assert 8 * 3600 - 60 < max_age <= 8 * 3600
    page = await client.get("/familles")
    assert page.status_code == 200
    assert "Julien (PPM) — Équipe" in page.text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
async def test_sign_in_never_sends_people_to_another_site(client, target) -> None:
    form = {"identifiant": "ppm-nantes", "mot_de_passe": "demo", "suivant": target}
    answer = await client.post("/connexion", data=form)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"
    page = await client.get("/connexion", params={"suivant": target})
    assert 'name="suivant" value="/"' in page.text


async def test_wrong_password_shows_the_form_again_naming_the_field(client) -> None:
    form = {"identifiant": "ppm-nantes", "mot_de_passe": "pas-le-bon", "suivant": "/"}
    answer = await client.post("/connexion", data=form)
    assert answer.status_code == 401
    assert "set-cookie" not in answer.headers
    assert 'id="mot_de_passe-erreur"' in answer.text
    assert "Identifiant ou mot de passe incorrect." in answer.text
    assert 'value="ppm-nantes"' in answer.text
    assert "pas-le-bon" not in answer.text


async def test_sign_out_clears_the_session(client, dev_issuer) -> None:
    await dev_issuer.sign_in(client, "afev-lille")
    assert (await client.get("/familles")).status_code == 200
    answer = await client.post("/deconnexion")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/connexion"
    assert re.match(rf'{SESSION_COOKIE}=""; .*Max-Age=0', answer.headers["set-cookie"])
    assert (await client.get("/familles")).status_code == 303


async def test_an_invalid_session_cookie_sends_back_to_sign_in_and_is_cleared(client) -> None:
    client.cookies.set(SESSION_COOKIE, "expired-or-forged")
    answer = await client.get("/familles")
    assert answer.status_code == 303
    assert "Max-Age=0" in answer.headers["set-cookie"]


async def test_a_role_outside_the_allowed_ones_is_forbidden(client, dev_issuer) -> None:
    await dev_issuer.sign_in(client, "coordination-ppm")
    api = await client.get("/api/v1/droits")
    assert api.status_code == 403
    assert api.json() == {"detail": "Votre rôle ne donne pas accès à cette page."}
    page = await client.get("/droits")
    assert page.status_code == 403
    assert "Accès refusé" in page.text
    assert "Sophie (PPM)" in page.text
    await dev_issuer.sign_in(client, "dpo")
    assert (await client.get("/droits")).json() == "Marc (DPO)"


async def test_forms_need_the_session_csrf_token(client, dev_issuer) -> None:
    await dev_issuer.sign_in(client, "centres-sociaux-nievre")
    token = (await client.get("/note")).text
    missing = await client.post("/note", data={"texte": "bonjour"})
    assert missing.status_code == 403
    assert "Ce formulaire a expiré" in missing.text
    wrong = await client.post("/note", data={"texte": "bonjour", "csrf": "0" * 64})
    assert wrong.status_code == 403
    right = await client.post("/note", data={"texte": "bonjour", "csrf": token})
    assert right.status_code == 200
    assert right.json() == {"texte": "bonjour"}  # the route still reads the form


async def test_in_production_sign_in_goes_to_the_configured_provider(dev_issuer) -> None:
    settings = dev_issuer.settings_for(ServiceSettings(port=0, database="unused"))
    login = "https://sso.example.org/oauth2/start"
    production = settings.model_copy(update={"auth_login_url": login})
    async with serving(tiny_app(production), ready=False) as client:
        assert (await client.get("/connexion")).headers["location"] == login
        form = {"identifiant": "ppm-nantes", "mot_de_passe": "demo"}
        answer = await client.post("/connexion", data=form)
        assert answer.headers["location"] == "/connexion"
        assert "set-cookie" not in answer.headers


async def test_an_unreachable_issuer_is_a_503_not_a_sign_out(dev_issuer) -> None:
    settings = dev_issuer.settings_for(ServiceSettings(port=0, database="unused"))
    token = await dev_issuer.token_for("dpo")
    closed = f"http://127.0.0.1:{free_port()}/.well-known/jwks.json"
    async with serving(
        tiny_app(settings.model_copy(update={"auth_jwks_url": closed})), ready=False
    ) as client:
        api = await client.get("/api/v1/moi", headers={"Authorization": f"Bearer {token}"})
        assert api.status_code == 503
        client.cookies.set(SESSION_COOKIE, token)
        page = await client.get("/familles")
        assert page.status_code == 503
        assert "Service indisponible" in page.text
