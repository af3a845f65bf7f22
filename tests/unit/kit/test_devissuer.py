"""The dev issuer: discovery, keys, password-grant tokens, and where it agrees to run."""

from collections.abc import AsyncIterator

import httpx
import jwt
import pytest

from entraide.kit import devissuer
from entraide.kit.devissuer import create_app, load_or_create_key

ISSUER = "http://127.0.0.1:8001"


@pytest.fixture(scope="module")
def key():
    return load_or_create_key(None)


@pytest.fixture
async def issuer(key) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(key, ISSUER))
    async with httpx.AsyncClient(transport=transport, base_url=ISSUER) as client:
        yield client


async def test_discovery_names_the_keys_and_the_token_endpoint(issuer) -> None:
    found = (await issuer.get("/.well-known/openid-configuration")).json()
    assert found["issuer"] == ISSUER
    assert found["jwks_uri"] == f"{ISSUER}/.well-known/jwks.json"
    assert found["token_endpoint"] == f"{ISSUER}/token"
    keys = (await issuer.get("/.well-known/jwks.json")).json()["keys"]
    assert [(k["kty"], k["alg"], k["use"]) for k in keys] == [("RSA", "RS256", "sig")]
    assert "d" not in keys[0]  # the public half only


async def test_a_demo_account_gets_an_eight_hour_token(issuer, key) -> None:
    form = {"grant_type": "password", "username": "coordination-ppm", "password": "demo"}
    answer = await issuer.post("/token", data=form)
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 8 * 3600
    claims = jwt.decode(
        body["access_token"], key.public_key(), algorithms=["RS256"], audience="entraide"
    )
    assert claims["role"] == "coordinator"
    assert claims["association"] == "parrains-par-mille"
    assert claims["territories"] == ["44", "75"]
    assert claims["exp"] - claims["iat"] == 8 * 3600


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"grant_type": "password", "username": "dpo", "password": "nope"}, "invalid_grant"),
        ({"grant_type": "password", "username": "personne", "password": "demo"}, "invalid_grant"),
        ({"grant_type": "client_credentials"}, "unsupported_grant_type"),
    ],
)
async def test_wrong_credentials_are_an_oauth_error(issuer, form, error) -> None:
    answer = await issuer.post("/token", data=form)
    assert answer.status_code == 400
    assert answer.json() == {"error": error}


async def test_accounts_are_listed_without_passwords(issuer) -> None:
    accounts = (await issuer.get("/comptes")).json()
    names = {a["username"] for a in accounts}
    assert {"coordination-reseau", "dpo", "ppm-nantes", "ppm-paris", "afev-lille"} <= names
    assert {"centres-sociaux-nievre", "fp-seine-saint-denis", "coordination-ppm"} <= names
    assert all("password" not in a for a in accounts)


def test_the_key_is_kept_between_runs(tmp_path) -> None:
    path = tmp_path / "devissuer" / "key.pem"
    first = load_or_create_key(path)
    assert path.stat().st_mode & 0o077 == 0
    assert load_or_create_key(path).private_numbers() == first.private_numbers()


def test_it_refuses_to_serve_beyond_loopback(monkeypatch) -> None:
    monkeypatch.setenv("ENTRAIDE_DEVISSUER_HOST", "0.0.0.0")
    monkeypatch.delenv("ENTRAIDE_DEVISSUER_ALLOW", raising=False)
    with pytest.raises(SystemExit, match="ENTRAIDE_DEVISSUER_ALLOW"):
        devissuer.main()
    assert devissuer.loopback("::1")
    assert devissuer.loopback("localhost")
    assert not devissuer.loopback("192.168.1.10")
