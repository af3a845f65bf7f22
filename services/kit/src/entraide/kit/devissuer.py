"""A local, OIDC-like token issuer with demo staff accounts, for development and tests only.

`python -m entraide.kit.devissuer` serves on 127.0.0.1:8001
(ENTRAIDE_DEVISSUER_PORT); it refuses any non-loopback address unless
ENTRAIDE_DEVISSUER_ALLOW=1. Its RSA key is made at start, or kept in
ENTRAIDE_DEVISSUER_KEY_FILE. Every demo account's password is `demo`.
"""

import base64
import hashlib
import hmac
import ipaddress
import json
import os
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Form
from fastapi.responses import JSONResponse

from entraide.kit.logs import configure_logging
from entraide.kit.principal import Role

TOKEN_SECONDS = 8 * 3600
DEMO_PASSWORD = "demo"
SUBJECTS = uuid.UUID("6f1c2d7e-5b0a-4c1e-9a53-0d1e2f3a4b5c")  # stable pseudonymous ids


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: Role
    association: str | None = None
    territories: tuple[str, ...] = ()

    @property
    def subject(self) -> str:
        return f"dev-{uuid.uuid5(SUBJECTS, self.username).hex[:16]}"

    def public(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "name": self.name,
            "role": self.role.value,
            "association": self.association,
            "territories": list(self.territories),
        }


S, C = Role.STAFF, Role.COORDINATOR
PPM, FP, GP = "parrains-par-mille", "france-parrainages", "grands-parrains"
FPE, CS = "fondation-pour-l-enfance", "centres-sociaux"
# (username, display name, role, association, territories): the one table of demo accounts
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = tuple(
    DemoAccount(*row)
    for row in [
        ("coordination-reseau", "Hélène (réseau)", Role.NETWORK, None, ()),
        ("dpo", "Marc (DPO)", Role.DPO, None, ()),
        ("financeur", "Nicolas (financeur public)", Role.FUNDER, None, ()),
        ("ppm-paris", "Claire (PPM)", S, PPM, ("75",)),
        ("ppm-nantes", "Julien (PPM)", S, PPM, ("44",)),
        ("coordination-ppm", "Sophie (PPM)", C, PPM, ("44", "75")),
        ("afev-lille", "Nadia (AFEV)", S, "afev", ("59",)),
        ("afev-seine-saint-denis", "Karim (AFEV)", S, "afev", ("93",)),
        ("coordination-afev", "Élodie (AFEV)", C, "afev", ("59", "93")),
        ("fp-seine-saint-denis", "Fatou (France Parrainages)", S, FP, ("93",)),
        ("fp-paris", "Hugo (France Parrainages)", S, FP, ("75",)),
        ("coordination-fp", "Inès (France Parrainages)", C, FP, ("75", "93")),
        ("gp-nantes", "Paul (Grands Parrains)", S, GP, ("44",)),
        ("coordination-gp", "Agathe (Grands Parrains)", C, GP, ("44",)),
        ("fpe-paris", "Yanis (Fondation pour l'Enfance)", S, FPE, ("75",)),
        ("coordination-fpe", "Chloé (Fondation pour l'Enfance)", C, FPE, ("75",)),
        ("unaf-nievre", "Samir (UNAF)", S, "unaf", ("58",)),
        ("unaf-lille", "Laure (UNAF)", S, "unaf", ("59",)),
        ("coordination-unaf", "Thomas (UNAF)", C, "unaf", ("58", "59")),
        ("centres-sociaux-nievre", "Léa (centres sociaux)", S, CS, ("58",)),
        ("centres-sociaux-seine-saint-denis", "Mehdi (centres sociaux)", S, CS, ("93",)),
        ("coordination-centres-sociaux", "Anne (centres sociaux)", C, CS, ("58", "93")),
    ]
)
ACCOUNTS_BY_NAME = {account.username: account for account in DEMO_ACCOUNTS}


def load_or_create_key(path: Path | None) -> rsa.RSAPrivateKey:
    """The signing key: read from `path` if it exists, else made (and kept there, mode 600)."""
    if path is not None and path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise SystemExit(f"{path} does not hold an RSA private key")
        return key
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
    return key


def public_jwk(key: rsa.RSAPrivateKey) -> dict[str, str]:
    """The public key as a JWK, its `kid` being the RFC 7638 thumbprint."""
    jwk: dict[str, str] = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    canonical = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).digest()
    kid = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    return {**jwk, "kid": kid, "use": "sig", "alg": "RS256"}


def claims_for(account: DemoAccount, *, issuer: str, audience: str) -> dict[str, Any]:
    """The claims of a token for this account, valid for TOKEN_SECONDS from now."""
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": audience,
        "sub": account.subject,
        "iat": now,
        "exp": now + TOKEN_SECONDS,
        "name": account.name,
        "role": account.role.value,
        "territories": list(account.territories),
    }
    return claims | ({"association": account.association} if account.association else {})


def create_app(key: rsa.RSAPrivateKey, issuer: str, audience: str = "entraide") -> FastAPI:
    """The issuer's endpoints: discovery, JWKS, password-grant tokens and the demo accounts."""
    app = FastAPI(title="Entraide dev issuer", version="0.1.0")
    jwk = public_jwk(key)

    @app.get("/.well-known/openid-configuration")
    async def discovery() -> dict[str, Any]:
        return {
            "issuer": issuer,
            "jwks_uri": f"{issuer}/.well-known/jwks.json",
            "token_endpoint": f"{issuer}/token",
            "grant_types_supported": ["password"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["none"],
        }

    @app.get("/.well-known/jwks.json")
    async def jwks() -> dict[str, Any]:
        return {"keys": [jwk]}

    @app.get("/comptes")
    async def accounts() -> list[dict[str, Any]]:
        return [account.public() for account in DEMO_ACCOUNTS]

    @app.post("/token")
    async def token(
        grant_type: str = Form(""), username: str = Form(""), password: str = Form("")
    ) -> JSONResponse:
        if grant_type != "password":
            return _oauth_error("unsupported_grant_type")
        account = ACCOUNTS_BY_NAME.get(username)
        if account is None or not hmac.compare_digest(password.encode(), DEMO_PASSWORD.encode()):
            return _oauth_error("invalid_grant")
        claims = claims_for(account, issuer=issuer, audience=audience)
        signed = jwt.encode(claims, key, algorithm="RS256", headers={"kid": jwk["kid"]})
        body = {"access_token": signed, "token_type": "Bearer", "expires_in": TOKEN_SECONDS}
        return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    return app


def _oauth_error(error: str) -> JSONResponse:
    """An RFC 6749 §5.2 error answer."""
    return JSONResponse({"error": error}, status_code=400, headers={"Cache-Control": "no-store"})


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main() -> None:
    host = os.environ.get("ENTRAIDE_DEVISSUER_HOST", "127.0.0.1")
    port = int(os.environ.get("ENTRAIDE_DEVISSUER_PORT", "8001"))
    # demo accounts with a known password must never be reachable from another machine
    if not loopback(host) and os.environ.get("ENTRAIDE_DEVISSUER_ALLOW") != "1":
        sys.exit(f"refusing to serve demo accounts on {host}: set ENTRAIDE_DEVISSUER_ALLOW=1")
    key_file = os.environ.get("ENTRAIDE_DEVISSUER_KEY_FILE")
    key = load_or_create_key(Path(key_file) if key_file else None)
    issuer = os.environ.get("ENTRAIDE_DEVISSUER_ISSUER", f"http://{host}:{port}")
    audience = os.environ.get("ENTRAIDE_DEVISSUER_AUDIENCE", "entraide")
    configure_logging(os.environ.get("ENTRAIDE_LOG_LEVEL", "INFO"), "devissuer")
    uvicorn.run(create_app(key, issuer, audience), host=host, port=port, log_config=None)


if __name__ == "__main__":
    main()
