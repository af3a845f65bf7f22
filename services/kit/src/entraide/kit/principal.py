"""Who is signed in: the staff principal carried by a token, and how tokens are verified.

Tokens are JWTs from the configured issuer (an OIDC provider in production, the dev issuer
locally), checked against its JWKS: asymmetric algorithms only, issuer, audience, expiry.
"""

import asyncio
import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import jwt
from pydantic import BaseModel, Field, ValidationError, model_validator

log = logging.getLogger(__name__)

# Never "none" nor HS*: a symmetric algorithm would let anyone holding the public key sign.
ALGORITHMS = ("RS256", "ES256")
LEEWAY_SECONDS = 30
VERIFIED_MAX = 10_000
VERIFIED_SECONDS = 60  # a JWKS rotation is seen within a minute
DEPARTEMENT = re.compile(r"(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])\Z")


class Role(StrEnum):
    STAFF = "staff"
    COORDINATOR = "coordinator"
    NETWORK = "network-coordinator"
    DPO = "dpo"
    # public actors and funders: the observatory's anonymous indicators only, read-only
    FUNDER = "funder"


ROLE_LABELS = {
    Role.STAFF: "Équipe",
    Role.COORDINATOR: "Coordination de l'association",
    Role.NETWORK: "Coordination du réseau",
    Role.DPO: "Délégué à la protection des données",
    Role.FUNDER: "Acteurs publics et financeurs",
}
NETWORK_WIDE = frozenset({Role.NETWORK, Role.DPO})
# roles of no association; a funder is not network-wide: `covers` gives it no family
NO_ASSOCIATION = NETWORK_WIDE | {Role.FUNDER}


class Permission(StrEnum):
    """What only some roles may do, named so that each use can be audited."""

    # open a family's record to another association without the family's consent to
    # sharing (a child in danger, a vital interest): the network's coordination decides
    SHARE_WITHOUT_CONSENT = "share-without-consent"


PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.NETWORK: frozenset({Permission.SHARE_WITHOUT_CONSENT}),
}


class Principal(BaseModel, frozen=True):
    """A signed-in staff member: pseudonymous id, role, association and territories."""

    subject: str = Field(min_length=1, description="The token's `sub`.")
    name: str = Field(min_length=1)
    role: Role
    association_id: str | None = Field(None, min_length=1)
    territories: tuple[str, ...] = Field((), description="Départements; empty = all.")

    @model_validator(mode="after")
    def _consistent(self) -> "Principal":
        if self.role in NO_ASSOCIATION and self.association_id is not None:
            raise ValueError(f"a {self.role} belongs to no association")
        if self.role not in NO_ASSOCIATION and self.association_id is None:
            raise ValueError(f"a {self.role} belongs to an association")
        if any(not DEPARTEMENT.match(code) for code in self.territories):
            raise ValueError("territories are département codes")
        return self

    def may(self, permission: Permission) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    def covers(self, association_id: str | None, departement: str) -> bool:
        """Whether this person may see what an association holds in a département."""
        in_territory = not self.territories or departement in self.territories
        if self.role in NETWORK_WIDE:
            return in_territory
        return association_id is not None and association_id == self.association_id and in_territory


class InvalidTokenError(Exception):
    """The token is missing, malformed, badly signed, expired or not for us."""


class IssuerUnreachableError(Exception):
    """The issuer's JWKS could not be fetched: nobody can be verified right now."""


def principal_from_claims(claims: Mapping[str, Any]) -> Principal:
    """The principal a verified token describes; InvalidTokenError if its claims are not ours."""
    territories = claims.get("territories", [])
    if not isinstance(territories, list):
        raise InvalidTokenError("territories must be a list")
    try:
        return Principal(
            subject=claims.get("sub"),
            name=claims.get("name"),
            role=claims.get("role"),
            association_id=claims.get("association"),
            territories=tuple(territories),
        )
    except ValidationError as exc:
        fields = sorted({str(err["loc"][0]) if err["loc"] else "token" for err in exc.errors()})
        raise InvalidTokenError(f"invalid claims: {', '.join(fields)}") from None


@dataclass(frozen=True)
class Verified:
    principal: Principal
    expires_at: int


class TokenVerifier:
    """Checks tokens against the issuer's JWKS (cached; an unknown `kid` triggers a refetch)."""

    def __init__(self, *, issuer: str, audience: str, jwks_url: str) -> None:
        self.issuer = issuer
        self.audience = audience
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300, timeout=5)
        # tokens verified in the last minute (a staff member's next calls, a partner's batch),
        # with the monotonic time they are good until: a dict, not a cachetools TTLCache,
        # whose `get` (a timer, an expiry sweep) cost more than the rest of the check
        self._verified: dict[str, tuple[float, Verified]] = {}

    async def verify(self, token: str) -> Verified:
        """A token verified in the last minute is answered from memory until it expires; a
        new one is verified off the event loop (PyJWKClient fetches the JWKS synchronously)."""
        known = self._verified.get(token)
        if known is not None:
            until, verified = known
            if until > time.monotonic() and verified.expires_at > time.time() - LEEWAY_SECONDS:
                return verified
        verified = await asyncio.to_thread(self.verify_now, token)
        self._remember(token, verified)
        return verified

    def _remember(self, token: str, verified: Verified) -> None:
        """Keep `verified` for a minute; at `VERIFIED_MAX` tokens, the stale ones go, then
        the oldest. Each is kept for the same time and a re-verified one moves to the end,
        so the dict's order is their expiry's: the stale are at its front, no sweep of the
        rest (a copy of 10,000 entries per new token, once full)."""
        now = time.monotonic()
        self._verified.pop(token, None)  # re-verified: to the end, the newest
        remembered = self._verified
        while remembered:
            oldest = next(iter(remembered))
            if remembered[oldest][0] > now and len(remembered) < VERIFIED_MAX:
                break
            del remembered[oldest]
        remembered[token] = (now + VERIFIED_SECONDS, verified)

    def verify_now(self, token: str) -> Verified:
        try:
            key = self._jwks.get_signing_key_from_jwt(token)
            claims = jwt.decode(
                token,
                key=key,
                algorithms=list(ALGORITHMS),
                audience=self.audience,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.PyJWKClientConnectionError as exc:
            log.warning("issuer's JWKS unreachable", extra={"reason": type(exc).__name__})
            raise IssuerUnreachableError() from None
        except jwt.PyJWTError as exc:
            # the reason only, never the token: it is a credential
            log.info("staff token refused", extra={"reason": type(exc).__name__})
            raise InvalidTokenError(type(exc).__name__) from None
        return Verified(principal_from_claims(claims), int(claims["exp"]))
