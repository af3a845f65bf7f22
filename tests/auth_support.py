"""A real dev issuer for tests: tokens for the demo accounts, and settings that trust it.

PyJWKClient fetches the JWKS over real HTTP, so the issuer runs in uvicorn on a free
loopback port, in a background thread, for the whole session (`dev_issuer` fixture).
"""

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from entraide.kit.auth import SESSION_COOKIE
from entraide.kit.devissuer import (
    ACCOUNTS_BY_NAME,
    DEMO_PASSWORD,
    claims_for,
    create_app,
    public_jwk,
)
from entraide.kit.settings import ServiceSettings
from tests.infra import free_port
from tests.servers import serve_in_thread

S = TypeVar("S", bound=ServiceSettings)
AUDIENCE = "entraide"


@dataclass(frozen=True)
class DevIssuer:
    """A running dev issuer: its URL, its key (to forge tokens), and helpers."""

    url: str
    key: rsa.RSAPrivateKey
    kid: str

    async def token_for(self, username: str, password: str = DEMO_PASSWORD) -> str:
        """A token for a demo account, by the password grant, as /connexion gets it."""
        form = {"grant_type": "password", "username": username, "password": password}
        async with httpx.AsyncClient(base_url=self.url) as client:
            answer = await client.post("/token", data=form)
        answer.raise_for_status()
        token: str = answer.json()["access_token"]
        return token

    async def sign_in(self, client: httpx.AsyncClient, username: str) -> None:
        """Sign `client` in as a demo account through the app's own /connexion form."""
        form = {"identifiant": username, "mot_de_passe": DEMO_PASSWORD, "suivant": "/"}
        answer = await client.post("/connexion", data=form)
        assert answer.status_code == 303, f"sign-in as {username}: {answer.status_code}"
        assert SESSION_COOKIE in client.cookies

    def claims(self, username: str, **changes: Any) -> dict[str, Any]:
        """A demo account's claims as the issuer makes them, with `changes` applied."""
        claims = claims_for(ACCOUNTS_BY_NAME[username], issuer=self.url, audience=AUDIENCE)
        return claims | changes

    def sign(self, claims: dict[str, Any], key: rsa.RSAPrivateKey | None = None) -> str:
        """Sign arbitrary claims (with the issuer's key unless another is given)."""
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})

    def auth_settings(self) -> dict[str, Any]:
        """The ServiceSettings fields that make a service trust this issuer."""
        return {
            "auth_issuer": self.url,
            "auth_jwks_url": f"{self.url}/.well-known/jwks.json",
            "auth_audience": AUDIENCE,
            "auth_dev_token_url": f"{self.url}/token",
            "auth_login_url": None,
        }

    def settings_for(self, settings: S) -> S:
        """These service settings, pointed at this issuer."""
        return settings.model_copy(update=self.auth_settings())


@contextlib.contextmanager
def running_dev_issuer() -> Iterator[DevIssuer]:
    """Serve a dev issuer with a fresh key on a free loopback port until the block ends."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with serve_in_thread(create_app(key, url, AUDIENCE), name="dev-issuer", port=port):
        yield DevIssuer(url=url, key=key, kid=public_jwk(key)["kid"])
