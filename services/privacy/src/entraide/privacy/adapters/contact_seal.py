"""What a person wrote in a rights request, sealed (AES-256-GCM) with a key of its own in
the vault until it has served: the contact (the code checked, the export's link sent) and
the statement of a rectification (the case closed). Forgetting destroys the key and the
sealed copy."""

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


class VaultSealed:
    """JSON sealed in `collection` under an id, its key `<key_id(id)>` in the vault."""

    def __init__(self, db: AsyncDatabase[Doc], vault: KeyVault, collection: str) -> None:
        self.docs, self.vault = db[collection], vault

    async def seal(
        self, doc_id: str, key_id: str, value: Any, *, subject_ref: str, subject_kind: str
    ) -> None:
        key, _ = await self.vault.get_or_create(
            OWNER, key_id, subject_ref=subject_ref, subject_kind=subject_kind
        )
        nonce = os.urandom(12)
        sealed = AESGCM(key).encrypt(nonce, json.dumps(value).encode(), doc_id.encode())
        await self.docs.replace_one(
            {"_id": doc_id}, {"nonce": _b64(nonce), "sealed": _b64(sealed)}, upsert=True
        )

    async def open(self, doc_id: str, key_id: str) -> Any:
        """The value, None once forgotten (or never sealed)."""
        doc = await self.docs.find_one({"_id": doc_id})
        try:
            key = await self.vault.get(OWNER, key_id)
        except KeyDestroyedError:  # forgotten already: it has served
            return None
        if doc is None or key is None:
            return None
        try:
            nonce, sealed = base64.b64decode(doc["nonce"]), base64.b64decode(doc["sealed"])
            return json.loads(AESGCM(key).decrypt(nonce, sealed, doc_id.encode()))
        except (InvalidTag, ValueError, KeyError):
            return None

    async def forget(self, doc_id: str, key_id: str) -> None:
        await self.vault.destroy(OWNER, key_id)
        await self.docs.delete_one({"_id": doc_id})


class VaultContactSeal:
    """The `ContactSeal` port: the sealed contact in `person_contacts`, its key in the vault."""

    def __init__(self, db: AsyncDatabase[Doc], vault: KeyVault) -> None:
        self.sealed = VaultSealed(db, vault, "person_contacts")

    async def seal(self, request_id: str, contact: Contact) -> None:
        value = {"channel": contact.channel.value, "value": contact.value}
        await self.sealed.seal(
            request_id, _key_id(request_id), value,
            subject_ref=f"person-{request_id}", subject_kind="person",
        )  # fmt: skip

    async def open(self, request_id: str) -> Contact | None:
        found = await self.sealed.open(request_id, _key_id(request_id))
        return Contact(Channel(found["channel"]), found["value"]) if found else None

    async def forget(self, request_id: str) -> None:
        await self.sealed.forget(request_id, _key_id(request_id))


class VaultStatementSeal:
    """The `StatementSeal` port: a rectification's statement in `person_statements`, under
    its request (`request-<id>`, until the code is checked) then its case (`case-<id>`), its
    key in the vault: a case's named `case-<id>-statement`, on the case's subject, so the
    subject's erasure destroys it too and the subject's keys' traces leave it out."""

    def __init__(self, db: AsyncDatabase[Doc], vault: KeyVault) -> None:
        self.sealed = VaultSealed(db, vault, "person_statements")

    async def seal(self, ref: str, text: str, *, subject_ref: str) -> None:
        kind = "person" if ref.startswith("request-") else "case"
        await self.sealed.seal(
            ref, f"{ref}-statement", text, subject_ref=subject_ref, subject_kind=kind
        )

    async def open(self, ref: str) -> str | None:
        found = await self.sealed.open(ref, f"{ref}-statement")
        return str(found) if found else None

    async def forget(self, ref: str) -> None:
        await self.sealed.forget(ref, f"{ref}-statement")


def _key_id(request_id: str) -> str:
    return f"person-request-{request_id}"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()
