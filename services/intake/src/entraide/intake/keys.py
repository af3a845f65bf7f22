"""Per-family data keys, behind one small interface.

The privacy service owns the keys (`VaultKeys`, its key vault over HTTP, the default);
`WrappedKeys` keeps them in intake's own database, wrapped under ENTRAIDE_MASTER_KEY, for
running intake alone (its own tests, a laptop without privacy): ENTRAIDE_KEYS=local.
The duplicate-search `lookup_key` is intake's own in both cases: it hashes search terms
and is not any family's key.
"""

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from entraide.contracts.kit.keyvault_client import KeyVaultClient, SubjectKeys
from entraide.contracts.vocab import SubjectKind
from entraide.intake import sealing
from entraide.intake.ports import FamilyKeys

__all__ = ["FamilyKeys", "VaultKeys", "WrappedKeys"]


class WrappedKeys:
    """Data keys stored wrapped under a master key, in intake's `family_keys` collection."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]], master: bytes) -> None:
        self.collection = db["family_keys"]
        self.master = master
        self.lookup_key = sealing.derive(master, "duplicate-lookup")

    async def key_for(self, family_id: str, family_ref: str) -> bytes:
        key = sealing.new_key()
        try:  # a new family: one write
            await self.collection.insert_one(
                {"_id": family_id, "wrapped": sealing.wrap(self.master, family_id, key)}
            )
        except DuplicateKeyError:  # the same family again (a partner's resend): its key
            existing = await self.existing(family_id)
            if existing is None:  # destroyed meanwhile: refuse rather than re-create
                raise LookupError("the family's key was destroyed") from None
            return existing
        return key

    async def keys_for(self, families: dict[str, str]) -> dict[str, bytes]:
        fresh = {family_id: sealing.new_key() for family_id in families}
        docs = [
            {"_id": family_id, "wrapped": sealing.wrap(self.master, family_id, key)}
            for family_id, key in fresh.items()
        ]
        if not docs:
            return {}
        clashed: list[str] = []
        try:  # new families: one write
            await self.collection.insert_many(docs, ordered=False)
        except BulkWriteError as exc:
            errors = exc.details.get("writeErrors", [])
            if any(e.get("code") != 11000 for e in errors):
                raise
            clashed = [docs[e["index"]]["_id"] for e in errors]
        keys = {family_id: key for family_id, key in fresh.items() if family_id not in clashed}
        async for doc in self.collection.find({"_id": {"$in": clashed}}):  # resends: theirs
            keys[doc["_id"]] = sealing.unwrap(self.master, doc["_id"], doc["wrapped"])
        return keys

    async def existing(self, family_id: str) -> bytes | None:
        doc = await self.collection.find_one({"_id": family_id})
        return None if doc is None else sealing.unwrap(self.master, family_id, doc["wrapped"])

    async def destroy(self, family_id: str) -> None:
        await self.collection.delete_one({"_id": family_id})


class VaultKeys(SubjectKeys):
    """Families' data keys held by privacy's key vault, fetched with intake's service token."""

    def __init__(self, client: KeyVaultClient, master: bytes) -> None:
        super().__init__(client, SubjectKind.FAMILY.value)
        self.lookup_key = sealing.derive(master, "duplicate-lookup")

    key_for = SubjectKeys.create
    keys_for = SubjectKeys.create_many
