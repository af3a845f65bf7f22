"""Volunteers' identity sealed at rest with their own data key (AES-256-GCM).

The volunteer id is the associated data, so a sealed value copied onto another volunteer
does not open; destroying the volunteer's key makes every copy unreadable. The keys live
in privacy's key vault (the kit's `SubjectKeys`, the default), which destroys them when an
erasure case closes; `VolunteerKeys` keeps them in directory's database, wrapped under its
master key, for running directory alone (ENTRAIDE_KEYS=local).
"""

import base64
import json
import os
from typing import Any, Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

NONCE_BYTES = 12


def seal(key: bytes, owner: str, value: Any) -> dict[str, str]:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, json.dumps(value).encode(), owner.encode())
    return {
        "v": "1",
        "nonce": base64.b64encode(nonce).decode(),
        "ciphertext": base64.b64encode(sealed).decode(),
    }


def unseal(key: bytes, owner: str, sealed: dict[str, str]) -> Any:
    """Raises `cryptography.exceptions.InvalidTag` if tampered with or for another owner."""
    nonce, data = base64.b64decode(sealed["nonce"]), base64.b64decode(sealed["ciphertext"])
    return json.loads(AESGCM(key).decrypt(nonce, data, owner.encode()))


class VolunteerKeyStore(Protocol):
    async def create(self, volunteer_id: str, volunteer_ref: str) -> bytes:
        """A new volunteer's data key (LookupError if it has one already)."""
        ...

    async def existing(self, volunteer_id: str) -> bytes | None:
        """The volunteer's key, or None once destroyed (crypto-shredding)."""
        ...

    async def destroy(self, volunteer_id: str) -> None: ...


class VolunteerKeys:
    """Per-volunteer data keys, wrapped under the master key, in `volunteer_keys`."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]], master: bytes) -> None:
        self.collection = db["volunteer_keys"]
        self.master = master

    async def create(self, volunteer_id: str, volunteer_ref: str) -> bytes:
        key = AESGCM.generate_key(bit_length=256)
        wrapped = seal(self.master, volunteer_id, base64.b64encode(key).decode())
        try:
            await self.collection.insert_one({"_id": volunteer_id, "wrapped": wrapped})
        except DuplicateKeyError:
            raise LookupError("the volunteer already has a key") from None
        return key

    async def existing(self, volunteer_id: str) -> bytes | None:
        doc = await self.collection.find_one({"_id": volunteer_id})
        if doc is None:
            return None
        return base64.b64decode(unseal(self.master, volunteer_id, doc["wrapped"]))

    async def destroy(self, volunteer_id: str) -> None:
        await self.collection.delete_one({"_id": volunteer_id})
