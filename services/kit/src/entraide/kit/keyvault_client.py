"""Client of privacy's key vault: per-subject data keys over an authenticated internal API.

Intake and directory seal identity data with a subject's own data key; privacy keeps the
keys, wrapped under its master key, and destroys them on erasure (crypto-shredding).
A service proves who it is with a short-lived service token: a JWT (HS256) whose `iss`
is the service's name, signed with the secret privacy shares with that service alone.
Keys are cached a few seconds in the process, so a page showing a family costs no call;
at most `CACHE_MAX` of them, each forgotten once its time is up (a partner's door creates
a key per new family: an unbounded cache grew by one key a family, for the process's life).
"""

import base64
import time
from collections.abc import Mapping, Sequence
from typing import Any

import httpx
import jwt
from cachetools import TTLCache

from entraide.kit.coalesce import Coalesced
from entraide.kit.outages import KEY_VAULT, OUTAGES, DependencyUnavailableError
from entraide.kit.settings import KeyVaultSettings

AUDIENCE = "entraide-keyvault"
TOKEN_LIFETIME_S = 60
KEYS_PATH = "/internal/v1/keys"
BATCH_MAX = 1000  # ids per batch call (the vault refuses more)
CACHE_MAX = 50_000  # keys kept at once (18 MB measured): the least recently used go first


class KeyDestroyedError(LookupError):
    """The subject was erased: its key is gone and will not be created again."""


class ServiceTokenError(ValueError):
    """A service token that is missing, forged, expired or from an unknown service."""


def service_token(service: str, secret: str, *, now: float | None = None) -> str:
    """A token saying `service` is calling, valid for a minute."""
    issued = int(now if now is not None else time.time())
    claims = {"iss": service, "aud": AUDIENCE, "iat": issued, "exp": issued + TOKEN_LIFETIME_S}
    return jwt.encode(claims, secret, algorithm="HS256")


def verify_service_token(token: str, secrets: Mapping[str, str]) -> str:
    """The calling service's name, if its token is signed with its own secret and fresh."""
    try:
        service = jwt.decode(token, options={"verify_signature": False}).get("iss")
        secret = secrets.get(service) if isinstance(service, str) else None
        if secret is None:
            raise ServiceTokenError("unknown service")
        jwt.decode(token, secret, algorithms=["HS256"], audience=AUDIENCE, issuer=service)
    except jwt.PyJWTError as exc:
        raise ServiceTokenError(type(exc).__name__) from None
    return str(service)


class KeyVaultClient:
    """A service's view of the vault: its own keys only, by the ids it chose."""

    def __init__(
        self,
        base_url: str,
        *,
        service: str,
        secret: str,
        cache_seconds: float = 30.0,
        timeout: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.service, self._secret = service, secret
        self._cache: TTLCache[str, bytes] = TTLCache(CACHE_MAX, ttl=cache_seconds)
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport)

    async def create(self, key_id: str, *, subject_ref: str, subject_kind: str) -> bytes:
        """The key for `key_id`, created on first use; KeyDestroyedError once erased."""
        body = {"subject_ref": subject_ref, "subject_kind": subject_kind}
        answer = await self._call("PUT", f"{KEYS_PATH}/{key_id}", json=body)
        return self._remember(key_id, self._key_of(answer))

    async def create_many(
        self, subjects: Mapping[str, str], *, subject_kind: str
    ) -> tuple[dict[str, bytes], set[str]]:
        """The keys of `subjects` (key id -> subject ref), each created on first use, in one
        call per `BATCH_MAX` ids; and the ids refused because their key was destroyed."""
        keys: dict[str, bytes] = {}
        destroyed: set[str] = set()
        ids = list(subjects)
        for start in range(0, len(ids), BATCH_MAX):
            chunk = ids[start : start + BATCH_MAX]
            body: dict[str, Any] = {
                "subject_kind": subject_kind,
                "keys": [{"key_id": i, "subject_ref": subjects[i]} for i in chunk],
            }
            answer = await self._call("POST", f"{KEYS_PATH}:batch", json=body)
            answer.raise_for_status()
            found = answer.json()
            for key_id, key in found["keys"].items():
                keys[key_id] = self._remember(key_id, base64.b64decode(key))
            destroyed.update(found["destroyed"])
            for key_id in destroyed:
                self._cache.pop(key_id, None)
        missing = [i for i in ids if i not in keys and i not in destroyed]
        if missing:  # a vault that answered for fewer ids than asked: not to be trusted
            raise RuntimeError(f"the key vault left out {len(missing)} key(s)")
        return keys, destroyed

    async def fetch(self, key_id: str) -> bytes | None:
        """The key for `key_id`, or None if it never existed or was destroyed."""
        cached = self._cache.get(key_id)
        if cached is not None:
            return cached
        answer = await self._call("GET", f"{KEYS_PATH}/{key_id}")
        if answer.status_code in (404, 410):
            self._cache.pop(key_id, None)
            return None
        return self._remember(key_id, self._key_of(answer))

    async def destroy(self, key_id: str) -> None:
        """Destroy the key now (erasure); the vault keeps a tombstone so it never returns."""
        self._cache.pop(key_id, None)
        answer = await self._call("DELETE", f"{KEYS_PATH}/{key_id}")
        answer.raise_for_status()

    async def destroy_many(self, key_ids: Sequence[str]) -> None:
        """Destroy these keys now, in one call per `BATCH_MAX` ids."""
        ids = list(key_ids)
        for key_id in ids:
            self._cache.pop(key_id, None)
        for start in range(0, len(ids), BATCH_MAX):
            body = {"key_ids": ids[start : start + BATCH_MAX]}
            answer = await self._call("POST", f"{KEYS_PATH}:destroy", json=body)
            answer.raise_for_status()

    async def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One call to the vault; unreachable or failing (5xx): DependencyUnavailableError,
        which the routes answer with 503 and the consumers wait out."""
        try:
            answer = await self._http.request(method, path, headers=self._auth(), **kwargs)
        except httpx.TransportError as exc:
            OUTAGES.broken(KEY_VAULT, type(exc).__name__)
            raise DependencyUnavailableError(KEY_VAULT, type(exc).__name__) from exc
        if answer.status_code >= 500:
            OUTAGES.broken(KEY_VAULT, f"HTTP {answer.status_code}")
            raise DependencyUnavailableError(KEY_VAULT, f"HTTP {answer.status_code}")
        OUTAGES.restored(KEY_VAULT)
        return answer

    def forget(self, key_id: str) -> None:
        """Drop a cached key (another replica may have destroyed it)."""
        self._cache.pop(key_id, None)

    async def aclose(self) -> None:
        await self._http.aclose()

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {service_token(self.service, self._secret)}"}

    def _remember(self, key_id: str, key: bytes) -> bytes:
        self._cache[key_id] = key
        return key

    @staticmethod
    def _key_of(answer: httpx.Response) -> bytes:
        if answer.status_code == 410:
            raise KeyDestroyedError("the subject's key was destroyed")
        answer.raise_for_status()
        return base64.b64decode(answer.json()["key"])


class SubjectKeys:
    """One kind of subject's data keys in the vault, as a service uses them: created on
    first use (LookupError once destroyed: an erased subject never gets one again), read
    (None once destroyed: crypto-shredding), destroyed."""

    def __init__(self, client: KeyVaultClient, subject_kind: str) -> None:
        self.client = client
        self.subject_kind = subject_kind
        self._create = Coalesced(self._create_batch)

    async def create(self, key_id: str, subject_ref: str) -> bytes:
        """The key of one subject; the calls of the same turn share one vault call (under
        load, one round trip for many new subjects, not one each)."""
        return await self._create((key_id, subject_ref))

    async def _create_batch(self, asked: list[tuple[str, str]]) -> list[bytes | Exception]:
        keys = await self.create_many(dict(asked))
        gone = f"the {self.subject_kind}'s key was destroyed"
        return [keys[key_id] if key_id in keys else LookupError(gone) for key_id, _ in asked]

    async def create_many(self, subjects: Mapping[str, str]) -> dict[str, bytes]:
        """The keys of `subjects` (key id -> subject ref), created at once where missing
        (one vault call) and cached; an id whose key was destroyed is left out."""
        keys, _destroyed = await self.client.create_many(subjects, subject_kind=self.subject_kind)
        return keys

    async def existing(self, key_id: str) -> bytes | None:
        return await self.client.fetch(key_id)

    async def destroy(self, key_id: str) -> None:
        await self.client.destroy(key_id)


def dev_secret(service: str) -> str:
    """The development shared secret of a service (never use it in production)."""
    return f"entraide-development-keyvault-{service}"


def vault_client(settings: KeyVaultSettings, service: str) -> KeyVaultClient:
    """The service's client of the key vault its settings name."""
    secret = settings.keyvault_secret
    return KeyVaultClient(
        settings.keyvault_url,
        service=service,
        secret=secret.get_secret_value() if secret else dev_secret(service),
        cache_seconds=settings.keyvault_cache_seconds,
    )
