"""Volunteers' data keys in directory's own database, for running directory alone
(ENTRAIDE_KEYS=local): each wrapped under the master key (`domain.volunteers.sealing`)."""

import base64
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from entraide.directory.domain.volunteers.sealing import seal, unseal


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
