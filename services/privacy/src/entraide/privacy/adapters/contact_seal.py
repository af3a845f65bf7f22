"""The contact of a rights request sent by the person, sealed (AES-256-GCM) with a key of its
own in the vault until it has served (the code checked, the export's link sent): forgetting
destroys the key and the sealed copy."""

import base64
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pymongo.asynchronous.database import AsyncDatabase

from entraide.kit.keyvault_client import KeyDestroyedError
from entraide.privacy.adapters.vault import KeyVault
from entraide.privacy.domain.requests_from_people import Channel, Contact

Doc = dict[str, Any]
OWNER = "privacy"


class VaultContactSeal:
    """The `ContactSeal` port: the sealed contact in `person_contacts`, its key in the vault."""

    def __init__(self, db: AsyncDatabase[Doc], vault: KeyVault) -> None:
        self.contacts, self.vault = db["person_contacts"], vault

    async def seal(self, request_id: str, contact: Contact) -> None:
        key, _ = await self.vault.get_or_create(
            OWNER, _key_id(request_id), subject_ref=f"person-{request_id}", subject_kind="person"
        )
        nonce = os.urandom(12)
        plain = json.dumps({"channel": contact.channel.value, "value": contact.value}).encode()
        sealed = AESGCM(key).encrypt(nonce, plain, request_id.encode())
        await self.contacts.insert_one(
            {"_id": request_id, "nonce": _b64(nonce), "sealed": _b64(sealed)}
        )

    async def open(self, request_id: str) -> Contact | None:
        doc = await self.contacts.find_one({"_id": request_id})
        try:
            key = await self.vault.get(OWNER, _key_id(request_id))
        except KeyDestroyedError:  # forgotten already: it has served
            return None
        if doc is None or key is None:
            return None
        try:
            nonce, sealed = base64.b64decode(doc["nonce"]), base64.b64decode(doc["sealed"])
            found = json.loads(AESGCM(key).decrypt(nonce, sealed, request_id.encode()))
        except (InvalidTag, ValueError, KeyError):
            return None
        return Contact(Channel(found["channel"]), found["value"])

    async def forget(self, request_id: str) -> None:
        await self.vault.destroy(OWNER, _key_id(request_id))
        await self.contacts.delete_one({"_id": request_id})


def _key_id(request_id: str) -> str:
    return f"person-request-{request_id}"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()
